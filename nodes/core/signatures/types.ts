/** Public and internal types of the signature core. No n8n imports here. */
import type { PreparedSecrets } from './verify';

export type ReasonCode =
	| 'missing_signature'
	| 'malformed_signature'
	| 'invalid_signature'
	| 'missing_timestamp'
	| 'timestamp_out_of_tolerance';

export type HeaderValue = string | string[] | undefined;
export type HeaderBag = Record<string, HeaderValue>;
export type Body = Buffer | Uint8Array | string;

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';
export type TimestampUnit = 's' | 'ms' | 'rfc3339';
export type SchemeKind = 'hmac' | 'token' | 'ed25519' | 'ecdsa';
/** 'past-only': future timestamps pass (as stripe-node does); 'both': ± the window. */
export type ToleranceDirection = 'past-only' | 'both';

/** Settings of the generic schemes and provider switches (allowSha1, mode, verifyToken, ...). */
export interface ProviderOptions {
	/** github, meta: also accept the legacy SHA-1 header when the SHA-256 one is absent. */
	allowSha1?: boolean;
	/** gitlab: 'token' | 'signing-token'; unset = signing-token when a webhook-signature header is present. */
	mode?: string;
	/** meta: the hub.verify_token you entered in the app dashboard (handshake only). */
	verifyToken?: string;
	/** generic-hmac / generic-token / convoy settings. */
	header?: string;
	algorithm?: HashAlgorithm;
	encoding?: SignatureEncoding;
	prefix?: string;
	template?: string;
	timestampHeader?: string;
	timestampUnit?: 's' | 'ms';
	idHeader?: string;
	bearer?: boolean;
	[key: string]: unknown;
}

/** Headers as verify() and detectHandshake() take them: a plain object (any case of names), a fetch `Headers` or a `Map`. */
export type HeadersInput = HeaderBag | Map<string, HeaderValue> | { entries(): IterableIterator<[string, string]>; get(name: string): string | null };
/** The body's raw bytes as received: a Buffer or other typed array, an ArrayBuffer, or text (read as UTF-8). */
export type BodyInput = Body | ArrayBuffer | ArrayBufferView;

export interface VerifyInput {
	provider: string;
	/** Current secret first, then previous ones (public keys for Ed25519/ECDSA providers). */
	secrets: readonly string[];
	/** Refused with a TypeError when not one of these shapes. */
	headers: HeadersInput;
	/** Refused with a TypeError when not one of these shapes (a parsed object, a number). */
	body: BodyInput;
	method?: string;
	/** The full URL the sender called (Twilio, Square, HubSpot, generic {url}). */
	url?: string;
	/**
	 * Replaces the clock: a Date or epoch MILLISECONDS between 1e12 (2001-09-09) and 253402300799999 (9999-12-31).
	 * Anything else (e.g. epoch seconds) throws a TypeError.
	 */
	now?: Date | number;
	/**
	 * Overrides the provider's default window, in SECONDS: a number > 0, or Infinity to turn the age check off.
	 * 0, negative and NaN throw a TypeError (0 means "off" to Stripe's SDKs and "no delay" to a literal reading).
	 */
	toleranceSeconds?: number;
	options?: ProviderOptions;
	/**
	 * The same `secrets` with their keys parsed once (prepareSecrets(secrets)), for callers that verify many requests
	 * with the same secrets; used instead of `secrets` when given. Anything else throws a TypeError.
	 */
	prepared?: PreparedSecrets;
	/**
	 * The caller's parse of `body` (bodyJson(body)), shared so that one request's body is parsed at most once; must be
	 * bodyJson() of this very body. When absent, the body is parsed (once) if a provider reads an id or type from it.
	 */
	json?: () => unknown;
}

export interface VerifySuccess {
	valid: true;
	provider: string;
	deliveryId?: string;
	eventType?: string;
	/** Signed timestamp, epoch milliseconds. */
	timestamp?: number;
	/** Position in `secrets` of the secret that matched. */
	secretIndex: number;
}

export interface VerifyFailure {
	valid: false;
	reason: ReasonCode;
	/** Short human text; never contains a secret, an expected signature or a hint of closeness. */
	message: string;
	/**
	 * Set when a configured secret cannot be a key (empty, surrounding whitespace, too short once decoded, not a
	 * public key); `message` names which one (by position and the provider's label) and why. Reason stays invalid_signature.
	 */
	misconfigured?: true;
}

export type VerifyResult = VerifySuccess | VerifyFailure;

export interface SignInput {
	provider: string;
	/** Must be usable as a key (see secretProblem()); otherwise sign() throws a TypeError naming `secret`. */
	secret: string;
	body: Body;
	/**
	 * When the request is signed: a Date or epoch MILLISECONDS between 1e12 (2001-09-09) and 253402300799999
	 * (9999-12-31); defaults to now. Epoch seconds (`1700000000`) throw a TypeError instead of signing a 1970 date.
	 */
	timestamp?: Date | number;
	/** Message/delivery id for schemes that sign one; a random one is made when needed. */
	id?: string;
	method?: string;
	url?: string;
	options?: ProviderOptions;
}

export type SignedHeaders = Record<string, string>;

/** What the engine hands to a provider's parts: one request, normalised. */
export interface RequestView {
	body: Buffer;
	method: string;
	url: string;
	options: ProviderOptions;
	/** Single value of a header (case-insensitive); `null` when it is duplicated with different values. */
	header(name: string): string | undefined | null;
	/** Body parsed as JSON (memoised); undefined when it is not JSON. */
	json(): unknown;
}
