/** Handshakes: detection, the verify-first contract, and the exact answers each provider expects. */
import { createHmac } from 'node:crypto';
import { detectHandshake, sign, verify } from '../../../nodes/core';
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
});
