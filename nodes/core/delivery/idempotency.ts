/** Idempotency keys that stay the same for an item across every attempt and every resumed run. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../json';

/**
 * A key derived from the item: SHA-256 over its JSON (without our own `delivery` field, which changes
 * between attempts) and, when the body is raw bytes, over those bytes too. Hex, 64 characters.
 */
export function deriveIdempotencyKey(json: Record<string, unknown>, rawBody?: Buffer): string {
	const { delivery: _ignored, ...rest } = json;
	const hash = createHash('sha256').update(canonicalJson(rest));
	if (rawBody) hash.update('\n').update(createHash('sha256').update(rawBody).digest());
	return hash.digest('hex');
}

/** Header values cannot carry control characters; longer than 255 is refused by common receivers. */
export function checkIdempotencyKey(key: string): string | undefined {
	if (key.length === 0) return 'The idempotency key is empty';
	if (key.length > 255) return 'The idempotency key is longer than 255 characters';
	if (/[^\x20-\x7e]/.test(key)) return 'The idempotency key may only contain printable ASCII characters';
	return undefined;
}
