/**
 * The declarative scheme model. A provider file calls `defineScheme({...})` with:
 * where the signature is (header + format + encoding), what is signed (`content`), the timestamp and id,
 * how a secret becomes a key (`keys`), and where the delivery id / event type are.
 * The engine (verify.ts / sign.ts) runs every scheme the same way.
 */
import { DIGEST_LENGTH, ecPublicKey, ed25519PrivateKey, ed25519PublicKey, equalBytes, equalStrings, hmac, signEd25519, verifyEcdsaDer, verifyEd25519 } from './crypto';
import { decode, decodeKeyBase64, decodeKeyHex } from './encoding';
import type { ValueEncoding } from './encoding';
import type { SignatureFormat } from './formats';
import type { HandshakeDetector } from './handshake-types';
import { jsonPath } from './request';
import type { Extractor } from './request';
import type { ToleranceDirection } from './timestamps';
import type { HashAlgorithm, ProviderOptions, RequestView, SchemeKind, TimestampUnit } from './types';

export interface SignatureSource {
	header: string;
	format: SignatureFormat;
	encoding: ValueEncoding;
	algorithm?: HashAlgorithm;
	/** Expected decoded length per version ('' = unversioned); entries of other lengths are malformed. */
	lengths?: Record<string, number>;
	/** A source that only counts when the options enable it (GitHub's legacy SHA-1). */
	enabled?: (options: ProviderOptions) => boolean;
}

export interface Signatures {
	entries: Array<{ version?: string; bytes: Buffer }>;
	algorithm?: HashAlgorithm;
	timestamp?: string | null;
	id?: string | null;
}

export type Located = Signatures | { reject: 'missing_signature' | 'malformed_signature'; message: string };

export interface ContentParts {
	request: RequestView;
	timestamp?: string;
	id?: string;
}

/** Several candidates when the signed bytes are ambiguous (Twilio with and without the default port). */
export type ContentBuilder = (parts: ContentParts) => Buffer | Buffer[];

/** One secret turned into a checker; undefined when the secret cannot be used (a bad key). */
export interface KeyCheck {
	versions?: string[];
	matches(content: Buffer, signatures: Buffer[], algorithm: HashAlgorithm): boolean;
}

export interface Keys {
	check(secret: string): KeyCheck | undefined;
	/** Produces the raw signature for sign(); absent for schemes we cannot sign (public keys only). */
	sign?(secret: string, content: Buffer, algorithm: HashAlgorithm): { signature: Buffer; version?: string } | undefined;
}

export interface TimestampSpec {
	/** Header holding it; when absent it comes from the signature header (`t=`), the body, or `locate`. */
	header?: string;
	/** JSON path in the body (Linear's webhookTimestamp). */
	fromBody?: string;
	unit: TimestampUnit;
}

export interface Scheme {
	id: string;
	displayName: string;
	kind: SchemeKind;
	secretLabel: string;
	signatureHeader: string;
	defaultToleranceSeconds: number | null;
	toleranceDirection: ToleranceDirection;
	timestamp?: TimestampSpec;
	idHeader?: string;
	deliveryId?: Extractor & { source: string };
	eventType?: Extractor & { source: string };
	handshake?: HandshakeDetector;
	locate(request: RequestView): Located;
	content: ContentBuilder;
	keys: Keys;
	/** Where sign() writes the signature. */
	signSource?: SignatureSource;
	/** Schemes whose shape depends on options or on the request (generic-hmac, gitlab, convoy). */
	resolve?(request: RequestView): Scheme;
	/** Schemes that sign somewhere else than headers override the default signer. */
	signHeaders?(secret: string, parts: ContentParts): Record<string, string>;
}

export interface SchemeDefinition {
	id: string;
	displayName: string;
	kind: SchemeKind;
	secretLabel: string;
	/** First source whose header is present is used; the first one is what sign() writes. */
	signature: SignatureSource | SignatureSource[];
	timestamp?: TimestampSpec & { toleranceSeconds: number | null; direction: ToleranceDirection };
	idHeader?: string;
	content: ContentBuilder;
	keys: Keys;
	deliveryId?: Extractor & { source: string };
	eventType?: Extractor & { source: string };
	handshake?: HandshakeDetector;
	locate?: (request: RequestView) => Located;
}

export function defineScheme(definition: SchemeDefinition): Scheme {
	const sources = Array.isArray(definition.signature) ? definition.signature : [definition.signature];
	return {
		id: definition.id,
		displayName: definition.displayName,
		kind: definition.kind,
		secretLabel: definition.secretLabel,
		signatureHeader: sources[0].header,
		defaultToleranceSeconds: definition.timestamp?.toleranceSeconds ?? null,
		toleranceDirection: definition.timestamp?.direction ?? 'both',
		timestamp: definition.timestamp && { header: definition.timestamp.header, unit: definition.timestamp.unit, fromBody: definition.timestamp.fromBody },
		idHeader: definition.idHeader,
		deliveryId: definition.deliveryId,
		eventType: definition.eventType,
		handshake: definition.handshake,
		content: definition.content,
		keys: definition.keys,
		signSource: sources[0],
		locate: definition.locate ?? ((request) => locateInHeaders(request, sources, definition)),
	};
}

