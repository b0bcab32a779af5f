/** Case-insensitive header access for plain header records (HTTP header names are case-insensitive, RFC 9110 §5.1). */

/**
 * The first value of header `name` in any case: a string, the first string of an array, or a number as text.
 * Undefined when absent or of another type.
 */
export function firstHeaderValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
		return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
	}
	return undefined;
}

/** Sets `name` to `value`, first removing the header under any other spelling, so one name never appears twice. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) delete headers[key];
	headers[name] = value;
}
