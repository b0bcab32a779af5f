/**
 * Bad-input table: each case starts from a valid signed request, changes one thing, and names the expected outcome.
 * Decisions documented here: hex digests decode in either case (same bytes; issue 10, kind 2); an empty header is missing;
 * a header duplicated with different values is malformed, identical copies count once; past-only windows
 * (Stripe, Paddle, Twitch, HubSpot, Calendly) accept future timestamps, two-sided ones (Standard Webhooks, Slack, Linear) do not.
 */
import { createHmac } from 'node:crypto';
import { httpStatusFor, sign, verify } from '../../../nodes/core';
import type { ReasonCode, VerifyInput } from '../../../nodes/core';
import { NOW, PROVIDER_ROWS, rowNamed, signedRequest } from './provider-table';
import type { SignedRequest } from './provider-table';

type Change = (request: SignedRequest) => Partial<VerifyInput> & Record<string, unknown>;
type Case = [name: string, row: string, change: Change, expected: ReasonCode | 'valid'];

const hmacHex = (algorithm: string, key: string | Buffer, data: string | Buffer) =>
	createHmac(algorithm, key).update(data).digest('hex');
const header = (request: SignedRequest, name: string) => String(request.headers[name]);
const withHeader = (request: SignedRequest, name: string, value: string | string[] | undefined) => ({
	headers: { ...request.headers, [name]: value },
});
const without = (request: SignedRequest, name: string) => withHeader(request, name, undefined);
const S = 1000;
const GH = 'X-Hub-Signature-256';
const NON_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);

