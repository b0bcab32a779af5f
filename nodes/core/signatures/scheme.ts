/**
 * The declarative scheme model. A provider file calls `defineScheme({...})` with every fact about the provider:
 * where the signature is (header + format + encoding), what is signed (`content`), the timestamp, its window and id,
 * how a secret becomes a key (`keys`), where the delivery id / event type are, its handshake, and what the trigger
 * and the README need (extra methods, switches, settings, headers to redact, docs text).
 * The engine (verify.ts / sign.ts) runs every scheme the same way; the trigger reads the facts through `schemes`.
 */
import type { KeyObject } from 'node:crypto';
import { DIGEST_LENGTH, ecPublicKey, ed25519PrivateKey, ed25519PublicKey, equalBytes, equalStrings, hmac, hmacParts, signEd25519, verifyEcdsaDer, verifyEd25519 } from './crypto';
import { decode, decodeKeyBase64, decodeKeyHex, encode } from './encoding';
import type { ValueEncoding } from './encoding';
import type { SignatureFormat } from './formats';
import type { HandshakeDetector } from './handshake-types';
import { jsonPath } from './request';
import type { Extractor } from './request';
import type { HashAlgorithm, ProviderOptions, RequestView, SchemeKind, TimestampUnit, ToleranceDirection } from './types';

export interface SignatureSource {
	header: string;
	format: SignatureFormat;
	encoding: ValueEncoding;
	algorithm?: HashAlgorithm;
	/** Expected decoded length per version ('' = unversioned); entries of other lengths are malformed. */
	lengths?: Record<string, number>;
	/**
	 * A source that counts only when this boolean option is true (GitHub's legacy SHA-1 header: `allowSha1`). The
	 * scheme must offer a switch of that name (`switches`), which is how the trigger's editor shows it.
	 */
	enabledBy?: string;
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

/**
 * The signed bytes as the parts they are made of, in order (`['v0:', timestamp, ':', body]`): the hash is fed part by
 * part, so the received body is hashed where it lies, never copied into a concatenation. A plain Buffer is one part.
 */
export type SignedBytes = Buffer | { readonly parts: readonly Buffer[] };

/** Several candidates when the signed bytes are ambiguous (Twilio with and without the default port). */
export type ContentBuilder = (parts: ContentParts) => SignedBytes | SignedBytes[];

/** The parts of signed bytes, in order (no copy). */
export function partsOf(content: SignedBytes): readonly Buffer[] {
	return Buffer.isBuffer(content) ? [content] : content.parts;
}

/** Signed bytes as one Buffer; only for the one-shot signers (Ed25519) and sign(), which need contiguous bytes. */
export function bytesOf(content: SignedBytes): Buffer {
	const parts = partsOf(content);
	return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** Signed bytes from text (UTF-8) and byte parts, kept as parts: `joined(method + url, request.body, timestamp)`. */
export function joined(...parts: Array<Buffer | string>): SignedBytes {
	return { parts: parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)) };
}

/**
 * One secret made ready to check signatures: its text decoded and parsed ONCE (HMAC key bytes, an Ed25519 or ECDSA
 * KeyObject), so verifying a request does no key parsing. Built by `Keys.prepare`; holds key material, never log it.
 */
export interface PreparedKey {
	/** Signature versions this key answers for (Standard Webhooks: `v1` symmetric, `v1a` Ed25519); absent = all. */
	versions?: string[];
	/** True when one of `signatures` is this key's signature of `content` (constant-time for HMAC and tokens). */
	matches(content: SignedBytes, signatures: Buffer[], algorithm: HashAlgorithm): boolean;
}

export interface Keys {
	/** Why this secret cannot be a key (empty, too short, not decodable), or undefined when it can. Never the value. */
	problem(secret: string): string | undefined;
	/** The secret decoded and parsed into a PreparedKey; undefined when it cannot be a key (see problem()). */
	prepare(secret: string): PreparedKey | undefined;
	/** Produces the raw signature for sign(); absent for schemes we cannot sign (public keys only). */
	sign?(secret: string, content: Buffer, algorithm: HashAlgorithm): { signature: Buffer; version?: string } | undefined;
}

