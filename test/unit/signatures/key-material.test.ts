/**
 * Kind 1 of issue 10: too little key material. Every path that turns configuration into a key refuses an empty key,
 * a key with surrounding whitespace (never trimmed for shared secrets) and a decoded `whsec_` key shorter than
 * MIN_DECODED_KEY_BYTES, naming the field and never the value.
 * Inputs from the issue: `whsec_A` decodes to 0 bytes, `whsec_QQ==` to 1 byte (256 possible keys).
 */
import { createHmac } from 'node:crypto';
import { MIN_DECODED_KEY_BYTES, providerIds, secretProblem, sign, verify } from '../../../nodes/core';
import type { VerifyInput } from '../../../nodes/core';
import { OutgoingSignatureError, signOutgoingRequest } from '../../../nodes/core/delivery/outgoing-signature';
import type { SignableRequest } from '../../../nodes/core/delivery/outgoing-signature';
import { OutgoingWebhookSigningApi } from '../../../credentials/OutgoingWebhookSigningApi.credentials';
import { checkProviderSecret, checkSigningSecret } from '../../../nodes/SignedWebhookTrigger/credentialChecks';
import { NOW, PROVIDER_ROWS, rowNamed, signedRequest } from './provider-table';

const WEAK = [
	['whsec_A', 0],
	['whsec_QQ==', 1],
	[`whsec_${Buffer.alloc(MIN_DECODED_KEY_BYTES - 1, 7).toString('base64')}`, MIN_DECODED_KEY_BYTES - 1],
] as const;
const DECODED = [
	['standard-webhooks', 'standard-webhooks (v1 HMAC)', 'webhook'],
	['svix', 'svix', 'svix'],
	['gitlab', 'gitlab (signing token)', 'webhook'],
] as const;

/** A Standard Webhooks request signed with the raw key bytes `key` (what an attacker can do once the key is known). */
function forged(prefix: string, key: Buffer, body = '{"type":"forged"}') {
	const id = 'msg_forged';
	const ts = String(Math.floor(NOW / 1000));
	const signature = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
	return { headers: { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: ts, [`${prefix}-signature`]: `v1,${signature}` }, body, now: NOW };
}

describe('the minimum for decoded keys', () => {
	test('is 16 bytes (128 bits), below every generated whsec_ secret (24 bytes) and above a guessable key', () => {
		expect(MIN_DECODED_KEY_BYTES).toBe(16);
		const at = `whsec_${Buffer.alloc(16, 9).toString('base64')}`;
		for (const [provider] of DECODED) expect(secretProblem(provider, at, provider === 'gitlab' ? { mode: 'signing-token' } : {})).toBeUndefined();
	});
});

describe.each(DECODED)('%s: weak whsec_ secrets are refused everywhere', (provider, rowName, prefix) => {
	const options = provider === 'gitlab' ? { mode: 'signing-token' } : undefined;
	test.each(WEAK)('%s (%i bytes): a request forged with that key does not verify, and the failure says why', (secret, bytes) => {
		const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
		expect(key.length).toBe(bytes);
		const result = verify({ provider, secrets: [secret], options, ...forged(prefix, key) });
		expect(result).toMatchObject({ valid: false, reason: 'invalid_signature', misconfigured: true });
		if (!result.valid) {
			expect(result.message).toContain(`decodes to ${bytes} byte`);
			expect(result.message).toMatch(/^Configured secret 1 \(/);
			expect(result.message).not.toContain(secret);
		}
	});

	test.each(WEAK)('%s: sign() throws a TypeError naming the secret field, not the value', (secret) => {
		expect(() => sign({ provider, secret, body: '{}', options })).toThrow(TypeError);
		expect(() => sign({ provider, secret, body: '{}', options })).toThrow(/^sign\(\): secret \(.+\) decodes to/);
		try {
			sign({ provider, secret, body: '{}', options });
		} catch (error) {
			expect((error as Error).message).not.toContain(secret);
		}
	});

	test.each(WEAK)('%s: activation and credential checks refuse it', (secret) => {
		// `whsec_A` is not even whole base64 (one character), the others decode to too few bytes.
		const expected = secret === 'whsec_A' ? /rest is not base64/ : /decodes to \d+ bytes?; at least 16/;
		expect(checkSigningSecret(secret, true)).toMatchObject({ ok: false, problem: expect.stringMatching(expected) });
		expect(checkProviderSecret(provider, secret, options).ok).toBe(false);
	});

	test('a usable previous secret still verifies while the weak one is never used as a key', () => {
		const request = signedRequest(rowNamed(rowName));
		expect(verify({ ...request, secrets: ['whsec_A', request.secrets[0]] })).toMatchObject({ valid: true, secretIndex: 1 });
	});
});

test('a secret that is only the whsec_ prefix is named as empty, in words that survive masking the secret itself', () => {
	for (const provider of ['standard-webhooks', 'svix']) {
		const problem = secretProblem(provider, 'whsec_');
		expect(problem).toMatch(/has nothing after its prefix: the key is empty/);
		expect(problem).not.toContain('whsec_');
	}
});

test('Stripe uses its whsec_ secret as text: whsec_QQ== is 10 characters of key, not 1 byte', () => {
	expect(secretProblem('stripe', 'whsec_QQ==')).toBeUndefined();
	expect(checkSigningSecret('whsec_QQ==', false).ok).toBe(true);
});

describe('every provider refuses unusable configuration the same way (shared engine)', () => {
	const rows = PROVIDER_ROWS.filter((row) => row.provider !== 'sendgrid' || row.verifySecret);
	test('the table covers every provider', () => {
		expect(new Set(PROVIDER_ROWS.map((row) => row.provider))).toEqual(new Set(providerIds));
	});

	test.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
		const request = signedRequest(row);
		const verifyWith = (secrets: string[]) => verify({ ...request, secrets } as VerifyInput);
		const good = request.secrets[0];
		// Blank, whitespace-only and surrounding whitespace: refused, named, never trimmed into a match.
		for (const bad of [' ', '\n', `${good}\n`, ` ${good}`]) {
			const result = verifyWith([bad]);
			const isPublicKey = row.verifySecret !== undefined;
			if (isPublicKey && bad.trim() === good) {
				// Key encodings (hex, base64, PEM) carry nothing in surrounding whitespace: public keys are trimmed.
				expect(result).toMatchObject({ valid: true });
				continue;
			}
			expect(result).toMatchObject({ valid: false, reason: 'invalid_signature', misconfigured: true });
			if (!result.valid) {
				expect(result.message).toMatch(/^Configured secret 1 \(.+\) (is empty|starts or ends with whitespace)/);
				expect(result.message).not.toContain(good);
			}
		}
		// An empty string is an unused rotation slot: skipped, the next secret matches.
		expect(verifyWith(['', good])).toMatchObject({ valid: true, secretIndex: 1 });
		// sign(): empty and padded secrets throw a TypeError naming the field.
		if (row.verifySecret === undefined && !row.build) {
			const input = { provider: row.provider, body: row.body, url: row.url, method: row.method, options: row.options };
			expect(() => sign({ ...input, secret: '' })).toThrow(/^sign\(\): secret \(.+\) is empty/);
			expect(() => sign({ ...input, secret: `${row.secret}\n` })).toThrow(/^sign\(\): secret \(.+\) starts or ends with whitespace/);
		}
	});

	test('mailgun signs inside the body and refuses the same secrets', () => {
		expect(() => sign({ provider: 'mailgun', secret: '', body: '' })).toThrow(/secret \(HTTP webhook signing key\) is empty/);
		expect(() => sign({ provider: 'mailgun', secret: 'key-x ', body: '' })).toThrow(/starts or ends with whitespace/);
	});
});