const cases: Case[] = [
	// presence and shape
	['github: no signature header', 'github', (r) => without(r, GH), 'missing_signature'],
	['github: empty signature header', 'github', (r) => withHeader(r, GH, ''), 'missing_signature'],
	['github: whitespace-only signature header', 'github', (r) => withHeader(r, GH, '   '), 'missing_signature'],
	['github: header name in odd case is still found', 'github', (r) => ({ headers: { 'x-HUB-signature-256': header(r, GH) } }), 'valid'],
	['github: duplicated header, different values (array)', 'github', (r) => withHeader(r, GH, [header(r, GH), `sha256=${'0'.repeat(64)}`]), 'malformed_signature'],
	['github: duplicated header, identical copies (array)', 'github', (r) => withHeader(r, GH, [header(r, GH), header(r, GH)]), 'valid'],
	['github: duplicated header joined by a proxy with ", "', 'github', (r) => withHeader(r, GH, `${header(r, GH)}, ${header(r, GH)}`), 'malformed_signature'],
	['github: empty array header', 'github', (r) => withHeader(r, GH, []), 'missing_signature'],
	['github: oversized header (16 KiB)', 'github', (r) => withHeader(r, GH, `sha256=${'a'.repeat(16384)}`), 'malformed_signature'],
	['github: wrong prefix (sha1= on the -256 header)', 'github', (r) => withHeader(r, GH, header(r, GH).replace('sha256=', 'sha1=')), 'malformed_signature'],
	['github: prefix in upper case', 'github', (r) => withHeader(r, GH, header(r, GH).replace('sha256=', 'SHA256=')), 'malformed_signature'],
	['github: prefix missing', 'github', (r) => withHeader(r, GH, header(r, GH).slice(7)), 'malformed_signature'],
	['github: non-hex characters', 'github', (r) => withHeader(r, GH, `sha256=${'zz'.repeat(32)}`), 'malformed_signature'],
	['github: truncated (62 hex digits)', 'github', (r) => withHeader(r, GH, header(r, GH).slice(0, -2)), 'malformed_signature'],
	['github: odd number of hex digits', 'github', (r) => withHeader(r, GH, header(r, GH).slice(0, -1)), 'malformed_signature'],
	// Issue 10, kind 2: the same bytes in upper or mixed case verify (WebSub hubs and payment providers send upper case).
	['github: upper-case hex', 'github', (r) => withHeader(r, GH, `sha256=${header(r, GH).slice(7).toUpperCase()}`), 'valid'],
	['github: mixed-case hex', 'github', (r) => withHeader(r, GH, `sha256=${header(r, GH).slice(7).replace(/[a-f]/, (c) => c.toUpperCase())}`), 'valid'],
	['github: upper-case hex of a wrong digest', 'github', (r) => withHeader(r, GH, `sha256=${hmacHex('sha256', 'other', String(r.body)).toUpperCase()}`), 'invalid_signature'],
	['generic-hmac: upper-case hex digest (WebSub hub style)', 'generic-hmac (defaults)', (r) => withHeader(r, 'X-Signature', header(r, 'X-Signature').toUpperCase()), 'valid'],
	['stripe: upper-case v1 hex', 'stripe', (r) => withHeader(r, 'Stripe-Signature', header(r, 'Stripe-Signature').replace(/v1=([0-9a-f]+)/, (_m, hex: string) => `v1=${hex.toUpperCase()}`)), 'valid'],
	['slack: upper-case hex after v0=', 'slack', (r) => withHeader(r, 'X-Slack-Signature', `v0=${header(r, 'X-Slack-Signature').slice(3).toUpperCase()}`), 'valid'],
	['discord: upper-case hex Ed25519 signature', 'discord', (r) => withHeader(r, 'X-Signature-Ed25519', header(r, 'X-Signature-Ed25519').toUpperCase()), 'valid'],
	['twilio: upper-case bodySHA256 in the signed URL', 'twilio (JSON, bodySHA256)', (r) => {
		const url = String(r.url).replace(/bodySHA256=([0-9a-f]+)/, (_m, hex: string) => `bodySHA256=${hex.toUpperCase()}`);
		return { url, headers: sign({ provider: 'twilio', secret: r.secrets[0], body: r.body, url }) };
	}, 'valid'],
	['mailgun: upper-case hex signature in the body', 'mailgun', (r) => ({ body: String(r.body).replace(/"signature":"([0-9a-f]+)"/, (_m, hex: string) => `"signature":"${hex.toUpperCase()}"`) }), 'valid'],
	['github: signature with a trailing space is trimmed', 'github', (r) => withHeader(r, GH, `${header(r, GH)} `), 'valid'],
	['github: wrong secret', 'github', () => ({ secrets: ['not the secret'] }), 'invalid_signature'],
	['github: no secrets configured', 'github', () => ({ secrets: [] }), 'invalid_signature'],
	['github: empty-string secret is never usable', 'github', (r) => ({ secrets: [''], headers: { [GH]: `sha256=${hmacHex('sha256', '', String(r.body))}` } }), 'invalid_signature'],
	['github: body re-serialised as JSON', 'github', (r) => {
		const body = '{\n  "action": "opened"\n}';
		return { body: JSON.stringify(JSON.parse(body)), headers: { [GH]: `sha256=${hmacHex('sha256', r.secrets[0], body)}` } };
	}, 'invalid_signature'],
	['github: trailing newline added to the body', 'github', (r) => ({ body: `${String(r.body)}\n` }), 'invalid_signature'],
	['github: empty body, signed', 'github', (r) => ({ body: '', headers: { [GH]: `sha256=${hmacHex('sha256', r.secrets[0], '')}` } }), 'valid'],
	['github: empty body, signature of another body', 'github', () => ({ body: '' }), 'invalid_signature'],
	['github: non-UTF-8 body signed byte for byte', 'github', (r) => ({ body: NON_UTF8, headers: { [GH]: `sha256=${hmacHex('sha256', r.secrets[0], NON_UTF8)}` } }), 'valid'],
	['github: non-UTF-8 body turned into a string (lossy) no longer verifies', 'github', (r) => ({ body: NON_UTF8.toString('utf8'), headers: { [GH]: `sha256=${hmacHex('sha256', r.secrets[0], NON_UTF8)}` } }), 'invalid_signature'],
	['github: body as Uint8Array', 'github', (r) => ({ body: new Uint8Array(Buffer.from(String(r.body))) }), 'valid'],
	// same header, different algorithms
	['github: only legacy sha1 X-Hub-Signature, SHA-1 not enabled', 'github', (r) => ({ headers: { 'X-Hub-Signature': `sha1=${hmacHex('sha1', r.secrets[0], String(r.body))}` } }), 'missing_signature'],
	['github: only legacy sha1 X-Hub-Signature, allowSha1', 'github', (r) => ({ options: { allowSha1: true }, headers: { 'X-Hub-Signature': `sha1=${hmacHex('sha1', r.secrets[0], String(r.body))}` } }), 'valid'],
	['github: Bitbucket-style sha256 X-Hub-Signature only', 'github', (r) => ({ headers: { 'X-Hub-Signature': `sha256=${hmacHex('sha256', r.secrets[0], String(r.body))}` } }), 'missing_signature'],
	['bitbucket: GitHub-style sha1 on X-Hub-Signature', 'bitbucket', (r) => ({ headers: { 'X-Hub-Signature': `sha1=${hmacHex('sha1', r.secrets[0], String(r.body))}` } }), 'malformed_signature'],
	// whsec_ trap
	['stripe: key is the literal whsec_ string; base64-decoding it (Standard Webhooks style) fails', 'stripe', (r) => {
		const t = String(Math.floor(NOW / S));
		const decodedKey = Buffer.from('test_secret', 'base64');
		return { headers: { 'Stripe-Signature': `t=${t},v1=${hmacHex('sha256', decodedKey, `${t}.${String(r.body)}`)}` } };
	}, 'invalid_signature'],
	['standard-webhooks: whsec_ used as a literal key (Stripe style) fails', 'standard-webhooks (v1 HMAC)', (r) => {
		const id = header(r, 'webhook-id');
		const ts = header(r, 'webhook-timestamp');
		const literal = createHmac('sha256', r.secrets[0]).update(`${id}.${ts}.${String(r.body)}`).digest('base64');
		return withHeader(r, 'webhook-signature', `v1,${literal}`);
	}, 'invalid_signature'],
	// Stripe header grammar and window (past only, 300 s)
	['stripe: 301 s old', 'stripe', () => ({ now: NOW + 301 * S }), 'timestamp_out_of_tolerance'],
	['stripe: 299 s old', 'stripe', () => ({ now: NOW + 299 * S }), 'valid'],
	['stripe: one hour in the future (past-only window)', 'stripe', () => ({ now: NOW - 3600 * S }), 'valid'],
	['stripe: 400 s old with toleranceSeconds 600', 'stripe', () => ({ now: NOW + 400 * S, toleranceSeconds: 600 }), 'valid'],
	['stripe: a day old with toleranceSeconds Infinity', 'stripe', () => ({ now: NOW + 86400 * S, toleranceSeconds: Infinity }), 'valid'],
	['stripe: only v0 signatures', 'stripe', (r) => withHeader(r, 'Stripe-Signature', header(r, 'Stripe-Signature').replace('v1=', 'v0=')), 'malformed_signature'],
	['stripe: an extra v0 is ignored', 'stripe', (r) => withHeader(r, 'Stripe-Signature', `${header(r, 'Stripe-Signature')},v0=${'1'.repeat(64)}`), 'valid'],
	// Decided once for every key=value / list header (shared parser): parts we do not understand are ignored, as
	// stripe-node's parseHeader and the standardwebhooks library do; a header without a signature entry stays malformed.
	['stripe: an extra unknown key=value part is ignored', 'stripe', (r) => withHeader(r, 'Stripe-Signature', `${header(r, 'Stripe-Signature')},v9=future,scheme=x`), 'valid'],
	['stripe: a part without = is ignored', 'stripe', (r) => withHeader(r, 'Stripe-Signature', `${header(r, 'Stripe-Signature')},garbage`), 'valid'],
	['stripe: an empty part is ignored', 'stripe', (r) => withHeader(r, 'Stripe-Signature', `${header(r, 'Stripe-Signature')},,`), 'valid'],
	['calendly: an extra unknown part is ignored', 'calendly', (r) => withHeader(r, 'Calendly-Webhook-Signature', `${header(r, 'Calendly-Webhook-Signature')},v2=abc`), 'valid'],
	['paddle: an extra unknown part is ignored', 'paddle', (r) => withHeader(r, 'Paddle-Signature', `${header(r, 'Paddle-Signature')};h2=abc;junk`), 'valid'],
	['convoy advanced: an extra unknown part is ignored', 'convoy (advanced, sha512 base64)', (r) => withHeader(r, 'X-Convoy-Signature', `${header(r, 'X-Convoy-Signature')},x=1`), 'valid'],
	['standard-webhooks: a part without a version is ignored', 'standard-webhooks (v1 HMAC)', (r) => withHeader(r, 'webhook-signature', `junk ${header(r, 'webhook-signature')}`), 'valid'],
	['stripe: unknown parts only, no v1', 'stripe', (r) => withHeader(r, 'Stripe-Signature', `t=${String(Math.floor(NOW / S))},x=1,garbage`), 'malformed_signature'],
	['stripe: two v1 during a secret roll, the second one matches', 'stripe', (r) => {
		const [t, v1] = header(r, 'Stripe-Signature').split(',');
		return withHeader(r, 'Stripe-Signature', `${t},v1=${'2'.repeat(64)},${v1}`);
	}, 'valid'],
	['stripe: no t=', 'stripe', (r) => withHeader(r, 'Stripe-Signature', header(r, 'Stripe-Signature').split(',')[1]), 'missing_timestamp'],
	['stripe: t= is not a number', 'stripe', (r) => withHeader(r, 'Stripe-Signature', header(r, 'Stripe-Signature').replace(/t=\d+/, 't=soon')), 'missing_timestamp'],
	['stripe: two t= values', 'stripe', (r) => withHeader(r, 'Stripe-Signature', `t=1,${header(r, 'Stripe-Signature')}`), 'malformed_signature'],
	['stripe: stale AND wrong signature reports the signature', 'stripe', () => ({ now: NOW + 3600 * S, secrets: ['whsec_other'] }), 'invalid_signature'],
	// Standard Webhooks (two-sided, 300 s)
	['standard-webhooks: 301 s in the future', 'standard-webhooks (v1 HMAC)', () => ({ now: NOW - 301 * S }), 'timestamp_out_of_tolerance'],
	['standard-webhooks: 301 s old', 'standard-webhooks (v1 HMAC)', () => ({ now: NOW + 301 * S }), 'timestamp_out_of_tolerance'],
	['standard-webhooks: no webhook-timestamp', 'standard-webhooks (v1 HMAC)', (r) => without(r, 'webhook-timestamp'), 'missing_timestamp'],
	['standard-webhooks: timestamp in milliseconds', 'standard-webhooks (v1 HMAC)', (r) => withHeader(r, 'webhook-timestamp', String(NOW)), 'missing_timestamp'],
	['standard-webhooks: no webhook-id', 'standard-webhooks (v1 HMAC)', (r) => without(r, 'webhook-id'), 'malformed_signature'],
	['standard-webhooks: only an unknown version', 'standard-webhooks (v1 HMAC)', (r) => withHeader(r, 'webhook-signature', header(r, 'webhook-signature').replace('v1,', 'v2,')), 'malformed_signature'],
	['standard-webhooks: junk entries next to a valid one', 'standard-webhooks (v1 HMAC)', (r) => withHeader(r, 'webhook-signature', `v1,${Buffer.alloc(32).toString('base64')} v2,abc ${header(r, 'webhook-signature')}`), 'valid'],
	['standard-webhooks: non-canonical base64 (spare bits set)', 'standard-webhooks (v1 HMAC)', (r) => {
		// 32 bytes leave 2 spare bits in the last base64 digit; setting one decodes to the same bytes.
		const value = header(r, 'webhook-signature');
		const last = value.charCodeAt(value.length - 2);
		return withHeader(r, 'webhook-signature', `${value.slice(0, -2)}${String.fromCharCode(last + 1)}=`);
	}, 'malformed_signature'],
	['standard-webhooks: whpk_ public key checks only v1a', 'standard-webhooks (v1a Ed25519)', (r) => withHeader(r, 'webhook-signature', header(r, 'webhook-signature').replace('v1a,', 'v1,')), 'malformed_signature'],
	// Other windows
	['slack: 301 s old', 'slack', () => ({ now: NOW + 301 * S }), 'timestamp_out_of_tolerance'],
	['slack: 301 s in the future (two-sided)', 'slack', () => ({ now: NOW - 301 * S }), 'timestamp_out_of_tolerance'],
	['slack: timestamp header missing', 'slack', (r) => without(r, 'X-Slack-Request-Timestamp'), 'missing_timestamp'],
	['slack: timestamp header duplicated with different values', 'slack', (r) => withHeader(r, 'X-Slack-Request-Timestamp', ['1', '2']), 'malformed_signature'],
	['paddle: 6 s old (5 s window)', 'paddle', () => ({ now: NOW + 6 * S }), 'timestamp_out_of_tolerance'],
	['paddle: several h1 during rotation, the last one matches', 'paddle', (r) => withHeader(r, 'Paddle-Signature', header(r, 'Paddle-Signature').replace(';h1=', `;h1=${'3'.repeat(64)};h1=`)), 'valid'],
	['twitch: 11 minutes old', 'twitch', () => ({ now: NOW + 660 * S }), 'timestamp_out_of_tolerance'],
	['twitch: an hour in the future (past-only)', 'twitch', () => ({ now: NOW - 3600 * S }), 'valid'],
	['twitch: message id missing', 'twitch', (r) => without(r, 'Twitch-Eventsub-Message-Id'), 'malformed_signature'],
	['linear: 61 s in the future (two-sided, 60 s)', 'linear', () => ({ now: NOW - 61 * S }), 'timestamp_out_of_tolerance'],
	['linear: body without webhookTimestamp', 'linear', (r) => {
		const body = '{"action":"create"}';
		return { body, headers: { ...r.headers, 'Linear-Signature': hmacHex('sha256', r.secrets[0], body) } };
	}, 'missing_timestamp'],
	['hubspot: 301 s old', 'hubspot', () => ({ now: NOW + 301 * S }), 'timestamp_out_of_tolerance'],
	['hubspot: other method than the one signed', 'hubspot', () => ({ method: 'GET' }), 'invalid_signature'],
	['zoom: no published window, 301 s old is out of the 5-minute default', 'zoom', () => ({ now: NOW + 301 * S }), 'timestamp_out_of_tolerance'],
	['zoom: 301 s in the future is out too (two-sided)', 'zoom', () => ({ now: NOW - 301 * S }), 'timestamp_out_of_tolerance'],
	['zoom: a week old verifies with the window turned off', 'zoom', () => ({ now: NOW + 7 * 86400 * S, toleranceSeconds: Infinity }), 'valid'],
	// URL-based schemes
	['twilio: URL with the default port added by a proxy', 'twilio (form)', (r) => ({ url: String(r.url).replace('mycompany.com', 'mycompany.com:443') }), 'valid'],
	['twilio: another URL', 'twilio (form)', (r) => ({ url: String(r.url).replace('foo=1', 'foo=2') }), 'invalid_signature'],
	['twilio: form parameters in another order on the wire', 'twilio (form)', (r) => ({ body: String(r.body).split('&').reverse().join('&') }), 'valid'],
	['twilio: JSON body changed (bodySHA256 no longer matches)', 'twilio (JSON, bodySHA256)', (r) => ({ body: String(r.body).replace('SM1', 'SM2') }), 'invalid_signature'],
	['square: notification URL differs from the registered one', 'square', () => ({ url: 'https://example.com/webhooks/square/' }), 'invalid_signature'],
	// token schemes
	['gitlab: wrong token', 'gitlab (secret token)', (r) => withHeader(r, 'X-Gitlab-Token', 'guess'), 'invalid_signature'],
	['gitlab: token mode refuses signing-token headers', 'gitlab (signing token)', () => ({ options: { mode: 'token' } }), 'missing_signature'],
	['generic-token: lower-case bearer', 'generic-token (Bearer)', (r) => withHeader(r, 'Authorization', header(r, 'Authorization').replace('Bearer', 'bearer')), 'valid'],
	['generic-token: token without Bearer', 'generic-token (Bearer)', (r) => withHeader(r, 'Authorization', header(r, 'Authorization').replace('Bearer ', '')), 'malformed_signature'],
	['generic-token: a prefix of the token', 'generic-token (Bearer)', (r) => withHeader(r, 'Authorization', header(r, 'Authorization').slice(0, -1)), 'invalid_signature'],
	// public keys
	['discord: a deliberately wrong signature', 'discord', (r) => withHeader(r, 'X-Signature-Ed25519', '0'.repeat(128)), 'invalid_signature'],
	['discord: configured public key is not a key', 'discord', () => ({ secrets: ['not-hex'] }), 'invalid_signature'],
	['sendgrid: trailing CRLF stripped from the body', 'sendgrid', (r) => ({ body: String(r.body).trimEnd() }), 'invalid_signature'],
	['sendgrid: signature is not DER', 'sendgrid', (r) => withHeader(r, 'X-Twilio-Email-Event-Webhook-Signature', Buffer.alloc(64, 1).toString('base64')), 'invalid_signature'],
	// in-body signature
	['mailgun: body without a signature object', 'mailgun', () => ({ body: '{"event-data":{}}' }), 'missing_signature'],
	['mailgun: token changed', 'mailgun', (r) => ({ body: String(r.body).replace(/"token":"[0-9a-f]+"/, '"token":"other"') }), 'invalid_signature'],
	['mailgun: body is not JSON', 'mailgun', () => ({ body: Buffer.from([0xff, 0x00]) }), 'missing_signature'],
	// rotation
	['rotation: signed with the previous secret → secretIndex 1', 'github', (r) => ({ secrets: ['new-secret', r.secrets[0]] }), 'valid'],
];