/** Keys of a scheme that verifies with public keys: the parser its checks use, shared with the credential checks. */
export interface PublicKeys extends Keys {
	/** The public key the verifier would use for this text, or undefined when it would use none. */
	publicKey(text: string): KeyObject | undefined;
}

/** Where a signed timestamp is read from, and its unit. */
export interface TimestampSpec {
	/** Header holding it; when absent it comes from the signature header (`t=`), the body, or `locate`. */
	header?: string;
	/** JSON path in the body (Linear's webhookTimestamp). */
	fromBody?: string;
	unit: TimestampUnit;
}

/**
 * A boolean option the user switches per trigger (GitHub's and Meta's `allowSha1`). The trigger shows one editor
 * parameter per option name, for every provider that offers it, and passes its value in `options[option]`.
 */
export interface SchemeSwitch {
	/** Key in ProviderOptions and name of the editor parameter (saved in workflows: never rename). */
	option: string;
	displayName: string;
	description: string;
	/** Notice shown in the editor while the switch is on (why it weakens the check), and that notice's parameter name. */
	warningWhenOn?: { text: string; parameter: string };
}

/** One field of a scheme's settings (plain data; the trigger turns it into an editor parameter). */
export interface SchemeSettingField {
	/** Key in ProviderOptions. */
	name: string;
	displayName: string;
	type: 'string' | 'boolean' | 'options';
	default: string | boolean;
	options?: Array<{ name: string; value: string }>;
	placeholder?: string;
	description?: string;
	hint?: string;
}

/** Settings of a configurable scheme (Generic HMAC, Generic token, Convoy): merged into ProviderOptions. */
export interface SchemeSettings {
	/** Name of the editor parameter holding them (saved in workflows: never rename). */
	parameter: string;
	displayName: string;
	description?: string;
	fields: SchemeSettingField[];
}

/** Another editor choice that verifies with this scheme (Standard Webhooks with an Ed25519 public key). */
export interface SchemeChoice {
	/** Value saved in the trigger's Provider parameter (never rename). */
	value: string;
	displayName: string;
	description: string;
	/** What the user's credential holds for this choice. */
	credential: CredentialKind;
}

/** Which credential holds the secret: a shared secret or token, or a sender's public key. */
export type CredentialKind = 'secret' | 'publicKey';

/** Text for the README provider table (npm run docs:providers) and the editor. Markdown allowed. */
export interface SchemeDocs {
	/** Where the signature travels and how it is written: `` `Stripe-Signature` (`t=…,v1=…`) ``. */
	signature: string;
	/** What bytes are signed: `` `t.body` ``. */
	signed: string;
	/** Replaces the tolerance column generated from `timestamp` (schemes whose window depends on a mode). */
	tolerance?: string;
	/** The handshake answered, when there is one. */
	handshake?: string;
	/**
	 * What the Webhook Signing Secret credential's Verify Token means for this provider, for schemes whose handshake
	 * compares a token the user chose (`options.verifyToken`, Meta's `hub.verify_token`). Its help text lists these.
	 */
	verifyToken?: string;
}

/**
 * What signs while a previous secret is still valid (before the credential's Previous Secret Valid Until):
 * `both` when the signature header is a list (new signature, then previous), `previous` when it holds exactly one
 * (the previous secret keeps signing until the date). See ROTATION in nodes/core/delivery/outgoing-signature.ts.
 */
export type OutgoingRotation = 'both' | 'previous';

/** How a scheme signs requests n8n sends (the Outgoing Webhook Signing API credential); absent = verify only. */
export interface SchemeOutgoing {
	/** The credential's Signature Scheme option: its label and help (the value is the scheme id; never rename). */
	displayName: string;
	description: string;
	rotation: OutgoingRotation;
	/** The credential's default Signature Scheme (exactly one outgoing scheme says so). */
	credentialDefault?: true;
}

/**
 * Whether the provider redelivers a delivery that got no 2xx (a 5xx, a timeout), from its own docs (`source`).
 * The trigger's backpressure answers 503 + Retry-After only to providers with `retries: true`. Absent = not known,
 * treated as not retrying (such deliveries are accepted as usual).
 */
