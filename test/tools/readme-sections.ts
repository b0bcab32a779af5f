/**
 * README text generated from the providers' defineScheme() facts, besides the provider table (provider-table.ts):
 * the Signed Webhook Trigger's Parameters rows Provider, Credential and Timestamp Check, and the Outgoing Webhook
 * Signing API credential's scheme list and Generic HMAC fields. Each piece sits inline between a pair of markers
 * (`<!-- gen:NAME -->` … `<!-- /gen:NAME -->`, inside table cells, so the tables stay tables) and is rendered from what
 * the editor itself shows: the trigger's description, its Provider choices and credentials, and the credential classes.
 * `node test/tools/docs-providers.js` writes them; test/unit/signatures/registry.test.ts fails when one is stale.
 */
import type { INodeProperties } from 'n8n-workflow';
import { WebhookPublicKeyApi } from '../../credentials/WebhookPublicKeyApi.credentials';
import { WebhookSigningSecretApi } from '../../credentials/WebhookSigningSecretApi.credentials';
import { OUTGOING_SCHEMES } from '../../nodes/core/delivery/outgoing-signature';
import { providers, type SchemeSettingField, type SchemeSettings } from '../../nodes/core/signatures';
import { triggerCredentials, triggerProperties } from '../../nodes/SignedWebhookTrigger/description';
import { DEFAULT_CHOICE, PROVIDER_CHOICES } from '../../nodes/SignedWebhookTrigger/providerChoices';
import { withProviderTable } from './provider-table';

export interface ReadmeSection {
	/** Marker name: the text sits between `<!-- gen:NAME -->` and `<!-- /gen:NAME -->`. */
	name: string;
	render(): string;
}

export const startMarker = (name: string) => `<!-- gen:${name} -->`;
export const endMarker = (name: string) => `<!-- /gen:${name} -->`;

/** "a, b and c" (or "a, b or c"). */
function listed(items: readonly string[], last = 'and'): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** "Algorithm (SHA-1, SHA-256, SHA-512), Encoding (Hex, Base64), ID Header, …": a settings' fields as the editor names them. */
function fieldList(fields: readonly SchemeSettingField[]): string {
	return fields.map((field) => (field.options ? `${field.displayName} (${field.options.map((option) => option.name).join(', ')})` : field.displayName)).join(', ');
}

function settingsText(settings: SchemeSettings): string {
	return `*${settings.displayName}*: ${fieldList(settings.fields)}`;
}

/** The Provider row: every editor choice in the editor's order, the default marked, with each provider's settings. */
function providerList(): string {
	const names = PROVIDER_CHOICES.map((choice) => {
		const settings = choice.value === choice.provider.id ? choice.provider.settings : undefined;
		if (settings) return `**${choice.name}** (${settingsText(settings)})`;
		return choice.value === DEFAULT_CHOICE ? `${choice.name} (default)` : choice.name;
	});
	return `${listed(names)}.`;
}

/** The Credential row: which credential each choice asks for, from the trigger's credentials and the credential classes. */
function credentialList(): string {
	const classes = [new WebhookSigningSecretApi(), new WebhookPublicKeyApi()];
	const groups = (triggerCredentials ?? []).map((credential) => {
		const hidden = (credential.displayOptions?.hide?.provider ?? []) as string[];
		const shown = PROVIDER_CHOICES.filter((choice) => !hidden.includes(choice.value));
		const displayName = classes.find((item) => item.name === credential.name)?.displayName ?? credential.name;
		return { displayName, shown };
	});
	groups.sort((a, b) => a.shown.length - b.shown.length);
	return groups
		.map(({ displayName, shown }, index) =>
			index === groups.length - 1 && groups.length > 1
				? `*${displayName}* for every other provider (${shown.length} choices)`
				: `*${displayName}* for ${listed(shown.map((choice) => choice.name))}`,
		)
		.join('; ');
}

function property(list: readonly INodeProperties[], name: string): INodeProperties {
	const found = list.find((item) => item.name === name);
	if (!found) throw new Error(`No property ${name}`);
	return found;
}

/** The Timestamp Check row's default windows: the editor's help text, plus the past-only providers. */
function windowList(): string {
	const option = (property(triggerProperties, 'timestampCheck').options as Array<{ value: string; description?: string }>).find(
		(item) => item.value === 'providerDefault',
	);
	const pastOnly = providers.filter((provider) => provider.toleranceDirection === 'past-only').map((provider) => provider.displayName);
	const past = pastOnly.length > 0 ? `; past only (a future timestamp passes, as their own SDKs check) for ${listed(pastOnly)}` : '';
	return `${option?.description ?? ''}${past}`;
}

/** The outgoing credential's Signature Scheme row: the schemes it offers (their provider files' `outgoing`), default marked. */
function outgoingSchemes(): string {
	return listed(
		OUTGOING_SCHEMES.map((scheme) => `**${scheme.displayName}**${scheme.credentialDefault ? ' (default)' : ''}`),
		'or',
	);
}

/** The outgoing credential's settings rows: one per scheme with settings, its fields as the trigger's collection names them. */
function outgoingFields(): string {
	return OUTGOING_SCHEMES.filter((scheme) => scheme.settings)
		.map((scheme) => {
			const settings = scheme.settings as SchemeSettings;
			const values = settings.fields.map((field) => {
				const shown = field.options?.find((option) => option.value === field.default)?.name ?? (field.default === '' ? undefined : `\`${field.default}\``);
				const choices = field.options ? `${field.options.map((option) => option.name).join(', ')}; ` : '';
				return `${field.displayName} (${choices}${shown === undefined ? 'empty by default' : `default ${shown}`})`;
			});
			return `${settings.fields.map((field) => field.displayName).join(', ')} | ${scheme.displayName} only, the very fields of the trigger's *${settings.displayName}* (one declaration, in the provider file): ${values.join(', ')}`;
		})
		.join(' |\n| ');
}

export const README_SECTIONS: readonly ReadmeSection[] = [
	{ name: 'trigger-providers', render: providerList },
	{ name: 'trigger-credentials', render: credentialList },
	{ name: 'trigger-windows', render: windowList },
	{ name: 'outgoing-schemes', render: outgoingSchemes },
	{ name: 'outgoing-fields', render: outgoingFields },
];

/** README text with every generated piece (the provider table too) replaced. Throws an Error naming a missing marker. */
export function withGeneratedSections(readme: string): string {
	let text = withProviderTable(readme);
	for (const section of README_SECTIONS) {
		const start = startMarker(section.name);
		const end = endMarker(section.name);
		const from = text.indexOf(start);
		const to = text.indexOf(end);
		if (from === -1 || to < from) throw new Error(`README.md needs the markers ${start} and ${end}.`);
		text = `${text.slice(0, from + start.length)}${section.render()}${text.slice(to)}`;
	}
	return text;
}

/** Names of the pieces that differ from what the facts give (the provider table as `provider-table`). */
export function staleSections(readme: string): string[] {
	const stale = withProviderTable(readme) === readme ? [] : ['provider-table'];
	for (const section of README_SECTIONS) {
		const start = readme.indexOf(startMarker(section.name));
		const end = readme.indexOf(endMarker(section.name));
		if (start === -1 || end < start || readme.slice(start + startMarker(section.name).length, end) !== section.render()) stale.push(section.name);
	}
	return stale;
}
