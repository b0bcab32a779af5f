/**
 * Signs an outgoing request over exactly the bytes that will be sent. Used by the outgoing signing
 * credential's `authenticate`, so it runs on every attempt (fresh timestamp and signature) and also when
 * n8n's HTTP Request node uses the same credential. Objects are serialised here, so the signed bytes and
 * the sent bytes cannot differ.
 */
import { secretProblem, sign } from '../signatures';
import type { ProviderOptions } from '../signatures';
import { SCHEMES } from '../signatures/providers';
import type { OutgoingRotation, SchemeOutgoing, SchemeSettings } from '../signatures/scheme';
import { parseUtcTimestamp } from './state';
import { headerValue, removeHeader } from '../http/headers';

/** A signature provider id whose provider file declares `outgoing` (see OUTGOING_SCHEMES). */
export type OutgoingSignatureScheme = string;

/** One scheme the outgoing signing credential offers: its provider file's `outgoing` facts, read as they are. */
export interface OutgoingScheme extends SchemeOutgoing {
	/** The provider id: the value saved in the credential's `scheme` field. */
	id: string;
	/** Header names as sign() writes them: the signature, and the message id when the scheme signs one. */
	signatureHeader: string;
	idHeader?: string;
	/** Fields the user fills in (Generic HMAC): the credential shows them for this scheme and passes them as options. */
	settings?: SchemeSettings;
}

/** Every scheme that can sign requests n8n sends, in registry order; adding one takes only its provider file. */
export const OUTGOING_SCHEMES: readonly OutgoingScheme[] = SCHEMES.flatMap((scheme) =>
	scheme.outgoing
		? [{ ...scheme.outgoing, id: scheme.id, signatureHeader: scheme.signatureHeader, idHeader: scheme.idHeader, settings: scheme.settings }]
		: [],
);

const OUTGOING_BY_ID = new Map(OUTGOING_SCHEMES.map((scheme) => [scheme.id, scheme]));

/**
 * The credential's fields. Besides those below, the fields of the scheme's `settings` (Generic HMAC: header, algorithm,
 * encoding, prefix, template, timestampHeader, timestampUnit, idHeader; see its provider file) are passed to sign() as
 * options when filled in; other keys are ignored.
 */
export interface OutgoingSigningSettings extends ProviderOptions {
	scheme: OutgoingSignatureScheme;
	secret: string;
	/**
	 * Optional: the secret being replaced. It keeps signing until `previousValidUntil` (see ROTATION); empty or
	 * absent = no rotation. Same key rules as `secret`.
	 */
	previousSecret?: string;
	/** ISO 8601 UTC (`2026-12-31T00:00:00Z`, milliseconds optional); required when `previousSecret` is set. */
	previousValidUntil?: string;
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

/**
 * Header names whose value, when present, is used as the message id: the id headers of the outgoing schemes
 * (Standard Webhooks' webhook-id), then Idempotency-Key, so the id stays the same across retries.
 */
const ID_SOURCE_HEADERS = [
	...new Set([...OUTGOING_SCHEMES.flatMap((scheme) => (scheme.idHeader ? [scheme.idHeader.toLowerCase()] : [])), 'idempotency-key', 'x-idempotency-key']),
];

/** Settings that cannot sign, or a body that cannot be signed byte for byte. Messages name fields, never values. */
export class OutgoingSignatureError extends Error {
	override name = 'OutgoingSignatureError';
}

/**
 * Each outgoing scheme's `outgoing.rotation` (declared in its provider file), by id: what it does while a previous
 * secret is still valid (before `previousValidUntil`):
 * - `both`: the signature header is a list, so the request carries the new signature and then the previous one,
 *   over the same id, timestamp and body. Standard Webhooks spec, "Webhook headers": `webhook-signature` is a
 *   space-delimited list "to support zero downtime secret rotation", signed "using the current key, and using an old
 *   key (for a set period of time)"; consumers accept any listed signature (standardwebhooks' verify loops over them).
 *   Receivers holding only the old or only the new secret both accept.
 * - `previous`: the header holds exactly one signature (GitHub's `X-Hub-Signature-256: sha256=<hex>`; GitHub itself
 *   has no overlap: a new secret applies at once; a Generic HMAC header is one prefix + one signature). Sending two
 *   would break every receiver, and switching at once would break every receiver not yet updated, so the previous
 *   secret keeps signing until the date and the new one from then on: receivers must accept the new secret by then
 *   (our Signed Webhook Trigger takes it as Current Secret with the old one as Previous Secret).
 * After the date only the new secret signs, for every scheme.
 */
export const ROTATION: Readonly<Record<OutgoingSignatureScheme, OutgoingRotation>> = Object.fromEntries(
	OUTGOING_SCHEMES.map((scheme) => [scheme.id, scheme.rotation]),
);

/** Field names as the credential shows them: errors name these, never a value. */
const FIELD = { scheme: 'Signature Scheme', secret: 'Signing Secret', previous: 'Previous Signing Secret', until: 'Previous Secret Valid Until' } as const;

const fail = (problem: string): never => {
	throw new OutgoingSignatureError(`Could not sign the request: ${problem}`);
};

/**
 * The secrets that sign at `nowMs` (epoch milliseconds), in header order: `[secret]`, or during a rotation window
 * `[secret, previousSecret]` (ROTATION `both`) or `[previousSecret]` (`previous`). The window is open while
 * nowMs < previousValidUntil. Throws an OutgoingSignatureError naming the field, never its value, when a secret
 * cannot be a key (secretProblem, the rules verify() uses: e.g. a `whsec_` key under 16 bytes) or when a previous
 * secret has no date or a date that does not exist. Every configured field is checked whether or not the window
 * is open, so the credential test gives the same answer at any time.
 */
export function signingSecrets(settings: OutgoingSigningSettings, nowMs: number): string[] {
	if (!settings.secret) throw new OutgoingSignatureError('The outgoing signing credential has no secret');
	const outgoing = outgoingScheme(settings.scheme);
	// Same key rules as verify(): a whsec_ secret of 0 or 1 decoded bytes would let anyone forge what we send.
	const problem = secretProblem(settings.scheme, settings.secret);
	if (problem) fail(`${FIELD.secret} ${problem}`);
	const previous = settings.previousSecret;
	if (previous === undefined || previous === null || previous === '') return [settings.secret];
	if (typeof previous !== 'string') fail(`${FIELD.previous} is not text`);
	const previousProblem = secretProblem(settings.scheme, previous);
	if (previousProblem) fail(`${FIELD.previous} ${previousProblem}`);
	const untilMs = parseValidUntil(settings.previousValidUntil);
	if (previous === settings.secret || !(nowMs < untilMs)) return [settings.secret];
	return outgoing.rotation === 'both' ? [settings.secret, previous] : [previous];
}

/** The scheme's facts; an OutgoingSignatureError naming the field when no provider file offers it for outgoing signing. */
function outgoingScheme(id: unknown): OutgoingScheme {
	const scheme = typeof id === 'string' ? OUTGOING_BY_ID.get(id) : undefined;
	if (!scheme) return fail(`${FIELD.scheme} must be one of ${OUTGOING_SCHEMES.map((item) => item.id).join(', ')}`);
	return scheme;
}

/** Epoch ms of Previous Secret Valid Until; strict (parseUtcTimestamp): `2026-02-31T00:00:00Z` is refused, not moved to March. */
function parseValidUntil(value: unknown): number {
	const example = 'UTC in the form 2026-12-31T00:00:00Z';
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return fail(`${FIELD.until} is empty: set the date and time (${example}) until which ${FIELD.previous} still signs, or clear ${FIELD.previous}`);
	}
	const ms = typeof value === 'string' ? parseUtcTimestamp(value.trim()) : undefined;
	if (ms === undefined) return fail(`${FIELD.until} is not a date and time that exists, ${example}`);
	return ms;
}

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

