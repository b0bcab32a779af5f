/**
 * Zoom × @zoom/rivet (its AwsLambdaReceiver, which runs the same CommonHttpRequest check as its HttpReceiver).
 * Verify only: no signer, so the Zoom-side input is built as Zoom's docs define it ("Verify webhook events"):
 * `x-zm-signature: v0=` + hex HMAC-SHA256 of `v0:<x-zm-request-timestamp>:<request body>` with the secret token.
 * Rivet departs from that: it hashes JSON.stringify(JSON.parse(body)), not the body received. Where the two are the
 * same bytes (compact JSON, raw non-ASCII) both directions agree; where they differ we follow Zoom's docs and the
 * SDK's behaviour is pinned as a known case.
 */
import { createHmac } from 'node:crypto';
import { sign, verify } from '../../nodes/core';
import { BIG_INTEGER, ESCAPED_SLASHES, NON_ASCII, PRETTY_JSON } from './bodies';

// CommonJS entry of an SDK typed for node16 resolution (this project type-checks with node10 resolution).
const { AwsLambdaReceiver } = require('@zoom/rivet/users');

const SECRET = 'ZnHrS2y9Q5aT0fVb3LkW1g';
type LambdaResponse = { statusCode: number; body: string };
const handler: (event: unknown, context: unknown) => Promise<LambdaResponse> = new AwsLambdaReceiver({ webhooksSecretToken: SECRET }).start();

/** Rivet logs every event with console.debug; keep the test output readable. */
beforeAll(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

async function rivetAccepts(headers: Record<string, string>, body: string): Promise<boolean> {
	const response = await handler({ body, headers, isBase64Encoded: false }, {});
	if (response.statusCode !== 200) expect(JSON.parse(response.body)).toEqual({ error: 'Failed to verify event originated from Zoom.' });
	return response.statusCode === 200;
}
const documented = (timestamp: string, body: string) => `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
const event = (extra: string) => `{"event":"meeting.started","event_ts":1700000000000,"payload":{"account_id":"AAA","object":{"id":"85012345678","topic":${extra}}}}`;

/** Compact JSON whose re-serialisation is the same bytes: Zoom, Rivet and we all agree. */
const SAME_BYTES: Array<[string, string]> = [
	['compact JSON', event('"Standup"')],
	['compact JSON, raw non-ASCII', event('"Zoë 東京 ✓ 🚀"')],
];
/** Bodies whose JSON.stringify(JSON.parse(body)) differs from the bytes Zoom sent and signed. */
const OTHER_BYTES: Array<[string, string]> = [
	['pretty JSON', PRETTY_JSON.replace('"type"', '"event"')],
	['escaped slashes', ESCAPED_SLASHES.replace('"type"', '"event"')],
	['\\u escape', NON_ASCII.replace('"type"', '"event"')],
	['integer beyond 2^53', BIG_INTEGER.replace('"type"', '"event"')],
];
const changeOneByte = (body: string) => body.replace('"meeting.started"', '"meeting.startee"');

describe('Zoom × @zoom/rivet (verify only)', () => {
	test.each(SAME_BYTES)('%s: we sign, rivet accepts; one changed byte is refused', async (_name, body) => {
		const headers = sign({ provider: 'zoom', secret: SECRET, body, timestamp: new Date() });
		await expect(rivetAccepts(headers, body)).resolves.toBe(true);
		await expect(rivetAccepts(headers, changeOneByte(body))).resolves.toBe(false);
	});

	test.each(SAME_BYTES)('%s: signed as Zoom documents, rivet and our verify accept; one changed byte is refused', async (_name, body) => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const headers = { 'x-zm-signature': documented(timestamp, body), 'x-zm-request-timestamp': timestamp };
		await expect(rivetAccepts(headers, body)).resolves.toBe(true);
		expect(verify({ provider: 'zoom', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, eventType: 'meeting.started' });
		expect(verify({ provider: 'zoom', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(OTHER_BYTES)('known case, %s: Zoom signs the body received and we accept it; rivet re-serialises the JSON and refuses it', async (_name, body) => {
		expect(JSON.stringify(JSON.parse(body))).not.toBe(body);
		const timestamp = String(Math.floor(Date.now() / 1000));
		const zoomSends = { 'x-zm-signature': documented(timestamp, body), 'x-zm-request-timestamp': timestamp };
		expect(verify({ provider: 'zoom', secrets: [SECRET], headers: zoomSends, body }).valid).toBe(true);
		expect(sign({ provider: 'zoom', secret: SECRET, body, timestamp: new Date(Number(timestamp) * 1000) })['x-zm-signature']).toBe(zoomSends['x-zm-signature']);
		await expect(rivetAccepts(zoomSends, body)).resolves.toBe(false); // the SDK's deviation, pinned
		// What rivet expects instead: a signature over its own re-serialisation, which Zoom never sends and we refuse.
		const overReserialised = { ...zoomSends, 'x-zm-signature': documented(timestamp, JSON.stringify(JSON.parse(body))) };
		await expect(rivetAccepts(overReserialised, body)).resolves.toBe(true);
		expect(verify({ provider: 'zoom', secrets: [SECRET], headers: overReserialised, body })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});
});