export interface RetryFact {
	retries: boolean;
	/** How long it keeps retrying, as documented ("3 days", "4 hours"). */
	horizon?: string;
	/**
	 * The same horizon in seconds, from the same source: the trigger's default window for dropping repeats at the door
	 * (a repeat can arrive until the sender gives up). Absent = not published.
	 */
	horizonSeconds?: number;
	/** The provider's documentation page that states it. */
	source: string;
}

/** Facts a provider file declares that the engine and the trigger read as they are. */
interface SchemeFacts {
	id: string;
	displayName: string;
	kind: SchemeKind;
	/** The provider's own word for the secret ("Signing secret", "App secret", "Public key"); errors name it. */
	secretLabel: string;
	/** Header carrying the message id that is signed (Standard Webhooks, Twitch); absent = none. */
	idHeader?: string;
	deliveryId?: Extractor & { source: string };
	eventType?: Extractor & { source: string };
	handshake?: HandshakeDetector;
	content: ContentBuilder;
	keys: Keys;
	docs: SchemeDocs;
	/** HTTP methods the provider calls besides the one configured (Meta's subscription check: GET). */
	extraMethods?: readonly string[];
	/** Headers holding signatures or tokens that no signature source names (legacy ones we do not verify). */
	redactHeaders?: readonly string[];
	switches?: readonly SchemeSwitch[];
	settings?: SchemeSettings;
	/** Further editor choices verified by this scheme. */
	choices?: readonly SchemeChoice[];
	/** The trigger's default choice (exactly one scheme says so). */
	editorDefault?: true;
	/** Describes a timestamp that is neither a header nor a body path (`signature header t=`), for the providers list. */
	timestampSource?: string;
	/** Offered by the Outgoing Webhook Signing API credential (needs keys.sign). */
	outgoing?: SchemeOutgoing;
	/** Whether it redelivers failed deliveries; absent = not known (see RetryFact). */
	retries?: RetryFact;
	/**
	 * For providers whose BODY carries the shared secret (Microsoft Graph's clientState): the parsed body with the
	 * secret blanked, a copy. Output items must be built from this, never from the raw body. Absent = nothing to blank.
	 */
	redactBody?(json: unknown): unknown;
	/** Its handshake hands over the signing secret (`Handshake.issuedSecret`, Asana): the trigger keeps it. */
	issuesSecret?: true;
}

/** What a provider file passes to defineScheme(). */
export interface SchemeDefinition extends SchemeFacts {
	/** First source whose header is present is used; the first one is what sign() writes. */
	signature: SignatureSource | SignatureSource[];
	/**
	 * The signed timestamp and its window in seconds: a number, or 'none published' for providers that sign a
	 * timestamp but publish no window (DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW then applies).
	 */
	timestamp?: TimestampSpec & { toleranceSeconds: number | 'none published'; direction: ToleranceDirection };
	locate?: (request: RequestView) => Located;
}

/** A scheme as the engine runs it: the definition with its defaults filled in. */
export interface Scheme extends SchemeFacts {
	/** Header of the first (preferred) signature source. */
	signatureHeader: string;
	/** Every header that carries a signature or token of this scheme, lower case: never shown in output. */
	signatureHeaders: readonly string[];
	/** null: no timestamp is signed. */
	defaultToleranceSeconds: number | null;
	/** True when the provider publishes no window and DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW is used. */
	toleranceUnpublished: boolean;
	toleranceDirection: ToleranceDirection;
	timestamp?: TimestampSpec;
	locate(request: RequestView): Located;
	/** Where sign() writes the signature. */
	signSource?: SignatureSource;
	/** Throws a TypeError naming the option when options cannot be used (a unit or algorithm we do not know). */
	validateOptions?(options: ProviderOptions): void;
	/** Schemes whose shape depends on options or on the request (generic-hmac, gitlab, convoy). */
	resolve?(request: RequestView): Scheme;
	/** Schemes that sign somewhere else than headers override the default signer. */
	signHeaders?(secret: string, parts: ContentParts): Record<string, string>;
}

