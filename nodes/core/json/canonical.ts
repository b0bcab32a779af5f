/** The one canonical JSON of the package: every key it derives (dedupe, idempotency) hashes this text. */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so `{a:1,b:2}` and `{b:2,a:1}` give the same text.
 * Follows `JSON.stringify` for everything else: a `Date` (or any value with `toJSON`) is its `toJSON()`,
 * `undefined` and function members are left out (`null` inside arrays). Unlike `JSON.stringify`, values it would
 * merge stay apart: `NaN`, `Infinity` and `-Infinity` are written as those bare words (not `null`), and a `bigint`
 * as its exact digits (an unquoted number), so it never equals the same digits as a string. The text is for hashing.
 *
 * @throws TypeError on a circular structure.
 */
export function canonicalJson(value: unknown): string {
	return write(value, new WeakSet()) ?? 'null';
}

/** Hex SHA-256 (64 characters) of `canonicalJson(value)`. */
export function canonicalHash(value: unknown): string {
	return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

function write(input: unknown, seen: WeakSet<object>): string | undefined {
	let value = input;
	if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
		value = (value as { toJSON(): unknown }).toJSON();
	}
	if (typeof value === 'bigint') return value.toString();
	if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	if (seen.has(value)) throw new TypeError('Cannot derive a key from a circular structure');
	seen.add(value);
	let text: string;
	if (Array.isArray(value)) {
		text = `[${value.map((member) => write(member, seen) ?? 'null').join(',')}]`;
	} else {
		const members: string[] = [];
		for (const name of Object.keys(value).sort()) {
			const member = write((value as Record<string, unknown>)[name], seen);
			if (member !== undefined) members.push(`${JSON.stringify(name)}:${member}`);
		}
		text = `{${members.join(',')}}`;
	}
	seen.delete(value);
	return text;
}
