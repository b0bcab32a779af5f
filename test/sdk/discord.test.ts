/**
 * Discord × discord-interactions' `verifyKey` (verify only: the library has no signer, so requests are signed as its
 * own tests do, Ed25519 over timestamp + body with a freshly generated key pair; Discord docs, "Security and
 * Authorization"). Our sign (hex private seed) → verifyKey; key-pair signature → our verify (hex public key);
 * one changed byte refused by both.
 */
import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import { verifyKey } from 'discord-interactions';
import { sign, verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_HEX = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');
const SEED_HEX = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url').toString('hex');
const BODIES: Array<[string, string]> = [...JSON_BODIES, ['a PING interaction', '{"type":1,"id":"1","application_id":"2","token":"t","version":1}']];

describe('Discord × discord-interactions (verify only)', () => {
	test.each(BODIES)('%s: we sign, verifyKey accepts; one changed byte is refused', async (_name, body) => {
		const headers = sign({ provider: 'discord', secret: SEED_HEX, body, timestamp: new Date() });
		await expect(verifyKey(body, headers['X-Signature-Ed25519'], headers['X-Signature-Timestamp'], PUBLIC_HEX)).resolves.toBe(true);
		await expect(verifyKey(changeOneByte(body), headers['X-Signature-Ed25519'], headers['X-Signature-Timestamp'], PUBLIC_HEX)).resolves.toBe(false);
	});

	test.each(BODIES)('%s: signed with the key pair as the library\'s tests do, verifyKey and our verify accept; one changed byte is refused', async (_name, body) => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = edSign(null, Buffer.from(timestamp + body, 'utf8'), privateKey).toString('hex');
		await expect(verifyKey(body, signature, timestamp, PUBLIC_HEX)).resolves.toBe(true);
		const headers = { 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': timestamp };
		expect(verify({ provider: 'discord', secrets: [PUBLIC_HEX], headers, body })).toMatchObject({ valid: true, timestamp: Number(timestamp) * 1000 });
		expect(verify({ provider: 'discord', secrets: [PUBLIC_HEX], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});
});
