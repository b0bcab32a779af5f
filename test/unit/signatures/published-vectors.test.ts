/**
 * Runs every provider's own published signature examples (test/vectors/<provider>.json: docs examples and SDK test
 * suites, each with its source) through the public verify() and detectHandshake(). Only the fields a case lists
 * under `expect` are asserted, so a vector states exactly what its source states.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROOF_KINDS, proofText } from '../../tools/provider-table';

import { detectHandshake, providerIds, verify } from '../../../nodes/core/signatures';

interface Expectation {
	valid: boolean;
	reason?: string;
	deliveryId?: string;
	eventType?: string;
	timestamp?: number;
	secretIndex?: number;
}

interface Request {
	name: string;
	secrets: string[];
	headers: Record<string, string | string[]>;
	body?: string;
	bodyBase64?: string;
	method?: string;
	url?: string;
	query?: Record<string, string | string[]>;
	now?: number;
	toleranceSeconds?: number;
	options?: Record<string, unknown>;
}

interface VectorCase extends Request {
	expect: Expectation;
}

interface HandshakeCase extends Request {
	expectResponse?: { status: number; json?: unknown; text?: string; headers?: Record<string, string> };
	/** A handshake whose signature must be refused (it is then never answered). */
	expectVerify?: Expectation;
}

interface VectorFile {
	provider: string;
	/** What the provider is proven against (README table, "proven against"): see PROOF_KINDS. */
	proof: string;
	sources: { url: string; what: string }[];
	note?: string;
	cases: VectorCase[];
	handshakes?: HandshakeCase[];
}

const VECTOR_DIR = join(__dirname, '..', '..', 'vectors');

const vectorFiles: { fileName: string; data: VectorFile }[] = readdirSync(VECTOR_DIR)
	.filter((name) => name.endsWith('.json'))
	.sort()
	.map((fileName) => ({ fileName, data: JSON.parse(readFileSync(join(VECTOR_DIR, fileName), 'utf8')) as VectorFile }));

function bodyOf(request: Request): Buffer {
	if (request.bodyBase64 !== undefined) return Buffer.from(request.bodyBase64, 'base64');
	return Buffer.from(request.body ?? '', 'utf8');
}

function verifyRequest(provider: string, request: Request) {
	return verify({
		provider,
		secrets: request.secrets,
		headers: request.headers,
		body: bodyOf(request),
		method: request.method ?? 'POST',
		url: request.url,
		// Vectors state their clock in epoch ms, some in 1970 (HubSpot's SDK tests): a Date is taken as it is, while a
		// bare number that early would be refused as a likely unit mistake (issue 10, kind 11).
		now: request.now === undefined ? undefined : new Date(request.now),
		toleranceSeconds: request.toleranceSeconds,
		options: request.options,
	});
}

/** Compares only the fields the vector lists; a failure message must never echo a secret. */
function expectResult(result: ReturnType<typeof verify>, expected: Expectation, secrets: string[]): void {
	const actual: Record<string, unknown> = { valid: result.valid };
	for (const key of Object.keys(expected) as (keyof Expectation)[]) {
		if (key !== 'valid') actual[key] = (result as unknown as Record<string, unknown>)[key];
	}
	expect(actual).toEqual(expected);
	if (!result.valid) {
		for (const secret of secrets) expect(result.message).not.toContain(secret);
	}
}

describe('published vector files', () => {
	it('cover every provider id exactly once, each with its sources', () => {
		const fileProviders = vectorFiles.map(({ data }) => data.provider).sort();
		const expected = providerIds.filter((id) => !id.startsWith('generic-')).slice().sort();
		expect(fileProviders).toEqual(expected);
		for (const { fileName, data } of vectorFiles) {
			expect(fileName).toBe(`${data.provider}.json`);
			expect(data.sources.length).toBeGreaterThan(0);
			// A provider without published examples says so instead of leaving the table silently empty.
			if (data.cases.length === 0) expect(data.note).toEqual(expect.stringMatching(/round trip/i));
		}
	});

	it.each(vectorFiles.map(({ data }) => [data.provider, data] as const))('%s names its proof, one of the four kinds', (_id, data) => {
		expect(PROOF_KINDS.some((kind) => data.proof === kind || data.proof.startsWith(`${kind} (`))).toBe(true);
		// A file claiming more than a round trip holds a case or a handshake from its source, or names the test/sdk file
		// that cross-checks it (SDKs whose tests generate keys per run leave nothing fixed to copy: Discord).
		const sdkTest = /test\/sdk\/[\w.-]+\.test\.ts/.exec(data.proof)?.[0];
		if (sdkTest) expect(existsSync(join(__dirname, '..', '..', '..', sdkTest))).toBe(true);
		else if (data.proof !== 'round trip only') expect(data.cases.length + (data.handshakes ?? []).length).toBeGreaterThan(0);
	});

	it('the table generator refuses a proof of no known kind, naming the file', () => {
		const dir = mkdtempSync(join(tmpdir(), 'vectors-'));
		writeFileSync(join(dir, 'some-provider.json'), JSON.stringify({ provider: 'some-provider', proof: 'trust me' }));
		expect(() => proofText('some-provider', dir)).toThrow('test/vectors/some-provider.json: "proof" must be one of');
		expect(proofText('generic-hmac', dir)).toBe('— (configured by you)');
	});
});

for (const { data } of vectorFiles) {
	const { provider } = data;
	if (data.cases.length > 0) {
		describe(`${provider}: published signature examples`, () => {
			it.each(data.cases.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
				expectResult(verifyRequest(provider, vector), vector.expect, vector.secrets);
			});
		});
	}

	const handshakes = data.handshakes ?? [];
	if (handshakes.length > 0) {
		describe(`${provider}: handshakes`, () => {
			it.each(handshakes.map((shake) => [shake.name, shake] as const))('%s', (_name, shake) => {
				const handshake = detectHandshake({
					provider,
					method: shake.method ?? 'POST',
					headers: shake.headers,
					body: bodyOf(shake),
					query: shake.query,
					secrets: shake.secrets,
					options: shake.options,
				});
				expect(handshake).toBeDefined();
				let secretIndex: number | undefined;
				if (handshake!.requiresVerification) {
					const result = verifyRequest(provider, shake);
					if (shake.expectVerify) {
						expectResult(result, shake.expectVerify, shake.secrets);
						return;
					}
					expect(result.valid).toBe(true);
					if (result.valid) secretIndex = result.secretIndex;
				}
				const response = handshake!.respond(secretIndex);
				const expected = shake.expectResponse!;
				expect(response.status).toBe(expected.status);
				if (expected.json !== undefined) expect(JSON.parse(response.body)).toEqual(expected.json);
				if (expected.text !== undefined) expect(response.body).toBe(expected.text);
				if (expected.headers !== undefined) expect(response.headers).toEqual(expected.headers);
			});
		});
	}
}
