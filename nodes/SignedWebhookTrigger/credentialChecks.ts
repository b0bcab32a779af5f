/**
 * Format checks behind the credential tests. Nothing to call remotely, so the test checks that each value is usable as
 * written. Messages name the field and the problem, never the value.
 */
import type { KeyObject } from 'node:crypto';
import { decodedSecretProblem, MIN_DECODED_KEY_BYTES, publicKeyFor, publicKeyType, secretProblem, sharedSecretProblem } from '../core/signatures';
import type { ProviderOptions } from '../core/signatures';
import { coreProviderId, PROVIDER_CHOICES, usesPublicKey } from './providerChoices';

export type FormatCheck = { ok: true; description: string } | { ok: false; problem: string };

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/**
 * A signing secret for the credential test, which does not know the provider: non-empty, no surrounding whitespace,
 * and a `whsec_` secret must base64-decode to at least MIN_DECODED_KEY_BYTES (16) bytes unless it is used as text
 * (`whsecMustDecode: false`, as Stripe does). The key rules are the signature core's (sharedSecretProblem,
 * decodedSecretProblem: the functions verify() applies), so the credential test and verify() agree.
 */
export function checkSigningSecret(value: string, whsecMustDecode = true): FormatCheck {
	const textProblem = sharedSecretProblem(value);
	if (textProblem) return { ok: false, problem: textProblem };
	if (value.startsWith('whsec_')) {
		const payload = value.slice('whsec_'.length);
		if (payload.length === 0) return { ok: false, problem: 'is whsec_ with nothing after it' };
		if (!STRICT_BASE64.test(payload)) {
			if (!whsecMustDecode) return { ok: true, description: `whsec_ secret used as text (${value.length} characters)` };
			return { ok: false, problem: 'starts with whsec_ but the rest is not base64 (Standard Webhooks-style secrets must decode)' };
		}
		const decodedProblem = whsecMustDecode ? decodedSecretProblem(value) : undefined;
		if (decodedProblem) return { ok: false, problem: `${decodedProblem} (Standard Webhooks-style schemes use the decoded bytes as the key)` };
		const bytes = Buffer.from(payload, 'base64').length;
		return { ok: true, description: `whsec_ secret (${bytes} bytes once decoded where it is decoded; used as text elsewhere)` };
	}
	return { ok: true, description: `secret of ${value.length} characters` };
}

/**
 * The exact check verify() applies for this provider (GitLab's mode, generic settings in `options`): use it at
 * activation when the provider is known. Messages name the problem, never the value.
 */
export function checkProviderSecret(provider: string, value: string, options?: ProviderOptions): FormatCheck {
	const problem = secretProblem(provider, value, options);
	return problem ? { ok: false, problem } : { ok: true, description: `usable ${provider} key` };
}

export { MIN_DECODED_KEY_BYTES };

/** Providers whose verifier takes a public key (from their facts: their own credential or one of their choices). */
const PUBLIC_KEY_PROVIDER_IDS = [...new Set(PROVIDER_CHOICES.filter((choice) => choice.credential === 'publicKey').map((choice) => choice.provider.id))];

function describeKey(key: KeyObject): string {
	if (key.asymmetricKeyType === 'ec') return `ECDSA public key (${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'})`;
	return `${key.asymmetricKeyType ?? 'unknown'} public key`;
}

/**
 * The public key some provider's verifier builds from `value` (the very parser verify() uses: publicKeyFor), or
 * undefined when none would use it. Hex (Ed25519), whpk_… (Ed25519), PEM or base64 DER SPKI (ECDSA).
 */
export function parsePublicKey(value: string): KeyObject | undefined {
	for (const provider of PUBLIC_KEY_PROVIDER_IDS) {
		const key = publicKeyFor(provider, value);
		if (key) return key;
	}
	return undefined;
}

/** A public key for the credential test: usable by at least one provider's verifier. Names the problem, never the value. */
export function checkPublicKey(value: string): FormatCheck {
	if (value.trim().length === 0) return { ok: false, problem: 'is empty' };
	const key = parsePublicKey(value);
	if (key) return { ok: true, description: describeKey(key) };
	const type = publicKeyType(value);
	if (type !== undefined && type !== 'ed25519' && type !== 'ec') {
		return { ok: false, problem: `is a ${type} key; only Ed25519 and ECDSA keys are used` };
	}
	if (type !== undefined) {
		return { ok: false, problem: `is an ${type === 'ec' ? 'ECDSA' : 'Ed25519'} key in a form no provider reads (Ed25519: 64 hex characters or whpk_…; ECDSA: base64 DER or PEM)` };
	}
	return { ok: false, problem: 'is not a public key (expected 64 hex characters, whpk_…, base64 DER or PEM)' };
}

/**
 * The activation check of one credential value for the node's provider choice: the exact rule verify() applies for
 * that provider (checkProviderSecret), plus the credential test's format rules, so activation refuses at least what
 * the credential test refuses. Messages name the problem, never the value.
 */
export function checkActivationSecret(choice: string, value: string, options?: ProviderOptions): FormatCheck {
	const provider = coreProviderId(choice);
	if (usesPublicKey(choice)) {
		const format = checkPublicKey(value);
		return format.ok ? checkProviderSecret(provider, value, options) : format;
	}
	const exact = checkProviderSecret(provider, value, options);
	return exact.ok ? checkSigningSecret(value, false) : exact;
}

/** Runs `check` on each named field that has a value; the first failure wins. */
export function checkFields(
	fields: Array<[label: string, value: unknown, required: boolean]>,
	check: (value: string) => FormatCheck,
): { status: 'OK' | 'Error'; message: string } {
	const found: string[] = [];
	for (const [label, value, required] of fields) {
		const text = typeof value === 'string' ? value : '';
		if (text.length === 0 && !required) continue;
		const result = check(text);
		if (!result.ok) return { status: 'Error', message: `${label} ${result.problem}` };
		found.push(`${label}: ${result.description}`);
	}
	return { status: 'OK', message: `Format looks right. ${found.join('; ')}.` };
}
