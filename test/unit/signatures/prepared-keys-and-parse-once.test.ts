/**
 * Issue 11, item 8: keys are parsed once, the body is hashed where it lies and parsed at most once per request.
 * - verify({ prepared: prepareSecrets(secrets) }) answers exactly what verify({ secrets }) answers, for every provider
 *   row (HMAC, tokens, Ed25519, ECDSA, Standard Webhooks' symmetric and asymmetric keys), and parses each key once;
 * - signed bytes kept as parts give the same HMAC as their concatenation (the digest does not depend on how the
 *   bytes are split), including the ambiguous multi-candidate contents (Twilio's default port);
 * - a delivery id or event type read from the body is the same whether read at once or later, and one request's body
 *   is parsed once by the trigger's pipeline (handshake detection, verify, the output item).
 * Issue 11, item 3: one table of rejection statuses.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bodyJson, httpStatusFor, prepareSecrets, PreparedSecrets, verify } from '../../../nodes/core';
import type { VerifyResult } from '../../../nodes/core';
import { REJECTION_STATUS } from '../../../nodes/core/http';
import { hmacParts } from '../../../nodes/core/signatures/crypto';
import { schemeById } from '../../../nodes/core/signatures/providers';
import { requestView } from '../../../nodes/core/signatures/request';
import { hmacKeys, partsOf, bytesOf, ed25519Keys, hexKey, joined, signed, BODY, ID, TIMESTAMP } from '../../../nodes/core/signatures/scheme';
import type { Keys } from '../../../nodes/core/signatures/scheme';
import { detectHandshake } from '../../../nodes/core/signatures';
import { runPipeline } from '../../../nodes/SignedWebhookTrigger/pipeline';
import type { IncomingRequest, PipelineSettings } from '../../../nodes/SignedWebhookTrigger/pipeline';
import { preparedSecretsOf } from '../../../nodes/SignedWebhookTrigger/settingsCache';
import { PROVIDER_ROWS, rowNamed, signedRequest } from './provider-table';

/** The fields of a result, read (lazy ones included) into a plain object. */
function plain(result: VerifyResult): Record<string, unknown> {
	return JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
}

describe('verify({ prepared }) answers like verify({ secrets })', () => {
	test.each(PROVIDER_ROWS.map((row) => [row.name, row] as const))('%s: valid, forged, and with a rotated secret', (_name, row) => {
		const request = signedRequest(row);
		const rotated = ['not-the-right-secret-0123456789', ...request.secrets];
		for (const secrets of [request.secrets, rotated]) {
			const prepared = prepareSecrets(secrets);
			const fromSecrets = verify({ ...request, secrets });
			expect(fromSecrets.valid).toBe(true);
			// The same prepared secrets twice: the second call uses the keys parsed by the first.
			expect(plain(verify({ ...request, secrets: [], prepared }))).toEqual(plain(fromSecrets));
			expect(plain(verify({ ...request, secrets: [], prepared }))).toEqual(plain(fromSecrets));
		}
		const forged = { ...request, body: Buffer.concat([Buffer.from(request.body), Buffer.from(' ')]) };
		if (row.authenticates.includes('body')) {
			const prepared = prepareSecrets(request.secrets);
			expect(plain(verify({ ...forged, prepared }))).toEqual(plain(verify(forged)));
			expect(verify({ ...forged, prepared }).valid).toBe(false);
		}
	});

	test('an unusable configured secret is still named (misconfigured), prepared or not', () => {
		const request = signedRequest(rowNamed('svix'));
		const secrets = ['whsec_QQ=='];
		const expected = verify({ ...request, secrets });
		expect(expected).toMatchObject({ valid: false, misconfigured: true });
		expect(verify({ ...request, secrets: [], prepared: prepareSecrets(secrets) })).toEqual(expected);
	});

	test('each secret is prepared once per key kind, however many requests use it', () => {
		let prepares = 0;
		const base = hmacKeys();
		const counting: Keys = { ...base, prepare: (secret) => (prepares++, base.prepare(secret)) };
		const prepared = new PreparedSecrets(['a-secret', '', 'another-secret']);
		const first = prepared.keysFor(counting);
		expect(prepared.keysFor(counting)).toBe(first);
		expect(prepares).toBe(2); // the empty rotation slot is never a key
		expect(first[1]).toBeUndefined();
	});

	test('the trigger keeps one PreparedSecrets per cached secrets array', () => {
		const secrets = ['s1', 's2'];
		expect(preparedSecretsOf(secrets)).toBe(preparedSecretsOf(secrets));
		expect(preparedSecretsOf(['s1', 's2'])).not.toBe(preparedSecretsOf(secrets));
		expect(preparedSecretsOf(secrets).secrets).toEqual(secrets);
	});

	test('a prepared value that prepareSecrets() did not make is a programming error (TypeError)', () => {
		const request = signedRequest(rowNamed('github'));
		const fake = { secrets: request.secrets, keysFor: () => [] } as unknown as PreparedSecrets;
		expect(() => verify({ ...request, prepared: fake })).toThrow(TypeError);
	});

	test('hmacKeys() with the same arguments is one object, so schemes rebuilt per request share prepared keys', () => {
		expect(hmacKeys()).toBe(hmacKeys());
		expect(hmacKeys(undefined, ['v1'])).toBe(hmacKeys(undefined, ['v1']));
		expect(hmacKeys(undefined, ['v1'])).not.toBe(hmacKeys());
		const generic = schemeById('generic-hmac');
		const options = { header: 'X-Sig', template: '{timestamp}.{body}' };
		const one = generic.resolve!(requestView({ headers: {}, body: '', options }));
		const two = generic.resolve!(requestView({ headers: {}, body: '', options }));
		expect(one).not.toBe(two);
		expect(one.keys).toBe(two.keys);
	});
});

