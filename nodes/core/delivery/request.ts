/**
 * Building the request a forward sends, and reading what comes back: the decisions that are not about n8n
 * (which headers win, what the body is, which idempotency key is used, how a response body is decoded).
 */
import { parseJsonExact } from '../json';
import type { DeliveryRequest } from './deliver';
import { headerValue, setHeader } from '../http/headers';
import { deriveIdempotencyKey } from './idempotency';

/** Headers that describe the connection or the body framing; copying them from elsewhere breaks the request. */
export const NEVER_PASSED_THROUGH: ReadonlySet<string> = new Set([
	'host',
	'content-length',
	'connection',
	'transfer-encoding',
	'keep-alive',
	'upgrade',
	'expect',
]);

/** What to send as the body. `json` sends `value` as JSON; `custom` sends a string as is and anything else as JSON. */
export type ForwardBody =
	| { source: 'json'; value: Record<string, unknown>; contentType: string }
	| { source: 'custom'; value: unknown; contentType: string }
	| { source: 'binary'; bytes: Buffer; contentType?: string }
	| { source: 'none' };

export interface ForwardRequestSettings {
	method: string;
	/** Absolute URL, already checked by `checkTargetUrl`. */
	url: string;
	body: ForwardBody;
	/** The item's `headers` field (as the Signed Webhook Trigger outputs it), source of pass-through headers. */
	incomingHeaders?: unknown;
	/** Comma-separated header names to copy from `incomingHeaders` (any case); framing headers are never copied. */
	passThroughHeaders?: string;
	/** Headers the user set; an empty name is skipped. */
	headers?: ReadonlyArray<{ name: string; value?: unknown }>;
	/** Header that carries `idempotencyKey`; empty: none. */
	idempotencyHeader?: string;
	idempotencyKey: string;
}

/**
 * The request for one item. Header precedence, lowest first: the body's content type, pass-through headers, the
 * user's headers, the idempotency header; a later one replaces an earlier one under any spelling of its name.
 */
export function buildForwardRequest(settings: ForwardRequestSettings): DeliveryRequest {
	const headers: Record<string, string> = {};
	const { body } = settings;
	let bytes: Buffer | undefined;
	if (body.source === 'json') {
		bytes = Buffer.from(JSON.stringify(body.value), 'utf8');
		setHeader(headers, 'content-type', body.contentType);
	} else if (body.source === 'custom') {
		bytes = Buffer.from(typeof body.value === 'string' ? body.value : JSON.stringify(body.value), 'utf8');
		setHeader(headers, 'content-type', body.contentType);
	} else if (body.source === 'binary') {
		bytes = body.bytes;
		if (body.contentType) setHeader(headers, 'content-type', body.contentType);
	}

	const incoming =
		settings.incomingHeaders !== null && typeof settings.incomingHeaders === 'object'
			? (settings.incomingHeaders as Record<string, unknown>)
			: {};
	for (const name of passThroughNames(settings.passThroughHeaders ?? '')) {
		const value = headerValue(incoming, name);
		if (typeof value === 'string') setHeader(headers, name, value);
		else if (Array.isArray(value)) setHeader(headers, name, value.join(', '));
	}
	for (const { name, value } of settings.headers ?? []) {
		if (name.trim() !== '') setHeader(headers, name.trim(), String(value ?? ''));
	}
	const idempotencyHeader = (settings.idempotencyHeader ?? '').trim();
	if (idempotencyHeader !== '') setHeader(headers, idempotencyHeader, settings.idempotencyKey);

	return { method: settings.method.toUpperCase(), url: settings.url, headers, body: bytes };
}

/** Lower-case names from a comma-separated list, framing headers (`NEVER_PASSED_THROUGH`) removed. */
export function passThroughNames(list: string): string[] {
	return list
		.split(',')
		.map((name) => name.trim().toLowerCase())
		.filter((name) => name !== '' && !NEVER_PASSED_THROUGH.has(name));
}

/**
 * The key for an item, in this order: the one a resumed delivery already used (it must never change), the one
 * configured (trimmed), else one derived from the item (`deriveIdempotencyKey`, 64 hex characters).
 */
export function chooseIdempotencyKey(options: {
	resumedKey?: string;
	configuredKey?: unknown;
	itemJson: Record<string, unknown>;
	rawBody?: Buffer;
}): string {
	if (options.resumedKey !== undefined) return options.resumedKey;
	const configured = String(options.configuredKey ?? '').trim();
	return configured !== '' ? configured : deriveIdempotencyKey(options.itemJson, options.rawBody);
}

/**
 * A response body as the output item shows it: JSON when the text is JSON (parsed by `parseJsonExact`, so an
 * integer beyond 2^53 keeps every digit, as a string), the text otherwise, '' when empty. Accepts the raw bytes
 * (Buffer, ArrayBuffer, a typed array), text, or an already decoded value (returned unchanged).
 */
export function decodeResponseBody(raw: unknown): unknown {
	let textBody: string;
	if (Buffer.isBuffer(raw)) textBody = raw.toString('utf8');
	else if (raw instanceof ArrayBuffer) textBody = Buffer.from(raw).toString('utf8');
	else if (ArrayBuffer.isView(raw)) textBody = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
	else if (typeof raw === 'string') textBody = raw;
	else return raw;
	if (textBody.trim() === '') return textBody;
	try {
		return parseJsonExact(textBody);
	} catch {
		return textBody;
	}
}

/** The `delivery` field this node adds to an item: recognised by its shape, so a user's own `delivery` field is kept. */
export function isOwnDeliveryField(value: unknown): value is { state?: unknown } {
	if (value === null || typeof value !== 'object') return false;
	const field = value as Record<string, unknown>;
	return typeof field.idempotencyKey === 'string' && typeof field.attempts === 'number' && Array.isArray(field.log);
}

/** The item's JSON without our own `delivery` field (an item back from a Wait loop must not send or hash it). */
export function withoutOwnDeliveryField<T extends Record<string, unknown>>(json: T): T {
	if (!isOwnDeliveryField(json.delivery)) return json;
	const { delivery: _previous, ...rest } = json;
	return rest as T;
}