/** A header's text under any spelling, when it is a non-empty string. */
function findHeader(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headerValue(headers, name);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Returns a copy of the request with a Buffer body and the signature headers set (replacing any same-named ones).
 * `now` is the clock: the signed timestamp and whether a previous secret still signs (see signingSecrets, ROTATION).
 * Throws an OutgoingSignatureError for a body that cannot be signed or settings that cannot sign.
 */
export function signOutgoingRequest<T extends SignableRequest>(settings: OutgoingSigningSettings, request: T, now: Date = new Date()): T {
	const secrets = signingSecrets(settings, now.getTime());
	const scheme = outgoingScheme(settings.scheme);
	const { body, contentType } = serialiseBody(request);
	const headers: Record<string, unknown> = { ...(request.headers ?? {}) };
	if (contentType && findHeader(headers, 'content-type') === undefined) headers['content-type'] = contentType;
	const options: ProviderOptions = {};
	for (const { name } of scheme.settings?.fields ?? []) {
		const value = settings[name];
		if (value !== undefined && value !== '') options[name] = value;
	}
	// A configured id header (Generic HMAC's ID Header) the request already carries keeps its value.
	const idSources = typeof options.idHeader === 'string' ? [options.idHeader.toLowerCase(), ...ID_SOURCE_HEADERS] : ID_SOURCE_HEADERS;
	const id = idSources.map((name) => findHeader(headers, name)).find((value) => value !== undefined);
	const signWith = (secret: string, messageId: string | undefined): Record<string, string> => {
		try {
			return sign({
				provider: settings.scheme,
				secret,
				body,
				timestamp: now,
				id: messageId,
				method: (request.method ?? 'GET').toUpperCase(),
				url: request.url ?? request.uri,
				options,
			});
		} catch (error) {
			// The signer's messages never include the secret; keep them, they say what is wrong with the setup.
			return fail((error as Error).message);
		}
	};
	const signed = signWith(secrets[0], id);
	if (secrets.length > 1) {
		// Only list headers get here (rotation 'both', Standard Webhooks): same message id (sign() makes one up when none
		// is given) and timestamp, so the second entry signs the very same content.
		const second = signWith(secrets[1], (scheme.idHeader && signed[scheme.idHeader]) || id);
		signed[scheme.signatureHeader] = `${signed[scheme.signatureHeader]} ${second[scheme.signatureHeader]}`;
	}
	for (const name of Object.keys(signed)) removeHeader(headers, name);
	return { ...request, body, headers: { ...headers, ...signed } };
}