describe('signed bytes kept as parts', () => {
	const body = Buffer.from('{"id":"evt_1","type":"x"}');
	const request = requestView({ headers: {}, body });

	test('signed(...) keeps the received body as one of its parts (no copy) and hashes like the concatenation', () => {
		const content = signed('v0:', TIMESTAMP, ':', BODY, ID)({ request, timestamp: '1700000000', id: 'msg_1' });
		const parts = partsOf(content as Exclude<typeof content, unknown[]>);
		expect(parts).toContain(request.body);
		expect(Buffer.concat(parts).toString()).toBe(`v0:1700000000:${body.toString()}msg_1`);
		const key = Buffer.from('secret');
		for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
			const whole = createHmac(algorithm, key).update(Buffer.concat(parts)).digest();
			expect(hmacParts(algorithm, key, parts)).toEqual(whole);
		}
	});

	test('joined() and plain Buffers give the same bytes; bytesOf does not copy a single part', () => {
		expect(bytesOf(joined('GET', body, '123')).toString()).toBe(`GET${body.toString()}123`);
		expect(bytesOf(body)).toBe(body);
		expect(partsOf(body)).toEqual([body]);
	});

	test('Twilio: both URL candidates (with and without the default port) still verify', () => {
		const row = rowNamed('twilio (form)');
		const request = signedRequest({ ...row, url: 'https://example.com/hook?x=1' });
		expect(verify({ ...request, url: 'https://example.com:443/hook?x=1' }).valid).toBe(true);
		expect(verify({ ...request, url: 'https://example.com/hook?x=1' }).valid).toBe(true);
	});

	test('Ed25519 keys see the same bytes as parts or as one buffer', () => {
		const row = rowNamed('discord');
		const request = signedRequest(row);
		const keys = ed25519Keys(hexKey);
		const key = keys.prepare(request.secrets[0])!;
		const header = (name: string) => String(Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1]);
		const signature = Buffer.from(header('x-signature-ed25519'), 'hex');
		const timestamp = header('x-signature-timestamp');
		const asParts = joined(timestamp, Buffer.from(request.body));
		expect(key.matches(asParts, [signature], 'sha256')).toBe(true);
		expect(key.matches(bytesOf(asParts), [signature], 'sha256')).toBe(true);
	});
});

