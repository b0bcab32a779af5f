/**
 * Issue 11, item 1: a provider is one file plus its test data. A file under providers/ that is not registered, a
 * provider id written into the trigger or its credentials, or a README provider table that no longer matches the
 * schemes all fail here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerIds, providers } from '../../../nodes/core/signatures';
import { SCHEMES } from '../../../nodes/core/signatures/providers';
import { defineScheme, signed, hmacKeys } from '../../../nodes/core/signatures/scheme';
import { prefixed } from '../../../nodes/core/signatures/formats';
import { renderProviderTable, TABLE_END, TABLE_START, withProviderTable } from '../../tools/provider-table';
import { endMarker, README_SECTIONS, staleSections, startMarker, withGeneratedSections } from '../../tools/readme-sections';
import { OUTGOING_SCHEMES, ROTATION } from '../../../nodes/core/delivery/outgoing-signature';
import { PROVIDER_CHOICES, PUBLIC_KEY_CHOICES } from '../../../nodes/SignedWebhookTrigger/providerChoices';

const ROOT = join(__dirname, '..', '..', '..');
const PROVIDERS_DIR = join(ROOT, 'nodes', 'core', 'signatures', 'providers');

describe('provider registry', () => {
	const files = readdirSync(PROVIDERS_DIR).filter((name) => name.endsWith('.ts') && name !== 'index.ts');

	test.each(files)('%s is registered in providers/index.ts', (file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const scheme = require(join(PROVIDERS_DIR, file)).default;
		expect(SCHEMES).toContain(scheme);
		expect(`${scheme.id}.ts`).toBe(file); // one file per provider, named by its id
	});

	test('every registered scheme comes from a file of its own, ids are unique', () => {
		expect(SCHEMES).toHaveLength(files.length);
		expect(new Set(providerIds).size).toBe(providerIds.length);
	});

	test('exactly one provider is the editor default, and extra choices do not collide with ids', () => {
		expect(providers.filter((provider) => provider.editorDefault)).toHaveLength(1);
		const choices = providers.flatMap((provider) => provider.choices.map((choice) => choice.value));
		for (const value of choices) expect(providerIds).not.toContain(value);
	});

	test('a signature source enabled by an option the scheme does not offer as a switch is refused at definition', () => {
		expect(() =>
			defineScheme({
				id: 'throwaway',
				displayName: 'Throwaway',
				kind: 'hmac',
				secretLabel: 'Secret',
				signature: { header: 'X-Old', format: prefixed(''), encoding: 'hex', algorithm: 'sha1', enabledBy: 'allowOld' },
				content: signed(),
				keys: hmacKeys(),
				docs: { signature: '-', signed: '-' },
			}),
		).toThrow(/X-Old source is enabled by "allowOld", which is not one of its switches/);
	});
});

describe('no provider id outside its file and its tests', () => {
	const ids = [...providerIds, ...providers.flatMap((provider) => provider.choices.map((choice) => choice.value))];
	const readers = [
		...readdirSync(join(ROOT, 'nodes', 'SignedWebhookTrigger')).filter((name) => name.endsWith('.ts')).map((name) => join('nodes', 'SignedWebhookTrigger', name)),
		...readdirSync(join(ROOT, 'nodes', 'core', 'signatures')).filter((name) => name.endsWith('.ts')).map((name) => join('nodes', 'core', 'signatures', name)),
		...readdirSync(join(ROOT, 'nodes', 'shared')).filter((name) => name.endsWith('.ts')).map((name) => join('nodes', 'shared', name)),
		join('nodes', 'core', 'delivery', 'outgoing-signature.ts'),
		join('credentials', 'WebhookSigningSecretApi.credentials.ts'),
		join('credentials', 'WebhookPublicKeyApi.credentials.ts'),
		join('credentials', 'OutgoingWebhookSigningApi.credentials.ts'),
	];

	test('the scan covers the outgoing signer, its credential and the shared property builder', () => {
		expect(readers).toEqual(
			expect.arrayContaining([
				join('nodes', 'core', 'delivery', 'outgoing-signature.ts'),
				join('credentials', 'OutgoingWebhookSigningApi.credentials.ts'),
				join('nodes', 'shared', 'schemeProperties.ts'),
			]),
		);
	});

	test.each(readers)('%s names no provider id in code', (file) => {
		const code = readFileSync(join(ROOT, file), 'utf8')
			.replace(/\/\*[\s\S]*?\*\//g, '') // comments may give examples
			.replace(/\/\/.*$/gm, '');
		const found = ids.filter((id) => code.includes(`'${id}'`) || code.includes(`"${id}"`) || code.includes(`\`${id}\``));
		expect(found).toEqual([]);
	});
});

describe('outgoing schemes are provider facts', () => {
	test('exactly one outgoing scheme is the credential default, and every one can sign', () => {
		expect(OUTGOING_SCHEMES.filter((scheme) => scheme.credentialDefault)).toHaveLength(1);
		for (const scheme of OUTGOING_SCHEMES) expect(typeof SCHEMES.find((item) => item.id === scheme.id)?.keys.sign).toBe('function');
	});

	test('ROTATION is read from the provider files: one entry per scheme that declares outgoing', () => {
		expect(Object.keys(ROTATION).sort()).toEqual(SCHEMES.filter((scheme) => scheme.outgoing).map((scheme) => scheme.id).sort());
		for (const scheme of SCHEMES) if (scheme.outgoing) expect(ROTATION[scheme.id]).toBe(scheme.outgoing.rotation);
	});
});

describe('README generated pieces (trigger Parameters rows, outgoing credential)', () => {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

	test('every piece is the one generated from the schemes (run node test/tools/docs-providers.js after changing a provider)', () => {
		for (const section of README_SECTIONS) {
			expect(readme).toContain(startMarker(section.name));
			expect(readme).toContain(endMarker(section.name));
		}
		expect(staleSections(readme)).toEqual([]);
		expect(withGeneratedSections(readme)).toBe(readme);
	});

	test('a hand edit between the markers is reported as stale, by name', () => {
		const start = startMarker('trigger-providers');
		const edited = readme.replace(start, `${start}GitHub (default), GitLab, `);
		expect(staleSections(edited)).toEqual(['trigger-providers']);
		expect(withGeneratedSections(edited)).toBe(readme);
	});

	test('the rows name every editor choice, each public-key choice, every published window and every outgoing scheme', () => {
		const render = (name: string) => README_SECTIONS.find((section) => section.name === name)!.render();
		for (const choice of PROVIDER_CHOICES) expect(render('trigger-providers')).toContain(choice.name);
		const credentials = render('trigger-credentials');
		for (const value of PUBLIC_KEY_CHOICES) expect(credentials).toContain(PROVIDER_CHOICES.find((choice) => choice.value === value)!.name);
		expect(credentials).toMatch(/^\*Webhook Public Key API\* for .*; \*Webhook Signing Secret API\* for every other provider/);
		for (const provider of providers) {
			if (provider.defaultToleranceSeconds !== null) expect(render('trigger-windows')).toContain(provider.displayName);
		}
		expect(render('trigger-windows')).toContain('5 s (Paddle Billing)');
		for (const scheme of OUTGOING_SCHEMES) expect(render('outgoing-schemes')).toContain(`**${scheme.displayName}**`);
		expect(render('outgoing-fields')).toContain('Signature Header (default `X-Signature`)');
	});
});

describe('README provider table', () => {
	test('is the one generated from the schemes (run node test/tools/docs-providers.js after changing a provider)', () => {
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		expect(readme).toContain(TABLE_START);
		expect(readme).toContain(TABLE_END);
		expect(withProviderTable(readme)).toBe(readme);
	});

	test('has one row per provider, with its tolerance from its timestamp facts', () => {
		const table = renderProviderTable();
		for (const id of providerIds) expect(table).toContain(`| \`${id}\` |`);
		expect(table).toContain('| `stripe` | `Stripe-Signature` (`t=…,v1=…`, any v1, v0 ignored) | `t.body`, key = whole `whsec_…` string | 300 s, past only |');
		expect(table).toContain('| `zoom` | `x-zm-signature` (`v0=` hex) | `v0:timestamp:body` | 300 s both ways (none published) | endpoint.url_validation |');
	});
});
