/**
 * Case-insensitive header access for plain header records (HTTP field names are case-insensitive, RFC 9110 §5.1):
 * the one place the package looks a header up by name in any spelling, sets one, or removes one.
 */

/** A header record as Node, fetch clients or n8n hand it over: values are strings, arrays of strings, numbers … */
export type HeaderRecord = Record<string, unknown>;

/**
 * The value of header `name` under any spelling, as stored (string, string[], number …); undefined when absent.
 * Were it stored under two spellings, the first in the record's key order counts.
 */
export function headerValue(headers: HeaderRecord | undefined, name: string): unknown {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
	return undefined;
}

/**
 * The first value of header `name` in any case: a string, the first string of an array, or a number as text.
 * Undefined when absent or of another type.
 */
export function firstHeaderValue(headers: HeaderRecord | undefined, name: string): string | undefined {
	const value = headerValue(headers, name);
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Removes header `name` under every spelling. */
export function removeHeader(headers: HeaderRecord, name: string): void {
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) delete headers[key];
}

/** Sets `name` to `value`, first removing the header under any other spelling, so one name never appears twice. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
	removeHeader(headers, name);
	headers[name] = value;
}

/**
 * The headers keyed by lower-case name, for many look-ups in one record (undefined values left out). A name stored
 * under two spellings (`X-Sig` and `x-sig`) keeps both values, as an array, like a header sent twice: the reader
 * decides whether that is ambiguous, instead of one spelling silently winning.
 */
export function headersByLowerName(headers: Record<string, string | string[] | undefined> | undefined): Map<string, string | string[]> {
	const lower = new Map<string, string | string[]>();
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined) continue;
		const key = name.toLowerCase();
		const before = lower.get(key);
		lower.set(key, before === undefined ? value : [...[before].flat(), ...[value].flat()]);
	}
	return lower;
}
