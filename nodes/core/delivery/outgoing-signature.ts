/**
 * Signs an outgoing request over exactly the bytes that will be sent. Used by the outgoing signing
 * credential's `authenticate`, so it runs on every attempt (fresh timestamp and signature) and also when
 * n8n's HTTP Request node uses the same credential. Objects are serialised here, so the signed bytes and
 * the sent bytes cannot differ.
 */
import { secretProblem, sign } from '../signatures';
import type { HashAlgorithm, ProviderOptions, SignatureEncoding } from '../signatures';

export type OutgoingSignatureScheme = 'github' | 'standard-webhooks' | 'generic-hmac';

export interface OutgoingSigningSettings {
	scheme: OutgoingSignatureScheme;
	secret: string;
	/** generic-hmac only. */
	header?: string;
	algorithm?: HashAlgorithm;
	encoding?: SignatureEncoding;
	prefix?: string;
	template?: string;
	timestampHeader?: string;
	timestampUnit?: 's' | 'ms';
	idHeader?: string;
}

/** The request fields the signer reads and writes; both n8n request shapes (url / legacy uri) fit. */
export interface SignableRequest {
	url?: string;
	uri?: string;
	method?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
	form?: unknown;
	formData?: unknown;
}

/** Header names whose value, when present, is used as the message id (Standard Webhooks' webhook-id). */
const ID_SOURCE_HEADERS = ['webhook-id', 'idempotency-key', 'x-idempotency-key'];

export class OutgoingSignatureError extends Error {}

export function serialiseBody(request: SignableRequest): { body: Buffer; contentType?: string } {
	if (request.form !== undefined || request.formData !== undefined) {
		throw new OutgoingSignatureError(
			'Signed requests need a body that can be sent byte for byte: JSON, raw text or binary. Form and multipart bodies cannot be signed.',
		);
	}
	const body = request.body;
	if (body === undefined || body === null || body === '') return { body: Buffer.alloc(0) };
	if (Buffer.isBuffer(body)) return { body };
	if (body instanceof Uint8Array) return { body: Buffer.from(body) };
	if (typeof body === 'string') return { body: Buffer.from(body, 'utf8') };
	if (body instanceof URLSearchParams) {
		return { body: Buffer.from(body.toString(), 'utf8'), contentType: 'application/x-www-form-urlencoded' };
	}
	if (typeof body === 'object' && typeof (body as { getBoundary?: unknown }).getBoundary === 'function') {
		throw new OutgoingSignatureError('Multipart bodies cannot be signed: send JSON, raw text or binary instead.');
	}
	if (typeof body === 'object' || typeof body === 'number' || typeof body === 'boolean') {
		return { body: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
	}
	throw new OutgoingSignatureError(`A ${typeof body} body cannot be signed`);
}

function findHeader(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name && typeof value === 'string' && value !== '') return value;
	}
	return undefined;
}

/** Returns a copy of the request with a Buffer body and the signature headers set (replacing any same-named ones). */
export function signOutgoingRequest<T extends SignableRequest>(settings: OutgoingSigningSettings, request: T, now: Date = new Date()): T {
	if (!settings.secret) throw new OutgoingSignatureError('The outgoing signing credential has no secret');
	// Same key rules as verify(): a whsec_ secret of 0 or 1 decoded bytes would let anyone forge what we send.
	const problem = secretProblem(settings.scheme, settings.secret);
	if (problem) throw new OutgoingSignatureError(`Could not sign the request: Signing Secret ${problem}`);
	const { body, contentType } = serialiseBody(request);
	const headers: Record<string, unknown> = { ...(request.headers ?? {}) };
	if (contentType && findHeader(headers, 'content-type') === undefined) headers['content-type'] = contentType;
	const id = ID_SOURCE_HEADERS.map((name) => findHeader(headers, name)).find((value) => value !== undefined);
	const options: ProviderOptions = {};
	if (settings.scheme === 'generic-hmac') {
		for (const key of ['header', 'algorithm', 'encoding', 'prefix', 'template', 'timestampHeader', 'timestampUnit', 'idHeader'] as const) {
			const value = settings[key];
			if (value !== undefined && value !== '') (options as Record<string, unknown>)[key] = value;
		}
	}
	let signed: Record<string, string>;
	try {
		signed = sign({
			provider: settings.scheme,
			secret: settings.secret,
			body,
			timestamp: now,
			id,
			method: (request.method ?? 'GET').toUpperCase(),
			url: request.url ?? request.uri,
			options,
		});
	} catch (error) {
		// The signer's messages never include the secret; keep them, they say what is wrong with the setup.
		throw new OutgoingSignatureError(`Could not sign the request: ${(error as Error).message}`);
	}
	for (const name of Object.keys(signed)) {
		for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
	}
	return { ...request, body, headers: { ...headers, ...signed } };
}