describe('ids and types read from the body', () => {
	test('are the same read at once or later, and absent fields stay undefined (every provider row)', () => {
		for (const row of PROVIDER_ROWS) {
			const request = signedRequest(row);
			const result = verify(request);
			expect(result.valid).toBe(true);
			if (!result.valid) continue;
			if (row.expect?.deliveryId !== undefined) expect(result.deliveryId).toBe(row.expect.deliveryId);
			if (row.expect?.eventType !== undefined) expect(result.eventType).toBe(row.expect.eventType);
			for (const field of ['deliveryId', 'eventType'] as const) {
				const value = result[field];
				expect(value === undefined || (typeof value === 'string' && value !== '')).toBe(true);
			}
		}
	});

	test('verify() given the caller parse (json) uses it instead of parsing again', () => {
		const request = signedRequest(rowNamed('stripe'));
		let parses = 0;
		const parse = bodyJson(Buffer.from(request.body));
		const counted = () => (parses++, parse());
		const result = verify({ ...request, json: counted });
		expect(result).toMatchObject({ valid: true, deliveryId: expect.any(String), eventType: expect.any(String) });
		expect(parses).toBeGreaterThan(0);
	});

	test('bodyJson parses once, only objects and arrays', () => {
		const spy = jest.spyOn(JSON, 'parse');
		try {
			const parse = bodyJson(Buffer.from(' {"a":1}'));
			expect(parse()).toEqual({ a: 1 });
			expect(parse()).toBe(parse());
			expect(spy).toHaveBeenCalledTimes(1);
		} finally {
			spy.mockRestore();
		}
		expect(bodyJson(Buffer.from('"text"'))()).toBeUndefined();
		expect(bodyJson(Buffer.from('{not json'))()).toBeUndefined();
	});
});

describe('the trigger parses one request body once', () => {
	const settingsFor = (secrets: string[], provider: string): PipelineSettings => ({
		provider,
		acceptedMethods: ['POST'],
		maxBodyBytes: 0,
		allowedEventTypes: [],
		providerOptions: {},
		secrets,
		redactHeaders: new Set(),
	});
	const incoming = (request: ReturnType<typeof signedRequest>): IncomingRequest => ({
		method: 'POST',
		clientIp: '127.0.0.1',
		headers: { ...request.headers, 'content-type': 'application/json' },
		query: {},
		url: request.url ?? '',
		contentType: 'application/json',
		readBody: async () => Buffer.from(request.body),
		now: request.now,
	});

	test.each(['stripe', 'zoom', 'paddle'])('%s: handshake detection, verify and the output item share one JSON.parse', async (name) => {
		const row = rowNamed(name);
		const request = signedRequest(row);
		const bodyText = Buffer.from(request.body).toString('utf8');
		const spy = jest.spyOn(JSON, 'parse');
		try {
			const outcome = await runPipeline(settingsFor(request.secrets, row.provider), incoming(request), { verify, detectHandshake });
			expect(outcome.type).toBe('emit');
			if (outcome.type !== 'emit') return;
			expect(outcome.json.body).toEqual(JSON.parse(bodyText));
			const { deliveryId, eventType } = outcome.json.verification;
			expect([deliveryId, eventType].some((value) => typeof value === 'string' && value !== '')).toBe(true);
			// The parse above is the test's own; the pipeline's is the other one.
			expect(spy.mock.calls.filter(([text]) => text === bodyText)).toHaveLength(2);
		} finally {
			spy.mockRestore();
		}
	});
});

describe('one table of rejection statuses (issue 11, item 3)', () => {
	test('httpStatusFor reads REJECTION_STATUS: every signature reason is a 401', () => {
		for (const reason of ['missing_signature', 'malformed_signature', 'invalid_signature', 'missing_timestamp', 'timestamp_out_of_tolerance'] as const) {
			expect(httpStatusFor(reason)).toBe(REJECTION_STATUS[reason]);
			expect(httpStatusFor(reason)).toBe(401);
		}
	});

	test("Meta's wrong verify token is refused with the table's status for its code", () => {
		const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' };
		const refused = detectHandshake({ provider: 'meta', method: 'GET', headers: {}, body: '', query, secrets: [], options: { verifyToken: 'right' } })!.respond();
		expect(refused.rejected).toBe('invalid_signature');
		expect(refused.status).toBe(REJECTION_STATUS[refused.rejected!]);
		expect(JSON.parse(refused.body)).toMatchObject({ error: refused.rejected });
	});

	test('every code in the table is produced somewhere (no dead entry like the former invalid_verify_token)', () => {
		const sources = [...listTs(join(ROOT, 'nodes'))]
			.filter((file) => !file.endsWith(join('http', 'rejection.ts')))
			.map((file) => readFileSync(file, 'utf8'))
			.join('\n');
		const signatureReasons = readFileSync(join(ROOT, 'nodes', 'core', 'signatures', 'types.ts'), 'utf8');
		for (const code of Object.keys(REJECTION_STATUS)) {
			expect([code, sources.includes(`'${code}'`) || signatureReasons.includes(`'${code}'`)]).toEqual([code, true]);
		}
	});
});

const ROOT = join(__dirname, '..', '..', '..');

function* listTs(dir: string): Generator<string> {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) yield* listTs(path);
		else if (entry.name.endsWith('.ts')) yield path;
	}
}
