import { createHash } from 'node:crypto';
import { canonicalHash, canonicalJson, readJsonPath } from '../json';

export { canonicalJson };

/** Keys longer than this are stored as their SHA-256, so a huge expression result cannot bloat a store. */
export const MAX_RAW_KEY_LENGTH = 128;

export type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

/** Hex SHA-256 of the canonical JSON of a value: stable regardless of object key order. */
export const hashValue = canonicalHash;

/** Reads a dot path (`a.b.0.c`) from an object, returning the raw value; undefined when any step is missing. */
export const readPath = readJsonPath;

/**
 * SHA-256 of the chosen fields of an item. The field names are part of the hash, so `{a:1}` on fields
 * `a` differs from `{b:1}` on fields `b`, and a missing field differs from one that is `null` (`[name]` vs
 * `[name, null]` in the hashed list). Returns undefined when every chosen field is missing.
 */
export function hashFields(item: Record<string, unknown>, fields: string[]): string | undefined {
	const picked: unknown[] = [];
	let found = false;
	for (const field of [...new Set(fields.map((f) => f.trim()).filter((f) => f !== ''))].sort()) {
		const value = readPath(item, field);
		if (value !== undefined) found = true;
		picked.push(value === undefined ? [field] : [field, value]);
	}
	return found ? hashValue(picked) : undefined;
}

/** A key as given, or undefined when there is none (undefined, null, empty or whitespace-only text). */
export function normaliseKey(raw: unknown): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
	if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
	// A Date counts as its ISO time, the same key as an expression returning that text (README, Dedupe).
	if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.toISOString();
	// Objects and arrays: their canonical form, so that an expression returning an object still works.
	return canonicalJson(raw);
}

/**
 * The form a key is stored under: itself, or `sha256:<hex>` when long. A short key that itself starts with
 * `sha256:` is hashed too, so no raw key (a sender's delivery id) can equal the stored form of another key.
 */
export function storageKey(key: string): string {
	if (key.length <= MAX_RAW_KEY_LENGTH && !key.startsWith('sha256:')) return key;
	return 'sha256:' + createHash('sha256').update(key, 'utf8').digest('hex');
}
