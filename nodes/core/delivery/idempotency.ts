/** Idempotency keys that stay the same for an item across every attempt and every resumed run. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal data gives equal text whatever the key order. */
function stableStringify(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map((entry) => stableStringify(entry)).join(',')}]`;
	const entries = Object.keys(value as Record<string, unknown>)
		.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
		.sort()
		.map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
	return `{${entries.join(',')}}`;
}

/**
 * A key derived from the item: SHA-256 over its JSON (without our own `delivery` field, which changes
 * between attempts) and, when the body is raw bytes, over those bytes too. Hex, 64 characters.
 */
export function deriveIdempotencyKey(json: Record<string, unknown>, rawBody?: Buffer): string {
	const { delivery: _ignored, ...rest } = json;
	const hash = createHash('sha256').update(stableStringify(rest));
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
