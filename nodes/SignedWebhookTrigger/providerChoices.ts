/**
 * The Provider parameter's choices, built from the signature core's provider facts: one per provider, plus the extra
 * choices a provider declares (Standard Webhooks with a public key). No provider is named here.
 */
import { providers, type CredentialKind, type ProviderInfo } from '../core/signatures';

export interface ProviderChoice {
	/** Saved in the node's `provider` parameter. */
	value: string;
	/** Shown in the editor. */
	name: string;
	description: string;
	/** The provider that verifies this choice. */
	provider: ProviderInfo;
	/** Which credential the choice asks for. */
	credential: CredentialKind;
}

/** Every choice, sorted by name as the editor lists them. */
export const PROVIDER_CHOICES: readonly ProviderChoice[] = [
	...providers.map((provider) => ({
		value: provider.id,
		name: provider.displayName,
		description: `Verifies ${provider.signatureHeader}`,
		provider,
		credential: provider.credential,
	})),
	...providers.flatMap((provider) =>
		provider.choices.map((choice) => ({
			value: choice.value,
			name: choice.displayName,
			description: choice.description,
			provider,
			credential: choice.credential,
		})),
	),
].sort((a, b) => a.name.localeCompare(b.name));

const BY_VALUE = new Map(PROVIDER_CHOICES.map((choice) => [choice.value, choice]));

/** The choice saved as `value`; undefined for a value no provider offers (an old or hand-edited workflow). */
export function providerChoice(value: string): ProviderChoice | undefined {
	return BY_VALUE.get(value);
}

/** The signature core's provider id for a saved choice (the choice itself when it is unknown: verify() then throws). */
export function coreProviderId(value: string): string {
	return providerChoice(value)?.provider.id ?? value;
}

/** Whether the choice verifies with the sender's public key (Webhook Public Key API) rather than a shared secret. */
export function usesPublicKey(value: string): boolean {
	return providerChoice(value)?.credential === 'publicKey';
}

/** Choices that ask for the public-key credential, and those that ask for the signing-secret one. */
export const PUBLIC_KEY_CHOICES: string[] = PROVIDER_CHOICES.filter((choice) => choice.credential === 'publicKey').map((choice) => choice.value);
export const SECRET_CHOICES: string[] = PROVIDER_CHOICES.filter((choice) => choice.credential === 'secret').map((choice) => choice.value);

/** The Provider parameter's default: the provider whose scheme says `editorDefault`. */
export const DEFAULT_CHOICE: string = (providers.find((provider) => provider.editorDefault) ?? providers[0]).id;