function locateInHeaders(request: RequestView, sources: SignatureSource[], definition: SchemeDefinition): Located {
	const active = sources.filter((source) => !source.enabled || source.enabled(request.options));
	const source = active.find((candidate) => request.header(candidate.header) !== undefined);
	if (!source) return { reject: 'missing_signature', message: `The ${sources[0].header} header is missing.` };
	const text = request.header(source.header);
	if (text === null) return { reject: 'malformed_signature', message: `The ${source.header} header appears more than once.` };
	const decoded = parseSignatureText(text ?? '', source);
	if ('reject' in decoded) return decoded;
	const spec = definition.timestamp;
	const timestamp = spec?.header
		? request.header(spec.header)
		: spec?.fromBody
			? jsonPath(request.json(), spec.fromBody)
			: decoded.timestamp;
	const id = definition.idHeader ? request.header(definition.idHeader) : undefined;
	return { ...decoded, timestamp, id };
}

/** Shared by every header-based scheme: size limit, prefix/format, strict decoding and length checks. */
export function parseSignatureText(text: string, source: SignatureSource): Located {
	const value = text;
	if (value.trim() === '') return { reject: 'missing_signature', message: `The ${source.header} header is empty.` };
	if (value.length > MAX_SIGNATURE_HEADER) return malformed(source.header, 'is too long');
	const parsed = source.format.parse(value.trim());
	if (!parsed) return malformed(source.header, 'does not have the expected format');
	const entries: Signatures['entries'] = [];
	for (const entry of parsed.entries) {
		const bytes = decode(entry.value, source.encoding);
		const expected = expectedLength(source, entry.version);
		if (bytes && (expected === undefined || bytes.length === expected)) entries.push({ version: entry.version, bytes });
	}
	if (entries.length === 0) return malformed(source.header, 'holds no well-formed signature');
	return { entries, algorithm: source.algorithm, timestamp: parsed.timestamp };
}

const MAX_SIGNATURE_HEADER = 8192;

function expectedLength(source: SignatureSource, version: string | undefined): number | undefined {
	if (source.lengths) return source.lengths[version ?? ''] ?? -1; // unknown versions never match
	return source.algorithm ? DIGEST_LENGTH[source.algorithm] : undefined;
}

function malformed(header: string, problem: string): Located {
	return { reject: 'malformed_signature', message: `The ${header} header ${problem}.` };
}

// ---- content helpers -------------------------------------------------------------------------------------------

/** Concatenates strings and the body bytes: `signed('v0:', ts, ':', BODY)`. */
/**
 * Window for providers that sign a timestamp but publish no tolerance (Zoom, Discord, Zendesk, SendGrid, Mailgun):
 * five minutes both ways, the Standard Webhooks default. Users can widen it or turn it off per trigger.
 */
export const DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW = 300;

export const BODY = Symbol('body');
export const TIMESTAMP = Symbol('timestamp');
export const ID = Symbol('id');
export function signed(...parts: Array<string | symbol>): ContentBuilder {
	return ({ request, timestamp, id }) =>
		Buffer.concat(
			parts.map((part) => {
				if (part === BODY) return request.body;
				if (part === TIMESTAMP) return Buffer.from(timestamp ?? '', 'utf8');
				if (part === ID) return Buffer.from(id ?? '', 'utf8');
				return Buffer.from(String(part), 'utf8');
			}),
		);
}

// ---- key building blocks ---------------------------------------------------------------------------------------

/** HMAC with the secret turned into key bytes by `toKey` (UTF-8 by default). */
export function hmacKeys(toKey: (secret: string) => Buffer | undefined = utf8Key, versions?: string[]): Keys {
	return {
		check(secret) {
			const key = toKey(secret);
			if (!key) return undefined;
			return {
				versions,
				matches(content, signatures, algorithm) {
					const expected = hmac(algorithm, key, content);
					return signatures.some((signature) => equalBytes(expected, signature));
				},
			};
		},
		sign(secret, content, algorithm) {
			const key = toKey(secret);
			return key && { signature: hmac(algorithm, key, content), version: versions?.[0] };
		},
	};
}

export const utf8Key = (secret: string): Buffer | undefined => (secret === '' ? undefined : Buffer.from(secret, 'utf8'));

/** Standard Webhooks secrets: `whsec_` + base64 (an un-prefixed secret is taken as base64 too, as the libraries do). */
export const whsecKey = (secret: string): Buffer | undefined => decodeKeyBase64(secret.trim().replace(/^whsec_/, ''));

/** A plain shared token compared in constant time (GitLab, generic-token). */
export function tokenKeys(): Keys {
	return {
		check(secret) {
			if (secret === '') return undefined;
			return { matches: (_content, tokens) => tokens.some((token) => equalStrings(token.toString('utf8'), secret)) };
		},
		sign: (secret) => ({ signature: Buffer.from(secret, 'utf8') }),
	};
}

/** Ed25519 public keys (verify) and, optionally, private seeds (sign), decoded by `decodeKey`. */
export function ed25519Keys(decodeKey: (text: string) => Buffer | undefined, versions?: string[]): Keys {
	return {
		check(secret) {
			const key = ed25519PublicKey(decodeKey(secret.trim()));
			if (!key) return undefined;
			return { versions, matches: (content, signatures) => signatures.some((signature) => verifyEd25519(key, content, signature)) };
		},
		sign(secret, content) {
			const key = ed25519PrivateKey(decodeKey(secret.trim()));
			return key && { signature: signEd25519(key, content), version: versions?.[0] };
		},
	};
}

/** ECDSA P-256 public keys (PEM or base64 DER SPKI); verify only. */
export function ecdsaKeys(): Keys {
	return {
		check(secret) {
			const key = ecPublicKey(secret);
			if (!key) return undefined;
			return { matches: (content, signatures) => signatures.some((signature) => verifyEcdsaDer(key, content, signature)) };
		},
	};
}

export const hexKey = (text: string) => decodeKeyHex(text);
