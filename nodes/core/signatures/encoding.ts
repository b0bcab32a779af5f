/** Strict decoders: anything that is not clean hex/base64 is rejected instead of silently truncated. */
import type { SignatureEncoding } from './types';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Hex in either case, for every hex source (signature headers, Twilio's bodySHA256, keys): upper and lower case spell
 * the same bytes, and senders differ (WebSub hubs and several payment providers send upper case). Decoding to bytes
 * first keeps one meaning per byte string, and the comparison stays constant-time over the decoded bytes.
 */
export function decodeHex(text: string): Buffer | undefined {
	return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/**
 * Canonical, padded standard base64 only (what every provider sends): spare bits that decode to the same bytes,
 * and the base64url alphabet (`-` for `+`), are refused so that no two spellings carry one signature.
 */
export function decodeBase64(text: string): Buffer | undefined {
	if (text.length === 0 || !BASE64.test(text)) return undefined;
	const bytes = Buffer.from(text, 'base64');
	return bytes.toString('base64') === text ? bytes : undefined;
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

/** Keys are pasted by people: any case of hex, padded or unpadded base64 / base64url. */
export function decodeKeyHex(text: string): Buffer | undefined {
	return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

export function decodeKeyBase64(text: string): Buffer | undefined {
	const bare = text.replace(/=+$/, '');
	if (bare === '' || !/^[A-Za-z0-9+/_-]+$/.test(bare)) return undefined;
	return Buffer.from(bare.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
