/**
 * The README provider table, generated from each provider's defineScheme() facts (`providers` of the signature core):
 * id, signature (docs.signature), what is signed (docs.signed), default tolerance (from timestamp.toleranceSeconds
 * and direction, or docs.tolerance), handshake (docs.handshake) and whether it retries (retries, with its source). `node test/tools/docs-providers.js` writes it
 * between the markers in README.md; test/unit/signatures/registry.test.ts fails when README.md is out of date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providers, type ProviderInfo } from '../../nodes/core/signatures';

export const TABLE_START = '<!-- provider-table:start (generated from nodes/core/signatures/providers by `node test/tools/docs-providers.js`; do not edit) -->';
export const TABLE_END = '<!-- provider-table:end -->';

/** "300 s, past only", "60 s both ways", "300 s both ways (none published)", "none". */
export function toleranceText(provider: ProviderInfo): string {
	if (provider.docs.tolerance !== undefined) return provider.docs.tolerance;
	if (provider.defaultToleranceSeconds === null) return 'none';
	const direction = provider.toleranceDirection === 'past-only' ? ', past only' : ' both ways';
	return `${provider.defaultToleranceSeconds} s${direction}${provider.toleranceUnpublished ? ' (none published)' : ''}`;
}

/** "yes, 3 days ([docs](…))", "no ([docs](…))" or "not known (treated as no)": the provider's `retries` fact. */
export function retriesText(provider: ProviderInfo): string {
	const fact = provider.retries;
	if (!fact) return 'not known (treated as no)';
	return `${fact.retries ? `yes${fact.horizon ? `, ${fact.horizon}` : ''}` : 'no'} ([docs](${fact.source}))`;
}

/** The four kinds of proof a vector file's `proof` field names (README "Adding a provider"). */
export const PROOF_KINDS = ['published example', 'SDK test vector', 'SDK cross-check', 'round trip only'] as const;

/**
 * What a provider is proven against, from test/vectors/<id>.json `proof`: its kind (one of PROOF_KINDS, the text
 * before any parenthesis) and the file's detail. Configured schemes (no vector file) are '— (configured by you)'.
 * Throws an Error naming the file when `proof` is missing or of no known kind.
 */
export function proofText(id: string, vectorDir = join(__dirname, '..', 'vectors')): string {
	let text: string;
	try {
		text = readFileSync(join(vectorDir, `${id}.json`), 'utf8');
	} catch {
		return '— (configured by you)';
	}
	const proof = (JSON.parse(text) as { proof?: unknown }).proof;
	const kind = typeof proof === 'string' ? PROOF_KINDS.find((item) => proof === item || proof.startsWith(`${item} (`)) : undefined;
	if (!kind) throw new Error(`test/vectors/${id}.json: "proof" must be one of ${PROOF_KINDS.join(', ')} (optionally followed by " (detail)").`);
	return proof as string;
}

/** The markdown table, one row per provider in registry order, ending with a newline. */
export function renderProviderTable(list: readonly ProviderInfo[] = providers): string {
	const rows = list.map((provider) =>
		`| \`${provider.id}\` | ${provider.docs.signature} | ${provider.docs.signed} | ${toleranceText(provider)} | ${provider.docs.handshake ?? '—'} | ${retriesText(provider)} | ${proofText(provider.id)} |`,
	);
	return ['| id | signature header | what is signed | default tolerance | handshake | retries failed deliveries | proven against |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

/** README text with the table between the markers replaced. Throws an Error when the markers are missing. */
export function withProviderTable(readme: string, table: string = renderProviderTable()): string {
	const start = readme.indexOf(TABLE_START);
	const end = readme.indexOf(TABLE_END);
	if (start === -1 || end < start) throw new Error(`README.md needs the markers ${TABLE_START} and ${TABLE_END}.`);
	return `${readme.slice(0, start + TABLE_START.length)}\n${table}${readme.slice(end)}`;
}
