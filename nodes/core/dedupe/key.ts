import { createHash } from 'node:crypto';

/** Keys longer than this are stored as their SHA-256, so a huge expression result cannot bloat a store. */
export const MAX_RAW_KEY_LENGTH = 128;

export type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

/**
 * JSON with object keys sorted at every level, so `{a:1,b:2}` and `{b:2,a:1}` give the same text.
 * `undefined` members are left out (as JSON.stringify does); non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortDeep(value, new WeakSet()));
}

function sortDeep(value: unknown, seen: WeakSet<object>): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (value instanceof Date) return value.toISOString();
	if (seen.has(value)) throw new TypeError('Cannot derive a dedupe key from a circular structure');
	seen.add(value);
	let result: unknown;
	if (Array.isArray(value)) {
		result = value.map((member) => (member === undefined ? null : sortDeep(member, seen)));
	} else {
		const sorted: Record<string, unknown> = {};
		for (const name of Object.keys(value).sort()) {
			const member = (value as Record<string, unknown>)[name];
			if (member !== undefined && typeof member !== 'function') sorted[name] = sortDeep(member, seen);
		}
		result = sorted;
	}
	seen.delete(value);
	return result;
}

/** Hex SHA-256 of the canonical JSON of a value: stable regardless of object key order. */
export function hashValue(value: unknown): string {
	return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** Reads a dot path (`a.b.0.c`) from an object; undefined when any step is missing. */
export function readPath(source: unknown, path: string): unknown {
	let current: unknown = source;
	for (const step of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[step];
	}
	return current;
}

/**
 * SHA-256 of the chosen fields of an item. The field names are part of the hash, so `{a:1}` on fields
 * `a` differs from `{b:1}` on fields `b`. Returns undefined when every chosen field is missing.
 */
export function hashFields(item: Record<string, unknown>, fields: string[]): string | undefined {
	const picked: Record<string, unknown> = {};
	let found = false;
	for (const field of [...new Set(fields.map((f) => f.trim()).filter((f) => f !== ''))].sort()) {
		const value = readPath(item, field);
		if (value !== undefined) found = true;
		picked[field] = value === undefined ? null : value;
	}
	return found ? hashValue(picked) : undefined;
}

/** A key as given, or undefined when there is none (undefined, null, empty or whitespace-only text). */
export function normaliseKey(raw: unknown): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
	if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
	// Objects and arrays: their canonical form, so that an expression returning an object still works.
	return canonicalJson(raw);
}

/** The form a key is stored under: itself, or `sha256:<hex>` when long. */
export function storageKey(key: string): string {
	if (key.length <= MAX_RAW_KEY_LENGTH) return key;
	return 'sha256:' + createHash('sha256').update(key, 'utf8').digest('hex');
}
