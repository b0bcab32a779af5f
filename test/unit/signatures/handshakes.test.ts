/** Handshakes: detection, the verify-first contract, and the exact answers each provider expects. */
import { createHmac } from 'node:crypto';
import { detectHandshake, providers, sign, verify } from '../../../nodes/core';
import { NOW, rowNamed, signedRequest } from './provider-table';

describe('detectHandshake', () => {
	test('Slack url_verification: signed, answered with the challenge only after verify', () => {
		const body = JSON.stringify({ token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
		const secret = 'slack-signing-secret';
		const headers = sign({ provider: 'slack', secret, body, timestamp: NOW });
		const handshake = detectHandshake({ provider: 'slack', method: 'POST', headers, body, secrets: [secret] });
		expect(handshake).toMatchObject({ kind: 'slack-url-verification', requiresVerification: true });
		const result = verify({ provider: 'slack', secrets: [secret], headers, body, now: NOW });
		expect(result.valid).toBe(true);
		const response = handshake!.respond(0);
		expect(response.status).toBe(200);
		expect(JSON.parse(response.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
	});

	test('Slack: an ordinary event is not a handshake', () => {
		expect(detectHandshake({ provider: 'slack', headers: {}, body: '{"type":"event_callback"}', secrets: [] })).toBeUndefined();
	});

	test('Zoom endpoint.url_validation: encryptedToken = hex HMAC-SHA256(secret of the matching index, plainToken)', () => {
		const body = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680 });
		const secrets = ['new-token', 'old-token'];
		const headers = sign({ provider: 'zoom', secret: 'old-token', body, timestamp: NOW });
		const handshake = detectHandshake({ provider: 'zoom', method: 'POST', headers, body, secrets });
		const result = verify({ provider: 'zoom', secrets, headers, body, now: NOW });
		expect(result).toMatchObject({ valid: true, secretIndex: 1 });
		const answer = JSON.parse(handshake!.respond(result.valid ? result.secretIndex : undefined).body);
		expect(answer).toEqual({
			plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
			encryptedToken: createHmac('sha256', 'old-token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
		});
		expect(handshake!.requiresVerification).toBe(true);
	});

	test('Twitch webhook_callback_verification: raw challenge as text/plain', () => {
		const body = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { type: 'channel.follow' } });
		const headers = {
			...sign({ provider: 'twitch', secret: 'twitch-secret-0123456789', body, timestamp: NOW, id: 'e76c6bd4' }),
			'Twitch-Eventsub-Message-Type': 'webhook_callback_verification',
		};
		const handshake = detectHandshake({ provider: 'twitch', method: 'POST', headers, body, secrets: ['twitch-secret-0123456789'] });
		expect(verify({ provider: 'twitch', secrets: ['twitch-secret-0123456789'], headers, body, now: NOW }).valid).toBe(true);
		expect(handshake!.respond(0)).toMatchObject({ status: 200, body: 'pogchamp-kappa-360noscope-vohiyo' });
		expect(handshake!.respond(0).headers['content-type']).toMatch(/^text\/plain/);
		const notification = { ...headers, 'Twitch-Eventsub-Message-Type': 'notification' };
		expect(detectHandshake({ provider: 'twitch', headers: notification, body, secrets: [] })).toBeUndefined();
	});

	test('Meta GET hub.challenge: unsigned, verify token compared, 401 on mismatch', () => {
		const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1158201444' };
		const handshake = detectHandshake({ provider: 'meta', method: 'GET', headers: {}, body: '', query, secrets: ['app-secret'], options: { verifyToken: 'my-verify-token' } });
		expect(handshake).toMatchObject({ kind: 'meta-subscribe', requiresVerification: false });
		expect(handshake!.respond()).toMatchObject({ status: 200, body: '1158201444' });

		const wrong = detectHandshake({ provider: 'meta', method: 'GET', headers: {}, body: '', query: { ...query, 'hub.verify_token': 'guess' }, secrets: [], options: { verifyToken: 'my-verify-token' } });
		const refused = wrong!.respond();
		expect(refused).toMatchObject({ status: 401, rejected: 'invalid_signature' });
		expect(refused.body).not.toContain('my-verify-token');
		expect(refused.body).not.toContain('1158201444');

		const unconfigured = detectHandshake({ provider: 'meta', method: 'GET', headers: {}, body: '', query, secrets: [] });
		expect(unconfigured!.respond().status).toBe(401);
		expect(detectHandshake({ provider: 'meta', method: 'POST', headers: {}, body: '{}', query, secrets: [] })).toBeUndefined();
	});

	test('Discord: interactions PING → {"type":1}; webhook-events PING → 204; a bad signature still fails verify', () => {
		const row = rowNamed('discord');
		for (const [body, status, answer] of [
			['{"type":1,"id":"1","application_id":"2","token":"t","version":1}', 200, '{"type":1}'],
			['{"version":1,"application_id":"2","type":0}', 204, ''],
		] as const) {
			const request = signedRequest({ ...row, body });
			const handshake = detectHandshake({ provider: 'discord', method: 'POST', headers: request.headers, body, secrets: request.secrets });
			expect(handshake!.requiresVerification).toBe(true);
			expect(verify(request).valid).toBe(true);
			expect(handshake!.respond()).toMatchObject({ status, body: answer });
			const forged = { ...request, headers: { ...request.headers, 'X-Signature-Ed25519': 'ab'.repeat(64) } };
			expect(verify(forged)).toMatchObject({ valid: false, reason: 'invalid_signature' });
		}
		const event = '{"version":1,"type":1,"event":{"type":"APPLICATION_AUTHORIZED"}}';
		expect(detectHandshake({ provider: 'discord', headers: {}, body: event, secrets: [] })).toBeUndefined();
	});

	test('providers without handshakes, and garbage bodies, return undefined', () => {
		expect(detectHandshake({ provider: 'github', headers: {}, body: '{}', secrets: [] })).toBeUndefined();
		expect(detectHandshake({ provider: 'zoom', headers: {}, body: Buffer.from([0xff]), secrets: [] })).toBeUndefined();
	});

	test('Dropbox GET ?challenge: unsigned echo as text/plain with nosniff; POST notifications are not handshakes', () => {
		const handshake = detectHandshake({ provider: 'dropbox', method: 'GET', headers: {}, body: '', query: { challenge: 'abc123' }, secrets: [] });
		expect(handshake).toMatchObject({ kind: 'dropbox-challenge', requiresVerification: false });
		expect(handshake!.respond()).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: 'abc123' });
		expect(detectHandshake({ provider: 'dropbox', method: 'POST', headers: {}, body: '{}', query: { challenge: 'abc123' }, secrets: [] })).toBeUndefined();
		expect(detectHandshake({ provider: 'dropbox', method: 'GET', headers: {}, body: '', query: {}, secrets: [] })).toBeUndefined();
		// Not echoed: empty, over 1024 characters, or with control characters (header or log injection).
		for (const challenge of ['', 'a'.repeat(1025), 'a\r\nSet-Cookie: x=1']) {
			expect(detectHandshake({ provider: 'dropbox', method: 'GET', headers: {}, body: '', query: { challenge }, secrets: [] })).toBeUndefined();
		}
	});

	test('WebSub GET intent verification: subscribe and unsubscribe echoed, other modes and a missing topic are not handshakes', () => {
		const query = { 'hub.mode': 'subscribe', 'hub.topic': 'https://example.com/feed', 'hub.challenge': 'c-1', 'hub.lease_seconds': '864000' };
		expect(detectHandshake({ provider: 'websub', method: 'GET', headers: {}, body: '', query, secrets: [] })!.respond()).toMatchObject({ status: 200, body: 'c-1' });
		const unsubscribe = detectHandshake({ provider: 'websub', method: 'GET', headers: {}, body: '', query: { ...query, 'hub.mode': 'unsubscribe' }, secrets: [] });
		expect(unsubscribe).toMatchObject({ kind: 'websub-unsubscribe', requiresVerification: false });
		expect(detectHandshake({ provider: 'websub', method: 'GET', headers: {}, body: '', query: { ...query, 'hub.mode': 'denied' }, secrets: [] })).toBeUndefined();
		expect(detectHandshake({ provider: 'websub', method: 'GET', headers: {}, body: '', query: { 'hub.mode': 'subscribe', 'hub.challenge': 'c-1' }, secrets: [] })).toBeUndefined();
	});

	test('WebSub signatures: every method the spec allows verifies; an unknown method or a method/length mismatch is malformed', () => {
		const body = '<feed/>';
		const secret = 'hub-secret';
		for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512']) {
			const headers = { 'X-Hub-Signature': `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}` };
			expect(verify({ provider: 'websub', secrets: [secret], headers, body })).toMatchObject({ valid: true });
		}
		const md5 = { 'X-Hub-Signature': `md5=${'0'.repeat(32)}` };
		expect(verify({ provider: 'websub', secrets: [secret], headers: md5, body })).toMatchObject({ valid: false, reason: 'malformed_signature' });
		const short = { 'X-Hub-Signature': `sha512=${createHmac('sha256', secret).update(body).digest('hex')}` };
		expect(verify({ provider: 'websub', secrets: [secret], headers: short, body })).toMatchObject({ valid: false, reason: 'malformed_signature' });
		expect(verify({ provider: 'websub', secrets: [secret], headers: {}, body })).toMatchObject({ valid: false, reason: 'missing_signature' });
	});

	test('Trello HEAD: 200 with no body, unsigned; a POST is verified as usual', () => {
		const handshake = detectHandshake({ provider: 'trello', method: 'HEAD', headers: {}, body: '', secrets: [] });
		expect(handshake).toMatchObject({ kind: 'trello-head', requiresVerification: false });
		expect(handshake!.respond()).toEqual({ status: 200, headers: {}, body: '' });
		expect(detectHandshake({ provider: 'trello', method: 'POST', headers: {}, body: '{}', secrets: [] })).toBeUndefined();
	});

	test('Trello signs body + callback URL: the same body at another URL is refused', () => {
		const request = signedRequest(rowNamed('trello'));
		expect(verify(request).valid).toBe(true);
		expect(verify({ ...request, url: 'https://hooks.example.com/trello?board=2' })).toMatchObject({ valid: false, reason: 'invalid_signature' });
		const expected = createHmac('sha1', 'trello-oauth-secret').update(String(request.body) + request.url).digest('base64');
		expect(request.headers['X-Trello-Webhook']).toBe(expected);
	});

	test('X CRC: sha256= base64 HMAC of crc_token with the current consumer secret, answered without verification', () => {
		const secrets = ['current-consumer-secret', 'previous-consumer-secret'];
		const handshake = detectHandshake({ provider: 'x', method: 'GET', headers: {}, body: '', query: { crc_token: '9b4507b3-9040-4669-9ca3-6b94edb50553' }, secrets });
		expect(handshake).toMatchObject({ kind: 'x-crc', requiresVerification: false });
		const answer = handshake!.respond();
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({
			response_token: `sha256=${createHmac('sha256', 'current-consumer-secret').update('9b4507b3-9040-4669-9ca3-6b94edb50553').digest('base64')}`,
		});
		// No secret configured: refused, and the message names no value.
		const unconfigured = detectHandshake({ provider: 'x', method: 'GET', headers: {}, body: '', query: { crc_token: 'abc' }, secrets: [] })!.respond();
		expect(unconfigured).toMatchObject({ status: 401, rejected: 'invalid_signature' });
	});

	test('X CRC is no signing oracle: a crc_token that could be a body is not answered, and non-object bodies never verify', () => {
		const secret = 'x-consumer-secret';
		const body = '{"for_user_id":"1","tweet_create_events":[]}';
		expect(detectHandshake({ provider: 'x', method: 'GET', headers: {}, body: '', query: { crc_token: body }, secrets: [secret] })).toBeUndefined();
		expect(detectHandshake({ provider: 'x', method: 'GET', headers: {}, body: '', query: { crc_token: 'a'.repeat(257) }, secrets: [secret] })).toBeUndefined();
		// Even a URL-safe token's answer cannot pass as the signature of that token sent as a body.
		const token = 'abcDEF123';
		const crc = JSON.parse(detectHandshake({ provider: 'x', method: 'GET', headers: {}, body: '', query: { crc_token: token }, secrets: [secret] })!.respond().body);
		const replay = verify({ provider: 'x', secrets: [secret], headers: { 'x-twitter-webhooks-signature': crc.response_token }, body: token });
		expect(replay).toMatchObject({ valid: false, reason: 'invalid_signature' });
		const signedBody = verify({ provider: 'x', secrets: [secret], headers: sign({ provider: 'x', secret, body }), body });
		expect(signedBody.valid).toBe(true);
	});

	test('Okta verification GET: answered only after the Authorization header verified', () => {
		const headers = { 'X-Okta-Verification-Challenge': 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg', Authorization: 'shared-value' };
		const handshake = detectHandshake({ provider: 'okta', method: 'GET', headers, body: '', secrets: ['shared-value'] });
		expect(handshake).toMatchObject({ kind: 'okta-verification', requiresVerification: true });
		expect(verify({ provider: 'okta', secrets: ['shared-value'], headers, body: '', method: 'GET' }).valid).toBe(true);
		expect(JSON.parse(handshake!.respond().body)).toEqual({ verification: 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' });
		expect(verify({ provider: 'okta', secrets: ['shared-value'], headers: { ...headers, Authorization: 'guess' }, body: '', method: 'GET' })).toMatchObject({ valid: false, reason: 'invalid_signature' });
		expect(detectHandshake({ provider: 'okta', method: 'POST', headers, body: '{}', secrets: [] })).toBeUndefined();
	});

	test('Asana X-Hook-Secret: echoed in the answer header, handed to the caller as issuedSecret; events are signed with it', () => {
		const secret = 'b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81';
		const handshake = detectHandshake({ provider: 'asana', method: 'POST', headers: { 'X-Hook-Secret': secret }, body: '', secrets: [] });
		expect(handshake).toMatchObject({ kind: 'asana-hook-secret', requiresVerification: false, issuedSecret: secret });
		expect(handshake!.respond()).toEqual({ status: 200, headers: { 'X-Hook-Secret': secret }, body: '' });
		const body = '{"events":[]}';
		const headers = { 'X-Hook-Signature': createHmac('sha256', secret).update(body).digest('hex') };
		expect(verify({ provider: 'asana', secrets: [secret], headers, body }).valid).toBe(true);
		expect(detectHandshake({ provider: 'asana', method: 'POST', headers, body, secrets: [secret] })).toBeUndefined();
		expect(detectHandshake({ provider: 'asana', method: 'POST', headers: { 'X-Hook-Secret': 'a\nb' }, body: '', secrets: [] })).toBeUndefined();
	});

	test('Microsoft Graph validationToken POST: echoed as text/plain; notifications compare every clientState', () => {
		const handshake = detectHandshake({ provider: 'microsoft-graph', method: 'POST', headers: {}, body: '', query: { validationToken: 'Validation: Testing client application reachability' }, secrets: [] });
		expect(handshake).toMatchObject({ kind: 'graph-validation', requiresVerification: false });
		expect(handshake!.respond()).toMatchObject({ status: 200, body: 'Validation: Testing client application reachability' });
		expect(handshake!.respond().headers['content-type']).toMatch(/^text\/plain/);

		const body = (states: unknown[]) => JSON.stringify({ value: states.map((clientState) => ({ clientState, changeType: 'updated' })) });
		const check = (states: unknown[]) => verify({ provider: 'microsoft-graph', secrets: ['state-1'], headers: {}, body: body(states) });
		expect(check(['state-1', 'state-1'])).toMatchObject({ valid: true, eventType: 'updated' });
		expect(check(['state-1', 'state-2'])).toMatchObject({ valid: false, reason: 'malformed_signature' });
		expect(check(['state-1', undefined])).toMatchObject({ valid: false, reason: 'missing_signature' });
		expect(check([42])).toMatchObject({ valid: false, reason: 'malformed_signature' });
		expect(check([])).toMatchObject({ valid: false, reason: 'missing_signature' });
		expect(check(['state-2'])).toMatchObject({ valid: false, reason: 'invalid_signature' });
		for (const states of [['state-1', 'state-2'], ['state-2']]) expect(check(states)).not.toHaveProperty('message', expect.stringContaining('state-'));
	});

	test('Microsoft Graph sign(): no header, and a body whose clientState is not the secret is refused by name', () => {
		const body = JSON.stringify({ value: [{ clientState: 'state-1', changeType: 'created' }] });
		expect(sign({ provider: 'microsoft-graph', secret: 'state-1', body })).toEqual({});
		expect(() => sign({ provider: 'microsoft-graph', secret: 'state-2', body })).toThrow("every notification's clientState in the body must be the secret (clientState)");
		expect(() => sign({ provider: 'microsoft-graph', secret: 'state-2', body })).not.toThrow(/state-[12]/);
		expect(() => sign({ provider: 'microsoft-graph', secret: 'state-1', body: '{}' })).toThrow(TypeError);
	});

	test('Microsoft Graph redactBody blanks every clientState (the shared secret) in a copy', () => {
		const graph = providers.find((provider) => provider.id === 'microsoft-graph')!;
		const parsed = { value: [{ clientState: 'state-1', changeType: 'created' }, { clientState: 'state-1', lifecycleEvent: 'missed' }], other: 1 };
		const redacted = graph.redactBody!(parsed) as typeof parsed;
		expect(JSON.stringify(redacted)).not.toContain('state-1');
		expect(redacted).toEqual({ value: [{ clientState: '[redacted]', changeType: 'created' }, { clientState: '[redacted]', lifecycleEvent: 'missed' }], other: 1 });
		expect(parsed.value[0].clientState).toBe('state-1');
		expect(providers.filter((provider) => provider.redactBody).map((provider) => provider.id)).toEqual(['microsoft-graph']);
	});

	test('exactly the twelve documented handshakes are declared', () => {
		expect(providers.filter((provider) => provider.supportsHandshake).length).toBe(12);
		for (const provider of providers) expect(provider.supportsHandshake).toBe(provider.docs.handshake !== undefined);
	});
});
