/**
 * SendGrid Event Webhook × @sendgrid/eventwebhook (verify only, and we verify only: ECDSA is signed with SendGrid's
 * private key). The signature is built as SendGrid's docs define it ("Getting started with the Event Webhook
 * Security Features"): ECDSA P-256 / SHA-256 over timestamp + body, DER, base64, checked with the base64 SPKI
 * verification key shown in the SendGrid UI. Both verifiers must accept it and refuse one changed byte.
 */
import { generateKeyPairSync, sign as ecSign } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
/** The form SendGrid shows: base64 DER SubjectPublicKeyInfo, no PEM armour. */
const VERIFICATION_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const BODIES: Array<[string, string]> = [
	...JSON_BODIES,
	['an event batch', '[{"email":"zoë@example.com","timestamp":1700000000,"event":"processed","sg_event_id":"rbtnWrG1DVDGGGFHFyun0A==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}]\r\n'],
];

describe('SendGrid × @sendgrid/eventwebhook (verify only)', () => {
	const sdk = new EventWebhook();
	const key = sdk.convertPublicKeyToECDSA(VERIFICATION_KEY);

	test.each(BODIES)('%s: signed as SendGrid documents, the SDK and our verify accept; one changed byte is refused by both', (_name, body) => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = ecSign('sha256', Buffer.from(timestamp + body, 'utf8'), privateKey).toString('base64');
		expect(sdk.verifySignature(key, body, signature, timestamp)).toBe(true);
		expect(sdk.verifySignature(key, changeOneByte(body), signature, timestamp)).toBe(false);
		const headers = { 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp };
		expect(verify({ provider: 'sendgrid', secrets: [VERIFICATION_KEY], headers, body })).toMatchObject({ valid: true });
		expect(verify({ provider: 'sendgrid', secrets: [VERIFICATION_KEY], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test('the SDK also reads the raw bytes as a Buffer: same answer as for the string', () => {
		const body = BODIES[2][1];
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = ecSign('sha256', Buffer.from(timestamp + body, 'utf8'), privateKey).toString('base64');
		expect(sdk.verifySignature(key, Buffer.from(body, 'utf8'), signature, timestamp)).toBe(true);
	});
});
