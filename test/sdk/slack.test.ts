/**
 * Slack × @slack/bolt's `verifySlackRequest` (verify only: Bolt has no signer, so requests are signed the way Bolt's
 * own verify-request tests build them, `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`; Slack docs, "Verifying
 * requests from Slack"). Our sign → Bolt accepts; Bolt-style signature → our verify; one changed byte refused by both.
 * Slack sends JSON (Events API) and form bodies (slash commands, interactivity).
 */
import { createHmac } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';
import { sign, verify } from '../../nodes/core';
import { FORM, JSON_BODIES, changeOneByte } from './bodies';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODIES: Array<[string, string]> = [...JSON_BODIES, ['form body (slash command)', FORM]];

/** As @slack/bolt's test/unit/receivers/verify-request.spec.ts builds its fixtures. */
const boltStyleSignature = (timestamp: number, body: string) => `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;

const boltAccepts = (headers: Record<string, string>, body: string) => {
	try {
		verifySlackRequest({
			signingSecret: SECRET,
			body,
			headers: { 'x-slack-signature': headers['X-Slack-Signature'], 'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']) },
		});
		return true;
	} catch (error) {
		expect(String(error)).toContain('signature mismatch'); // refused for the signature, not for something else
		return false;
	}
};

describe('Slack × @slack/bolt (verify only)', () => {
	test.each(BODIES)('%s: we sign, bolt accepts; one changed byte is refused', (_name, body) => {
		const headers = sign({ provider: 'slack', secret: SECRET, body, timestamp: new Date() });
		expect(boltAccepts(headers, body)).toBe(true);
		expect(boltAccepts(headers, changeOneByte(body))).toBe(false);
	});

	test.each(BODIES)('%s: signed as bolt\'s tests sign, bolt and our verify accept; one changed byte is refused', (_name, body) => {
		const timestamp = Math.floor(Date.now() / 1000);
		const headers = { 'X-Slack-Signature': boltStyleSignature(timestamp, body), 'X-Slack-Request-Timestamp': String(timestamp) };
		expect(boltAccepts(headers, body)).toBe(true);
		expect(verify({ provider: 'slack', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, timestamp: timestamp * 1000 });
		expect(verify({ provider: 'slack', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test("Slack's published example (docs: secret 8f742231b10e8888abcd99yyyzzz85a5, timestamp 1531420618): bolt and we agree", () => {
		const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
		const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
		const headers = { 'X-Slack-Signature': expected, 'X-Slack-Request-Timestamp': '1531420618' };
		expect(sign({ provider: 'slack', secret: SECRET, body, timestamp: new Date(1531420618 * 1000) })['X-Slack-Signature']).toBe(expected);
		expect(verify({ provider: 'slack', secrets: [SECRET], headers, body, toleranceSeconds: Infinity }).valid).toBe(true);
		expect(() => verifySlackRequest({ signingSecret: SECRET, body, headers: { 'x-slack-signature': expected, 'x-slack-request-timestamp': 1531420618 }, nowMilliseconds: 1531420618 * 1000 })).not.toThrow();
	});
});
