/** Strict decoders: anything that is not clean hex/base64 is rejected instead of silently truncated. */
import type { SignatureEncoding } from './types';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64_URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Upper-case hex is accepted: it denotes the same bytes, and bytes are what we compare. */
export function decodeHex(text: string): Buffer | undefined {
	return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

export function decodeBase64(text: string): Buffer | undefined {
	if (text.length === 0) return undefined;
	if (BASE64.test(text)) return Buffer.from(text, 'base64');
	return BASE64_URL.test(text) ? Buffer.from(text, 'base64url') : undefined;
}

/** 'text' = the value itself as UTF-8 (plain tokens). */
export type ValueEncoding = SignatureEncoding | 'text';

export function decode(text: string, encoding: ValueEncoding): Buffer | undefined {
	if (encoding === 'text') return Buffer.from(text, 'utf8');
	return encoding === 'hex' ? decodeHex(text) : decodeBase64(text);
}

export function encode(bytes: Buffer, encoding: ValueEncoding): string {
	return bytes.toString(encoding === 'text' ? 'utf8' : encoding);
}

export function toBuffer(body: Buffer | Uint8Array | string): Buffer {
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
