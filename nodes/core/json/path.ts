/**
 * Reads a dotted path (`event.type`, `a.b.0.c`: a number step indexes an array) from parsed JSON and returns the raw
 * value found there; undefined when a step is missing or meets something that is not an object or array.
 * The one path reader of the package: the signature core's id/type extractors (which keep only text, see
 * `jsonPath`) and the Dedupe node's key fields (which keep the value) both go through it.
 */
export function readJsonPath(source: unknown, path: string): unknown {
	let current: unknown = source;
	for (const step of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[step];
	}
	return current;
}
