/** Interop with the real `standardwebhooks` library: its sign → our verify, our sign → its verify. */
import { Webhook } from 'standardwebhooks';
import { sign, verify } from '../../../nodes/core';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"type":"invoice.paid","data":{"amount":100,"note":"Zoë ✓"}}';

describe('standardwebhooks library interop', () => {
	const library = new Webhook(SECRET);

	test.each(['standard-webhooks', 'svix'])('library sign → our verify (%s headers)', (provider) => {
		const prefix = provider === 'svix' ? 'svix' : 'webhook';
		const timestamp = new Date();
		const headers = {
			[`${prefix}-id`]: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
			[`${prefix}-timestamp`]: String(Math.floor(timestamp.getTime() / 1000)),
			[`${prefix}-signature`]: library.sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp, BODY),
		};
		expect(verify({ provider, secrets: [SECRET], headers, body: BODY })).toMatchObject({
			valid: true,
			deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
			eventType: 'invoice.paid',
		});
		expect(verify({ provider, secrets: [SECRET], headers, body: `${BODY} ` })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test('our sign → library verify', () => {
		const headers = sign({ provider: 'standard-webhooks', secret: SECRET, body: BODY, id: 'msg_ours' });
		expect(library.verify(BODY, headers)).toEqual(JSON.parse(BODY));
		expect(() => library.verify(BODY.replace('100', '101'), headers)).toThrow();
	});

	test('a secret without the whsec_ prefix is base64 for both', () => {
		const bare = SECRET.slice('whsec_'.length);
		const headers = sign({ provider: 'standard-webhooks', secret: bare, body: BODY });
		expect(new Webhook(bare).verify(BODY, headers)).toEqual(JSON.parse(BODY));
		expect(verify({ provider: 'standard-webhooks', secrets: [SECRET], headers, body: BODY }).valid).toBe(true);
	});

	test('rotation: a space-separated list from two secrets verifies under either', () => {
		const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
		const timestamp = new Date();
		const id = 'msg_rot';
		const signature = `${new Webhook(other).sign(id, timestamp, BODY)} ${library.sign(id, timestamp, BODY)}`;
		const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature };
		expect(library.verify(BODY, headers)).toBeTruthy();
		expect(verify({ provider: 'standard-webhooks', secrets: [SECRET], headers, body: BODY })).toMatchObject({ valid: true, secretIndex: 0 });
		expect(verify({ provider: 'standard-webhooks', secrets: ['whsec_' + Buffer.alloc(32, 1).toString('base64'), other], headers, body: BODY })).toMatchObject({ valid: true, secretIndex: 1 });
	});
});