describe('outgoing signing uses the same rules', () => {
	const request: SignableRequest = { url: 'https://example.com/hook', method: 'POST', body: { a: 1 } };
	test.each(WEAK)('standard-webhooks with %s throws an OutgoingSignatureError naming Signing Secret', (secret) => {
		const run = () => signOutgoingRequest({ scheme: 'standard-webhooks', secret }, request);
		expect(run).toThrow(OutgoingSignatureError);
		expect(run).toThrow(/^Could not sign the request: Signing Secret decodes to \d+ bytes?; at least 16 are needed/);
	});

	test('a secret with a trailing newline is refused for every outgoing scheme', () => {
		for (const scheme of ['github', 'generic-hmac'] as const) {
			expect(() => signOutgoingRequest({ scheme, secret: 'abc\n' }, request)).toThrow(/^Could not sign the request: Signing Secret starts or ends with whitespace/);
		}
		expect(() => signOutgoingRequest({ scheme: 'standard-webhooks', secret: `whsec_${Buffer.alloc(24, 1).toString('base64')}\n` }, request)).toThrow(
			/^Could not sign the request: Signing Secret starts or ends with whitespace/,
		);
	});

	test("the credential's authenticate() refuses whsec_QQ== before anything is sent", async () => {
		const credential = new OutgoingWebhookSigningApi();
		const run = credential.authenticate({ scheme: 'standard-webhooks', secret: 'whsec_QQ==' }, { url: 'https://example.com/hook', method: 'POST', body: {} });
		await expect(run).rejects.toThrow(OutgoingSignatureError);
		await expect(run).rejects.toThrow(/^Could not sign the request: Signing Secret decodes to 1 byte/);
	});

	test('a 24-byte whsec_ secret signs', () => {
		const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
		const signed = signOutgoingRequest({ scheme: 'standard-webhooks', secret }, request, new Date(NOW));
		expect(String(signed.headers?.['webhook-signature'])).toMatch(/^v1,/);
	});
});

describe('every decoded secret has the same floor (not only whsec_ ones)', () => {
	test('airtable: a base64 macSecretBase64 of 1 byte is refused by secretProblem, sign() and verify()', () => {
		const body = '{"base":{"id":"appA"}}';
		expect(secretProblem('airtable', 'QQ==')).toMatch(/decodes to 1 byte; at least 16 are needed/);
		expect(() => sign({ provider: 'airtable', secret: 'QQ==', body })).toThrow(TypeError);
		const mac = createHmac('sha256', Buffer.from('QQ==', 'base64')).update(body).digest('hex');
		const result = verify({ provider: 'airtable', secrets: ['QQ=='], headers: { 'X-Airtable-Content-MAC': `hmac-sha256=${mac}` }, body });
		expect(result).toMatchObject({ valid: false, misconfigured: true });
		const strong = Buffer.alloc(MIN_DECODED_KEY_BYTES, 5).toString('base64');
		expect(secretProblem('airtable', strong)).toBeUndefined();
	});
});