/**
 * Window for providers that sign a timestamp but publish no tolerance (Zoom, Discord, Zendesk, SendGrid, Mailgun):
 * five minutes both ways, the Standard Webhooks default. Users can widen it or turn it off per trigger.
 */
export const DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW = 300;

/** Fills in a definition's defaults. Throws a TypeError when a source is enabled by a switch the scheme does not offer. */
export function defineScheme(definition: SchemeDefinition): Scheme {
	const { signature, timestamp, locate, ...facts } = definition;
	const sources = Array.isArray(signature) ? signature : [signature];
	for (const source of sources) {
		if (source.enabledBy && !facts.switches?.some((item) => item.option === source.enabledBy)) {
			throw new TypeError(`${definition.id}: the ${source.header} source is enabled by "${source.enabledBy}", which is not one of its switches.`);
		}
	}
	const window = timestamp?.toleranceSeconds;
	return {
		...facts,
		signatureHeader: sources[0].header,
		signatureHeaders: [...new Set([...sources.map((source) => source.header), ...(facts.redactHeaders ?? [])].map((name) => name.toLowerCase()))],
		defaultToleranceSeconds: window === undefined ? null : window === 'none published' ? DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW : window,
		toleranceUnpublished: window === 'none published',
		toleranceDirection: timestamp?.direction ?? 'both',
		timestamp: timestamp && { header: timestamp.header, unit: timestamp.unit, fromBody: timestamp.fromBody },
		signSource: sources[0],
		locate: locate ?? ((request) => locateInHeaders(request, sources, definition)),
	};
}

