/** Cryptographic building blocks, all on node:crypto. */
import { createHash, createHmac, createPrivateKey, createPublicKey, createVerify, sign, timingSafeEqual, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { decodeKeyBase64 } from './encoding';
import type { HashAlgorithm } from './types';

export const DIGEST_LENGTH: Record<HashAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
export const ED25519_SIGNATURE_LENGTH = 64;

export function hmac(algorithm: HashAlgorithm, key: Buffer, content: Buffer): Buffer {
	return createHmac(algorithm, key).update(content).digest();
}

/** HMAC of parts fed in order to one hash: the same digest as of their concatenation, without copying them. */
export function hmacParts(algorithm: HashAlgorithm, key: Buffer, parts: readonly Buffer[]): Buffer {
	const mac = createHmac(algorithm, key);
	for (const part of parts) mac.update(part);
	return mac.digest();
}

export function sha256(data: Buffer | string): Buffer {
	return createHash('sha256').update(data).digest();
}

/** Constant-time equality of two byte strings; lengths are public (they are fixed by the scheme). */
export function equalBytes(a: Buffer, b: Buffer): boolean {
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time equality of strings of any length (tokens): compares fixed-size digests. */
export function equalStrings(a: string, b: string): boolean {
	return timingSafeEqual(sha256(a), sha256(b));
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A raw 32-byte Ed25519 public key as a KeyObject; undefined when it does not parse. */
export function ed25519PublicKey(raw: Buffer | undefined): KeyObject | undefined {
	if (!raw || raw.length !== 32) return undefined;
	return tryKey(() => createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' }));
}

/** A raw Ed25519 seed (32 bytes, or 64 = seed + public key) as a KeyObject. */
export function ed25519PrivateKey(raw: Buffer | undefined): KeyObject | undefined {
	if (!raw || (raw.length !== 32 && raw.length !== 64)) return undefined;
	const seed = raw.subarray(0, 32);
	return tryKey(() => createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

/**
 * An ECDSA public key given as PEM or base64 DER SPKI (SendGrid's "verification key"), trimmed; undefined when it
 * does not parse or is another kind of key (RSA, Ed25519: they would never verify an ECDSA signature).
 */
export function ecPublicKey(text: string): KeyObject | undefined {
	const key = anyPublicKey(text);
	return key?.asymmetricKeyType === 'ec' ? key : undefined;
}

/**
 * Any public key given as PEM or base64 DER SPKI (padded or not, base64url too), trimmed. Used to build ecPublicKey
 * and to say what kind of key was pasted when no provider can use it (`keyType`).
 */
function anyPublicKey(text: string): KeyObject | undefined {
	if (typeof text !== 'string') return undefined;
	const trimmed = text.trim();
	if (trimmed.startsWith('-----BEGIN')) return tryKey(() => createPublicKey(trimmed));
	const der = decodeKeyBase64(trimmed);
	return der && tryKey(() => createPublicKey({ key: der, format: 'der', type: 'spki' }));
}

/** The type of a PEM or base64 DER public key ('rsa', 'ec', 'ed25519', ...), for messages; undefined when none parses. */
export function publicKeyType(text: string): string | undefined {
	return anyPublicKey(text)?.asymmetricKeyType;
}

export function verifyEd25519(key: KeyObject, content: Buffer, signature: Buffer): boolean {
	return signature.length === ED25519_SIGNATURE_LENGTH && tryBool(() => verify(null, content, key, signature));
}

export function signEd25519(key: KeyObject, content: Buffer): Buffer {
	return sign(null, content, key);
}

/** ECDSA with SHA-256 over a DER (ASN.1) encoded signature; the content's parts are hashed in order, not copied. */
export function verifyEcdsaDer(key: KeyObject, content: readonly Buffer[], signature: Buffer): boolean {
	return tryBool(() => {
		const verifier = createVerify('sha256');
		for (const part of content) verifier.update(part);
		return verifier.verify({ key, dsaEncoding: 'der' }, signature);
	});
}

function tryKey(make: () => KeyObject): KeyObject | undefined {
	try {
		return make();
	} catch {
		return undefined;
	}
}

function tryBool(run: () => boolean): boolean {
	try {
		return run();
	} catch {
		return false;
	}
}
