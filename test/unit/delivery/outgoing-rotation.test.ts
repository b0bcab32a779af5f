/**
 * Outgoing secret rotation (issue 14, item 5), through the core signer with an injected clock.
 * Expected signatures are computed here with node:crypto from the published constructions, not by our signer:
 * Standard Webhooks v1 = base64 HMAC-SHA256(base64-decoded whsec_ key, `id.timestamp.body`) (spec, "Signature scheme");
 * GitHub = `sha256=` + hex HMAC-SHA256(secret, body) (GitHub docs, "Validating webhook deliveries").
 */
import { createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import { verify } from '../../../nodes/core/signatures';
import {
	OutgoingSignatureError,
	ROTATION,
	signingSecrets,
	signOutgoingRequest,
	type OutgoingSigningSettings,
	type SignableRequest,
} from '../../../nodes/core/delivery/outgoing-signature';
import { OutgoingWebhookSigningApi } from '../../../credentials/OutgoingWebhookSigningApi.credentials';

const UNTIL = '2026-12-01T00:00:00Z';
const UNTIL_MS = Date.UTC(2026, 11, 1);
const BEFORE = new Date(UNTIL_MS - 1);
const AT = new Date(UNTIL_MS);
const AFTER = new Date(UNTIL_MS + 86_400_000);

const newKey = Buffer.alloc(32, 0x4e);
const oldKey = Buffer.alloc(24, 0x6f);
const NEW = `whsec_${newKey.toString('base64')}`;
const OLD = `whsec_${oldKey.toString('base64')}`;
const GH_NEW = 'gh-new-secret-0123456789';
const GH_OLD = 'gh-old-secret-9876543210';

const request: SignableRequest = { url: 'https://example.com/hook', method: 'POST', headers: { 'Idempotency-Key': 'msg_rot1' }, body: { a: 1 } };
const BODY = '{"a":1}';

const standard = (extra: Partial<OutgoingSigningSettings> = {}): OutgoingSigningSettings => ({
	scheme: 'standard-webhooks',
	secret: NEW,
	previousSecret: OLD,
	previousValidUntil: UNTIL,
	...extra,
});
const v1 = (key: Buffer, id: string, ts: string, body: string) => `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
const github = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const headersOf = (signed: SignableRequest) => signed.headers as Record<string, string>;
const verifies = (signed: SignableRequest, provider: string, secret: string, now: Date, options = {}) =>
	verify({ provider, secrets: [secret], headers: headersOf(signed), body: signed.body as Buffer, method: 'POST', now, options }).valid;

describe('Standard Webhooks: both signatures while the previous secret is valid', () => {
	test('before the date: webhook-signature is `v1,<new> v1,<old>` over the same id, timestamp and body', () => {
		const signed = signOutgoingRequest(standard(), request, BEFORE);
		const headers = headersOf(signed);
		const ts = String(Math.floor(BEFORE.getTime() / 1000));
		expect(headers['webhook-id']).toBe('msg_rot1');
		expect(headers['webhook-timestamp']).toBe(ts);
		expect(headers['webhook-signature']).toBe(`${v1(newKey, 'msg_rot1', ts, BODY)} ${v1(oldKey, 'msg_rot1', ts, BODY)}`);
		// A receiver holding only one of the two secrets accepts; one holding neither does not.
		expect(verifies(signed, 'standard-webhooks', OLD, BEFORE)).toBe(true);
		expect(verifies(signed, 'standard-webhooks', NEW, BEFORE)).toBe(true);
		expect(verifies(signed, 'standard-webhooks', `whsec_${Buffer.alloc(32, 1).toString('base64')}`, BEFORE)).toBe(false);
	});

	test('at the date and after it: only the new signature', () => {
		for (const now of [AT, AFTER]) {
			const signed = signOutgoingRequest(standard(), request, now);
			const ts = String(Math.floor(now.getTime() / 1000));
			expect(headersOf(signed)['webhook-signature']).toBe(v1(newKey, 'msg_rot1', ts, BODY));
			expect(verifies(signed, 'standard-webhooks', NEW, now)).toBe(true);
			expect(verifies(signed, 'standard-webhooks', OLD, now)).toBe(false);
		}
	});

	test('without an id header both entries sign the one generated webhook-id', () => {
		const signed = signOutgoingRequest(standard(), { ...request, headers: {} }, BEFORE);
		const headers = headersOf(signed);
		const ts = headers['webhook-timestamp'];
		expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
		expect(headers['webhook-signature']).toBe(`${v1(newKey, headers['webhook-id'], ts, BODY)} ${v1(oldKey, headers['webhook-id'], ts, BODY)}`);
	});

	test('moving from an HMAC secret (whsec_) to an Ed25519 key (whsk_): `v1a,<new> v1,<old>`, each verifies alone', () => {
		const seed = Buffer.alloc(32, 0x5a);
		const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]); // RFC 8410 Ed25519 private key prefix
		const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
		const publicKey = `whpk_${spki.subarray(-32).toString('base64')}`;
		const signed = signOutgoingRequest(standard({ secret: `whsk_${seed.toString('base64')}` }), request, BEFORE);
		const ts = headersOf(signed)['webhook-timestamp'];
		const [first, second] = headersOf(signed)['webhook-signature'].split(' ');
		expect(first).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
		expect(second).toBe(v1(oldKey, 'msg_rot1', ts, BODY));
		expect(verifies(signed, 'standard-webhooks', publicKey, BEFORE)).toBe(true);
		expect(verifies(signed, 'standard-webhooks', OLD, BEFORE)).toBe(true);
	});

	test('a previous secret equal to the current one adds no second entry', () => {
		const signed = signOutgoingRequest(standard({ previousSecret: NEW }), request, BEFORE);
		expect(headersOf(signed)['webhook-signature'].split(' ')).toHaveLength(1);
	});

	test('no previous secret: one signature, and the date field is not read', () => {
		for (const previousValidUntil of [undefined, '', 'not a date']) {
			const signed = signOutgoingRequest(standard({ previousSecret: '', previousValidUntil }), request, BEFORE);
			expect(headersOf(signed)['webhook-signature'].split(' ')).toHaveLength(1);
		}
		expect(signingSecrets({ scheme: 'standard-webhooks', secret: NEW }, BEFORE.getTime())).toEqual([NEW]);
	});

	test('the clock decides: signingSecrets with the window open and closed', () => {
		expect(signingSecrets(standard(), UNTIL_MS - 1)).toEqual([NEW, OLD]);
		expect(signingSecrets(standard(), UNTIL_MS)).toEqual([NEW]);
		expect(signingSecrets(standard({ previousValidUntil: '2026-12-01T00:00:00.001Z' }), UNTIL_MS)).toEqual([NEW, OLD]);
	});
});

describe('single-signature headers: the previous secret signs until the date, the new one after', () => {
	test('GitHub style: X-Hub-Signature-256 holds exactly one signature, first the old one, then the new one', () => {
		const settings: OutgoingSigningSettings = { scheme: 'github', secret: GH_NEW, previousSecret: GH_OLD, previousValidUntil: UNTIL };
		const before = signOutgoingRequest(settings, request, BEFORE);
		expect(headersOf(before)['X-Hub-Signature-256']).toBe(github(GH_OLD, BODY));
		expect(verifies(before, 'github', GH_OLD, BEFORE)).toBe(true);
		expect(verifies(before, 'github', GH_NEW, BEFORE)).toBe(false);
		const after = signOutgoingRequest(settings, request, AT);
		expect(headersOf(after)['X-Hub-Signature-256']).toBe(github(GH_NEW, BODY));
		expect(verifies(after, 'github', GH_NEW, AT)).toBe(true);
		expect(verifies(after, 'github', GH_OLD, AT)).toBe(false);
	});

	test('Generic HMAC: the one configured header, previous secret before the date, new after', () => {
		const options = { header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', prefix: 'v=', template: '{body}' } as const;
		const settings: OutgoingSigningSettings = { scheme: 'generic-hmac', secret: GH_NEW, previousSecret: GH_OLD, previousValidUntil: UNTIL, ...options };
		const hex = (secret: string) => `v=${createHmac('sha256', secret).update(BODY).digest('hex')}`;
		expect(headersOf(signOutgoingRequest(settings, request, BEFORE))['X-Sig']).toBe(hex(GH_OLD));
		expect(headersOf(signOutgoingRequest(settings, request, AFTER))['X-Sig']).toBe(hex(GH_NEW));
	});

	test('ROTATION names a behaviour for every outgoing scheme', () => {
		expect(ROTATION).toEqual({ 'standard-webhooks': 'both', github: 'previous', 'generic-hmac': 'previous' });
	});
});

describe('the previous secret gets the same key checks, naming the field, never the value', () => {
	const WEAK = ['whsec_A', 'whsec_QQ==', `whsec_${Buffer.alloc(15, 7).toString('base64')}`];
	test.each(WEAK)('Standard Webhooks previous secret %s is refused, before and after the date', (weak) => {
		for (const now of [BEFORE, AFTER]) {
			const run = () => signOutgoingRequest(standard({ previousSecret: weak }), request, now);
			expect(run).toThrow(OutgoingSignatureError);
			expect(run).toThrow(/^Could not sign the request: Previous Signing Secret decodes to \d+ bytes?; at least 16 are needed/);
		}
	});

	test('surrounding whitespace and non-base64 are refused for the previous secret; the message holds no secret', () => {
		const cases: Array<[OutgoingSigningSettings, RegExp]> = [
			[{ scheme: 'github', secret: GH_NEW, previousSecret: `${GH_OLD}\n`, previousValidUntil: UNTIL }, /Previous Signing Secret starts or ends with whitespace/],
			[{ scheme: 'generic-hmac', secret: GH_NEW, previousSecret: ` ${GH_OLD}`, previousValidUntil: UNTIL }, /Previous Signing Secret starts or ends with whitespace/],
			[standard({ previousSecret: 'whsec_%%%not-base64%%%' }), /Previous Signing Secret starts with whsec_ but the rest is not base64/],
		];
		for (const [settings, message] of cases) {
			let error: Error | undefined;
			try {
				signOutgoingRequest(settings, request, BEFORE);
			} catch (caught) {
				error = caught as Error;
			}
			expect(error).toBeInstanceOf(OutgoingSignatureError);
			expect(error!.message).toMatch(message);
			expect(error!.message).not.toContain(GH_OLD);
			expect(error!.message).not.toContain(GH_NEW);
			expect(error!.message).not.toContain('%%%not-base64%%%');
		}
	});

	test('the current secret is still checked first and named as Signing Secret', () => {
		expect(() => signOutgoingRequest(standard({ secret: 'whsec_QQ==' }), request, BEFORE)).toThrow(/^Could not sign the request: Signing Secret decodes to 1 byte/);
	});
});

describe('Previous Secret Valid Until is parsed strictly', () => {
	const IMPOSSIBLE = [
		'2026-02-31T00:00:00Z', // 31 February: Date.parse would move it to 3 March
		'2026-02-29T12:00:00Z', // 2026 is not a leap year
		'2026-12-01T24:00:00Z',
		'2026-12-01T23:60:00Z',
		'2026-13-01T00:00:00Z',
	];
	const OTHER_SHAPES = ['2026-12-01', '2026-12-01T00:00:00', '2026-12-01T00:00:00+02:00', '1 December 2026', '1764547200', 'tomorrow'];

	test.each([...IMPOSSIBLE, ...OTHER_SHAPES])('%s is refused with a message naming the field', (until) => {
		const run = () => signOutgoingRequest(standard({ previousValidUntil: until }), request, BEFORE);
		expect(run).toThrow(OutgoingSignatureError);
		expect(run).toThrow(/^Could not sign the request: Previous Secret Valid Until is not a date and time that exists, UTC in the form 2026-12-31T00:00:00Z$/);
	});

	test('a missing date is refused when a previous secret is set (an open-ended window would keep a retired secret signing)', () => {
		for (const until of [undefined, '', '   ']) {
			expect(() => signOutgoingRequest(standard({ previousValidUntil: until }), request, BEFORE)).toThrow(
				/^Could not sign the request: Previous Secret Valid Until is empty: set the date and time/,
			);
		}
	});

	test('a secret pasted into the date field by mistake is not echoed', () => {
		try {
			signOutgoingRequest(standard({ previousValidUntil: OLD }), request, BEFORE);
			throw new Error('expected a refusal');
		} catch (error) {
			expect(error).toBeInstanceOf(OutgoingSignatureError);
			expect((error as Error).message).not.toContain(OLD.slice(6));
		}
	});

	test('milliseconds and a leap day are accepted; surrounding spaces are ignored', () => {
		expect(signingSecrets(standard({ previousValidUntil: '2028-02-29T23:59:59.5Z' }), Date.UTC(2028, 1, 29, 23, 59, 59, 499))).toEqual([NEW, OLD]);
		expect(signingSecrets(standard({ previousValidUntil: '2028-02-29T23:59:59.5Z' }), Date.UTC(2028, 1, 29, 23, 59, 59, 500))).toEqual([NEW]);
		expect(signingSecrets(standard({ previousValidUntil: ` ${UNTIL} ` }), UNTIL_MS - 1)).toEqual([NEW, OLD]);
	});
});

describe('the credential', () => {
	const credential = new OutgoingWebhookSigningApi();
	const property = (name: string) => credential.properties.find((p) => p.name === name);

	test('offers the previous secret as a password field and the date as text', () => {
		expect(property('previousSecret')).toMatchObject({ type: 'string', typeOptions: { password: true }, default: '' });
		expect(property('previousValidUntil')).toMatchObject({ type: 'string', default: '', placeholder: '2026-12-31T00:00:00Z' });
	});

	test('shows the notice that matches each scheme’s ROTATION behaviour, only when a previous secret is set', () => {
		const notices = credential.properties.filter((p) => p.type === 'notice');
		for (const [scheme, behaviour] of Object.entries(ROTATION)) {
			const shown = notices.filter((notice) => (notice.displayOptions?.show?.scheme as string[]).includes(scheme));
			expect(shown).toHaveLength(1);
			expect(shown[0].displayOptions?.hide).toEqual({ previousSecret: [''] });
			expect(shown[0].displayName).toMatch(behaviour === 'both' ? /two signatures/ : /one signature only/);
		}
	});

	test('authenticate() passes the rotation fields to the signer (window open: two entries)', async () => {
		const settings = standard({ previousValidUntil: '9999-12-31T23:59:59Z' });
		const signed = await credential.authenticate(settings as never, { url: 'https://example.com/hook', method: 'POST', body: { a: 1 } });
		expect(String(signed.headers?.['webhook-signature']).split(' ')).toHaveLength(2);
		await expect(credential.authenticate(standard({ previousSecret: 'whsec_QQ==' }) as never, { url: 'https://example.com/', method: 'POST', body: {} })).rejects.toThrow(
			/Previous Signing Secret decodes to 1 byte/,
		);
	});
});