function locateInHeaders(request: RequestView, sources: SignatureSource[], definition: SchemeDefinition): Located {
	const active = sources.filter((source) => !source.enabledBy || request.options[source.enabledBy] === true);
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

/**
 * Shared option checks for the configurable schemes: a timestamp unit other than 's' (epoch seconds) or 'ms' (epoch
 * milliseconds) would otherwise be read as some other unit; unknown algorithms and encodings likewise.
 */
export function checkHmacOptions(scheme: string, options: ProviderOptions): void {
	const allowed: Record<string, readonly unknown[]> = {
		timestampUnit: ['s', 'ms'],
		algorithm: ['sha1', 'sha256', 'sha512'],
		encoding: ['hex', 'base64'],
	};
	for (const [name, values] of Object.entries(allowed)) {
		const value = options[name];
		if (value !== undefined && value !== '' && !values.includes(value)) {
			throw new TypeError(`${scheme}: options.${name} must be one of ${values.join(', ')}.`);
		}
	}
}

// ---- content helpers -------------------------------------------------------------------------------------------

/** Stand-ins for the parts of a request in signed(): the raw body, the signed timestamp, the signed message id. */
export const BODY = Symbol('body');
export const TIMESTAMP = Symbol('timestamp');
export const ID = Symbol('id');

/**
 * The signed bytes as strings and the body, in order: `signed('v0:', TIMESTAMP, ':', BODY)`. Kept as parts (see
 * SignedBytes): the body is hashed in place. Constant text is encoded once, when the scheme is defined.
 */
export function signed(...parts: Array<string | symbol>): ContentBuilder {
	const fixed = parts.map((part) => (typeof part === 'symbol' ? part : Buffer.from(String(part), 'utf8')));
	return ({ request, timestamp, id }) => ({
		parts: fixed.map((part) => {
			if (part === BODY) return request.body;
			if (part === TIMESTAMP) return Buffer.from(timestamp ?? '', 'utf8');
			if (part === ID) return Buffer.from(id ?? '', 'utf8');
			return part as Buffer;
		}),
	});
}

// ---- key building blocks ---------------------------------------------------------------------------------------

/**
 * Shortest key accepted after decoding (`whsec_` base64 secrets): 16 bytes = 128 bits. NIST SP 800-107 asks HMAC keys
 * for at least the security strength wanted (112 bits or more); the Standard Webhooks spec has senders generate 24 to
 * 64 bytes, and its libraries (standardwebhooks 1.1, svix) only refuse an empty key. A receiver cannot choose the
 * sender's key length, so the floor sits below every generated secret we know (Svix and Standard Webhooks: 24 bytes)
 * and far above what can be guessed (`whsec_A` = 0 bytes, `whsec_QQ==` = 1 byte: 256 keys).
 */
export const MIN_DECODED_KEY_BYTES = 16;

/** Key bytes, or why the configured text cannot be a key (names the problem, never the value). */
export type KeyMaterial = Buffer | { problem: string };

/**
 * Shared-secret text is never trimmed: a secret the user chose may really end in a space, and guessing would make one
 * of the two setups fail without a word. Surrounding whitespace (a pasted line break) is refused with a clear message.
 */
export function textProblem(secret: string): string | undefined {
	if (typeof secret !== 'string' || secret.trim() === '') return 'is empty';
	if (secret !== secret.trim()) return 'starts or ends with whitespace (a space or a line break); paste it again without it';
	return undefined;
}

/** A secret used as UTF-8 text (GitHub, Stripe, Slack, ...): any non-empty text without surrounding whitespace. */
export const utf8Key = (secret: string): KeyMaterial => {
	const problem = textProblem(secret);
	return problem ? { problem } : Buffer.from(secret, 'utf8');
};

/**
 * Standard Webhooks secrets: `whsec_` + base64 (an un-prefixed secret is taken as base64 too, as the libraries do),
 * at least MIN_DECODED_KEY_BYTES once decoded.
 */
export const whsecKey = (secret: string): KeyMaterial => {
	const problem = textProblem(secret);
	if (problem) return { problem };
	const rest = secret.replace(/^whsec_/, '');
	// Worded without the prefix itself: a secret that is only "whsec_" is masked wherever it is printed.
	if (rest === '') return { problem: 'has nothing after its prefix: the key is empty' };
	const bytes = decodeKeyBase64(rest);
	if (!bytes) {
		return { problem: secret.startsWith('whsec_') ? 'starts with whsec_ but the rest is not base64' : 'is not base64 (with or without the whsec_ prefix)' };
	}
	return atLeastMinimumKeyBytes(bytes);
};

/** Decoded key bytes as they are, or the problem when there are fewer than MIN_DECODED_KEY_BYTES: every decoded secret passes here. */
export function atLeastMinimumKeyBytes(bytes: Buffer): KeyMaterial {
	if (bytes.length < MIN_DECODED_KEY_BYTES) {
		return { problem: `decodes to ${bytes.length} byte${bytes.length === 1 ? '' : 's'}; at least ${MIN_DECODED_KEY_BYTES} are needed` };
	}
	return bytes;
}

const isProblem = (material: KeyMaterial): material is { problem: string } => !Buffer.isBuffer(material);

/**
 * One Keys object per (toKey, versions) pair: schemes rebuilt per request by resolve() (generic-hmac, convoy) then
 * share it, so keys prepared for it (PreparedSecrets) stay valid across requests. Weak: an inline `toKey` is not kept.
 */
const hmacKeysMemo = new WeakMap<(secret: string) => KeyMaterial, Map<string, Keys>>();

/** HMAC with the secret turned into key bytes by `toKey` (UTF-8 text by default). */
export function hmacKeys(toKey: (secret: string) => KeyMaterial = utf8Key, versions?: string[]): Keys {
	const byVersions = hmacKeysMemo.get(toKey) ?? new Map<string, Keys>();
	hmacKeysMemo.set(toKey, byVersions);
	const memoKey = versions ? versions.join(',') : '';
	const known = byVersions.get(memoKey);
	if (known) return known;
	const keyOf = (secret: string) => {
		const material = toKey(secret);
		return isProblem(material) ? undefined : material;
	};
	const keys: Keys = {
		problem(secret) {
			const material = toKey(secret);
			return isProblem(material) ? material.problem : undefined;
		},
		prepare(secret) {
			const key = keyOf(secret);
			if (!key) return undefined;
			return {
				versions,
				matches(content, signatures, algorithm) {
					const expected = hmacParts(algorithm, key, partsOf(content));
					return signatures.some((signature) => equalBytes(expected, signature));
				},
			};
		},
		sign(secret, content, algorithm) {
			const key = keyOf(secret);
			return key && { signature: hmac(algorithm, key, content), version: versions?.[0] };
		},
	};
	byVersions.set(memoKey, keys);
	return keys;
}

/** A plain shared token compared in constant time (GitLab, generic-token); same text rules as utf8Key. */
export function tokenKeys(): Keys {
	return TOKEN_KEYS;
}

const TOKEN_KEYS: Keys = {
	problem: textProblem,
	prepare(secret) {
		if (textProblem(secret)) return undefined;
		return { matches: (_content, tokens) => tokens.some((token) => equalStrings(token.toString('utf8'), secret)) };
	},
	sign: (secret) => (textProblem(secret) ? undefined : { signature: Buffer.from(secret, 'utf8') }),
};

/**
 * Ed25519 public keys (verify) and, optionally, private seeds (sign), decoded by `decodeKey`. Key encodings (hex,
 * base64, PEM) carry no data in surrounding whitespace, so public and private keys are trimmed.
 */
export function ed25519Keys(decodeKey: (text: string) => Buffer | undefined, versions?: string[]): PublicKeys {
	const publicKey = (text: string) => (typeof text === 'string' ? ed25519PublicKey(decodeKey(text.trim())) : undefined);
	return {
		publicKey,
		problem(secret) {
			if (typeof secret !== 'string' || secret.trim() === '') return 'is empty';
			return publicKey(secret) || ed25519PrivateKey(decodeKey(secret.trim())) ? undefined : 'is not an Ed25519 key (32 bytes)';
		},
		prepare(secret) {
			const key = publicKey(secret);
			if (!key) return undefined;
			return {
				versions,
				matches(content, signatures) {
					const bytes = bytesOf(content); // Ed25519 (RFC 8032) signs the whole message at once
					return signatures.some((signature) => verifyEd25519(key, bytes, signature));
				},
			};
		},
		sign(secret, content) {
			const key = ed25519PrivateKey(decodeKey(secret.trim()));
			return key && { signature: signEd25519(key, content), version: versions?.[0] };
		},
	};
}

/** ECDSA P-256 public keys (PEM or base64 DER SPKI, trimmed; see ecPublicKey); verify only. One shared object. */
export function ecdsaKeys(): PublicKeys {
	return ECDSA_KEYS;
}

const ECDSA_KEYS: PublicKeys = {
	publicKey: ecPublicKey,
	problem(secret) {
		if (typeof secret !== 'string' || secret.trim() === '') return 'is empty';
		return ecPublicKey(secret) ? undefined : 'is not an ECDSA public key (PEM or base64 DER)';
	},
	prepare(secret) {
		const key = ecPublicKey(secret);
		if (!key) return undefined;
		return { matches: (content, signatures) => signatures.some((signature) => verifyEcdsaDer(key, partsOf(content), signature)) };
	},
};

export const hexKey = (text: string) => decodeKeyHex(text);

// ---- the default signer ----------------------------------------------------------------------------------------

/** Secret problems are checked by sign() before this runs. */
export function signHeaders(scheme: Scheme, secret: string, parts: ContentParts): Record<string, string> {
	const source = scheme.signSource;
	if (!scheme.keys.sign || !source) throw new TypeError(`${scheme.id}: sign() needs a private key this scheme does not use.`);
	const content = bytesOf([scheme.content(parts)].flat()[0]);
	const signed = scheme.keys.sign(secret, content, source.algorithm ?? 'sha256');
	if (!signed) throw new TypeError(`sign(): secret (${scheme.secretLabel}) cannot be used as a ${scheme.id} signing key.`);
	const headers: Record<string, string> = {
		[source.header]: source.format.format(encode(signed.signature, source.encoding), parts.timestamp, signed.version),
	};
	if (scheme.timestamp?.header && parts.timestamp !== undefined) headers[scheme.timestamp.header] = parts.timestamp;
	if (scheme.idHeader && parts.id !== undefined) headers[scheme.idHeader] = parts.id;
	return headers;
}