describe('bad input table', () => {
	test('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

	test.each(cases)('%s', (_name, rowName, change, expected) => {
		const request = signedRequest(rowNamed(rowName));
		const result = verify({ ...request, ...change(request) } as VerifyInput);
		if (expected === 'valid') {
			expect(result).toMatchObject({ valid: true });
		} else {
			expect(result).toMatchObject({ valid: false, reason: expected });
			if (!result.valid) expect(httpStatusFor(result.reason)).toBe(401);
		}
	});
});

/**
 * The same bad inputs for every provider row (issue 12: every provider passes the bad-input table), so a provider
 * added later is covered without a hand-written case. Rows whose signature is not a header (Mailgun) get the
 * wrong-secret case only.
 */
describe('the shared bad inputs, for every provider row', () => {
	const headerName = (request: SignedRequest, name: string) =>
		Object.keys(request.headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	const rejected = (request: SignedRequest, change: Partial<VerifyInput>, reason: ReasonCode) => {
		const result = verify({ ...request, ...change });
		expect(result).toMatchObject({ valid: false, reason });
		if (!result.valid) expect(httpStatusFor(result.reason)).toBe(401);
	};

	test.each(PROVIDER_ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
		const request = signedRequest(row);
		expect(verify(request)).toMatchObject({ valid: true });

		const name = headerName(request, row.signatureHeader);
		if (name !== undefined) {
			const value = String(request.headers[name]);
			rejected(request, withHeader(request, name, undefined), 'missing_signature');
			rejected(request, withHeader(request, name, ''), 'missing_signature');
			rejected(request, withHeader(request, name, [value, `${value}0`]), 'malformed_signature');
			rejected(request, withHeader(request, name, `${value}${'a'.repeat(16384)}`), 'malformed_signature');
		}

		// A wrong secret of the same shape: its middle character changed (not the last: a base64 key's padding can turn
		// into a trailing zero byte, and HMAC keys that differ only by trailing zeros are the same key). Public-key rows skip it.
		if (row.verifySecret === undefined) {
			const secret = row.secret;
			const middle = Math.floor(secret.length / 2);
			const wrong = secret.slice(0, middle) + (secret[middle] === 'A' ? 'B' : 'A') + secret.slice(middle + 1);
			rejected(request, { secrets: [wrong] }, 'invalid_signature');
		}
	});
});

describe('decisions that need their own assertion', () => {
	test('the secretIndex of a rotated secret is its position', () => {
		const request = signedRequest(rowNamed('github'));
		expect(verify({ ...request, secrets: ['a', 'b', request.secrets[0]] })).toMatchObject({ valid: true, secretIndex: 2 });
	});

	test('every reason code maps to 401', () => {
		const reasons: ReasonCode[] = ['missing_signature', 'malformed_signature', 'invalid_signature', 'missing_timestamp', 'timestamp_out_of_tolerance'];
		expect(reasons.map(httpStatusFor)).toEqual([401, 401, 401, 401, 401]);
	});

	test('unknown provider is a programming error (TypeError); bad input never throws', () => {
		expect(() => verify({ provider: 'nope', secrets: [], headers: {}, body: '' })).toThrow(TypeError);
		const garbage = { provider: 'stripe', secrets: [undefined, 5], headers: null, body: undefined } as unknown as VerifyInput;
		expect(verify(garbage)).toMatchObject({ valid: false });
	});

	test('secrets in the wrong shape is a programming error that says so (never "does not match"), without the value', () => {
		const body = '{"action":"opened"}';
		const secret = 'a-secret-the-message-must-not-show';
		const headers = sign({ provider: 'github', secret, body });
		const wrong = [{ secret }, { secrets: secret }, { secrets: undefined }] as Array<Record<string, unknown>>;
		for (const shape of wrong) {
			let thrown: unknown;
			try {
				verify({ provider: 'github', headers, body, ...shape } as unknown as VerifyInput);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(TypeError);
			expect((thrown as Error).message).toMatch(/^verify\(\): secrets must be an array of secret strings/);
			expect((thrown as Error).message).not.toContain(secret);
		}
		const singular = (() => {
			try {
				verify({ provider: 'github', headers, body, secret } as unknown as VerifyInput);
			} catch (error) {
				return (error as Error).message;
			}
			return 'no error';
		})();
		expect(singular).toContain('sign() takes secret');
		// No secret at all (an empty list, or only empty values) is a failure marked misconfigured, not a plain mismatch.
		for (const secrets of [[], [''], ['', '']]) {
			expect(verify({ provider: 'github', headers, body, secrets })).toEqual({
				valid: false,
				reason: 'invalid_signature',
				message: 'No secret is configured (Webhook secret): secrets is empty or holds only empty values.',
				misconfigured: true,
			});
		}
	});

	test('sign() for a verify-only scheme explains itself', () => {
		expect(() => sign({ provider: 'sendgrid', secret: 'x', body: '' })).toThrow(TypeError);
	});
});
