/** Normalised view of one request, and small extractors for ids and event types. */
import { isUtf8 } from 'node:buffer';

import { headersByLowerName } from '../http/headers';
import { parseJsonExact, readJsonPath } from '../json';
import { toBuffer } from './encoding';
import type { Body, HeaderBag, HeaderValue, ProviderOptions, RequestView } from './types';

/**
 * The headers and body as given to verify() / detectHandshake(), in the shapes the core reads, or a TypeError that
 * names the field (never a value). Accepted besides the plain shapes: a fetch `Headers` or a `Map` for headers, an
 * `ArrayBuffer` (what `await request.arrayBuffer()` gives) or any typed array / DataView for the body. A parsed object
 * or a number as the body is refused: the signature covers the bytes as received, and guessing them would turn a
 * programming error into "invalid signature".
 */
export function checkedRequestInput<T extends { headers?: unknown; body?: unknown }>(input: T, caller: string): T & { headers: HeaderBag; body: Body } {
	const { headers, body } = input;
	let bag: HeaderBag;
	if (headers === undefined || headers === null) bag = {};
	else if (typeof headers !== 'object') throw new TypeError(`${caller}: headers must be an object of header names and values, a Headers or a Map.`);
	else if (headers instanceof Map || (typeof (headers as { entries?: unknown }).entries === 'function' && typeof (headers as { get?: unknown }).get === 'function')) {
		bag = {};
		for (const [name, value] of (headers as Map<string, HeaderValue>).entries()) bag[String(name)] = value;
	} else bag = headers as HeaderBag;
	let bytes: Body;
	if (body === undefined || body === null) bytes = '';
	else if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) bytes = body;
	else if (ArrayBuffer.isView(body)) bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
	else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
	else throw new TypeError(`${caller}: body must be the raw bytes as received (a Buffer, Uint8Array, ArrayBuffer or string), not a parsed value.`);
	return { ...input, headers: bag, body: bytes };
}

export function requestView(input: {
	headers: HeaderBag;
	body: Body;
	method?: string;
	url?: string;
	options?: ProviderOptions;
	/** A parse of this body shared with the caller (bodyJson(body)); one is made when absent. */
	json?: () => unknown;
}): RequestView {
	const lower = headersByLowerName(input.headers);
	const body = toBuffer(input.body ?? '');
	const json = typeof input.json === 'function' ? input.json : bodyJson(body);
	return {
		body,
		method: (input.method ?? 'POST').toUpperCase(),
		url: input.url ?? '',
		options: input.options ?? {},
		header(name) {
			const value = lower.get(name.toLowerCase());
			if (!Array.isArray(value)) return value;
			// A header sent twice: identical copies collapse, different ones are ambiguous (null).
			if (value.length === 0) return undefined;
			return value.every((item) => item === value[0]) ? value[0] : null;
		},
		json,
	};
}

/**
 * The body parsed as JSON, memoised: the first call parses, later calls return the same value. Only objects and
 * arrays (after leading whitespace, UTF-8, exact numbers: see parseJsonExact); undefined for anything else. Pass it to
 * verify() and detectHandshake() as `json` so that one request's body is parsed once.
 */
export function bodyJson(body: Buffer): () => unknown {
	let parsed: { value: unknown } | undefined;
	return () => {
		if (!parsed) parsed = { value: parseJson(body) };
		return parsed.value;
	};
}

function parseJson(body: Buffer): unknown {
	// Only objects and arrays carry ids; skipping other bodies avoids decoding large binary or form payloads.
	// A UTF-8 byte order mark before the JSON is skipped, as JSON.parse in most languages' readers does; the
	// signature still covers it, since only this parse for ids and event types leaves it out.
	const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
	let first = start;
	while (first < body.length && (body[first] === 0x20 || body[first] === 0x0a || body[first] === 0x0d || body[first] === 0x09)) first++;
	if (body[first] !== 0x7b && body[first] !== 0x5b) return undefined;
	// JSON between systems must be UTF-8 (RFC 8259, 8.1). Decoding other bytes would turn each invalid byte into
	// U+FFFD, so two different ids could read as one and dedupe as one: such a body carries no ids.
	if (!isUtf8(body.subarray(start))) return undefined;
	try {
		return parseJsonExact(body.toString('utf8', start));
	} catch {
		return undefined;
	}
}

/** `readJsonPath` for ids and event types: only strings and numbers come back, as text; anything else is undefined. */
export function jsonPath(value: unknown, path: string): string | undefined {
	const current = readJsonPath(value, path);
	if (typeof current === 'string') return current;
	return typeof current === 'number' ? String(current) : undefined;
}

/** Reads a delivery id or event type; `headersOnly` marks readers that never touch the body (read eagerly). */
export type Extractor = ((request: RequestView) => string | undefined) & { headersOnly?: boolean };

/** Extractor for a header; `source` is what the providers list shows. */
export function fromHeader(name: string): Extractor & { source: string } {
	const read = (request: RequestView) => request.header(name) ?? undefined;
	return Object.assign(read, { source: `header ${name}`, headersOnly: true });
}

/** Extractor for JSON body paths, tried in order. */
export function fromBody(...paths: string[]): Extractor & { source: string } {
	const read = (request: RequestView) => {
		const json = request.json();
		for (const path of paths) {
			const found = jsonPath(json, path);
			if (found !== undefined) return found;
		}
		return undefined;
	};
	return Object.assign(read, { source: `body ${paths.join(' | ')}` });
}

/** First extractor that finds something. */
export function firstOf(...extractors: Array<Extractor & { source: string }>): Extractor & { source: string } {
	const read = (request: RequestView) => {
		for (const extract of extractors) {
			const found = extract(request);
			if (found !== undefined && found !== '') return found;
		}
		return undefined;
	};
	return Object.assign(read, {
		source: extractors.map((e) => e.source).join(', then '),
		headersOnly: extractors.every((e) => e.headersOnly === true),
	});
}
