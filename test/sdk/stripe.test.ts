/**
 * Stripe × stripe-node: `generateTestHeaderString` (Stripe's own test signer) → our verify; our sign →
 * `webhooks.constructEvent`; one changed byte refused by both. Stripe signs `t.body` with the whole `whsec_` string
 * as the HMAC key (Stripe docs, "Verify signatures manually").
 */
import Stripe from 'stripe';
import { sign, verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const SECRET = 'whsec_test_5b1dd7c8e1b0a4f3c2d9e8f7a6b5c4d3';
const webhooks = new Stripe('sk_test_placeholder_not_used_offline').webhooks;

describe('Stripe × stripe', () => {
	test.each(JSON_BODIES)('%s: stripe signs, our verify accepts; one changed byte is refused', (_name, body) => {
		const timestamp = Math.floor(Date.now() / 1000);
		const header = webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp });
		expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		const headers = { 'Stripe-Signature': header };
		expect(verify({ provider: 'stripe', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, timestamp: timestamp * 1000 });
		expect(verify({ provider: 'stripe', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(JSON_BODIES)('%s: we sign, stripe constructEvent accepts; one changed byte is refused', (_name, body) => {
		const headers = sign({ provider: 'stripe', secret: SECRET, body, timestamp: new Date() });
		const event = webhooks.constructEvent(body, headers['Stripe-Signature'], SECRET);
		expect(event.id).toBe(JSON.parse(body).id);
		expect(() => webhooks.constructEvent(changeOneByte(body), headers['Stripe-Signature'], SECRET)).toThrow(/No signatures found matching/);
	});

	test('both take the same signature over the same timestamp: byte-identical headers', () => {
		const body = JSON_BODIES[2][1];
		const timestamp = 1_700_000_000;
		const theirs = webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp });
		expect(sign({ provider: 'stripe', secret: SECRET, body, timestamp: new Date(timestamp * 1000) })['Stripe-Signature']).toBe(theirs);
	});
});
