/**
 * Signature core: verify / sign / handshakes for webhook providers. Pure (node:crypto only, no n8n imports).
 *
 * Contract for callers (the Signed Webhook Trigger codes against this):
 *
 *   1. const handshake = detectHandshake({ provider, method, headers, body, query, secrets, options });
 *      - undefined: not a handshake, go on with step 2.
 *      - handshake.requiresVerification === false (Meta's GET hub.challenge): answer handshake.respond() right away;
 *        it compares hub.verify_token with options.verifyToken in constant time and answers 200 + challenge or 401
 *        (`response.rejected` is then set). No execution either way.
 *      - handshake.requiresVerification === true (Slack, Zoom, Twitch, Discord): run verify() first; only when it is
 *        valid answer handshake.respond(result.secretIndex) (Zoom needs the matching secret). Never start an execution.
 *   2. const result = verify({ provider, secrets, headers, body, method, url, now, toleranceSeconds, options });
 *      - result.valid: go on; result.{deliveryId, eventType, timestamp (epoch ms), secretIndex} describe the delivery.
 *      - otherwise answer httpStatusFor(result.reason) with { error: result.reason, message: result.message }.
 *        `message` never contains a secret or a computed signature.
 *   verify() never throws for bad request content; programming errors throw a TypeError: an unknown provider id, a
 *   `now` that is not a Date or epoch milliseconds in range, a toleranceSeconds that is not > 0 or Infinity,
 *   `secrets` that is not an array, headers or a body in a shape it does not take (see checkedRequestInput).
 *   `body` must be the exact raw bytes received (Buffer, Uint8Array, ArrayBuffer or string); `headers` a plain
 *   object, a fetch Headers or a Map. `url` is the full URL the sender called (Twilio, Square, HubSpot).
 *
 * Header rules: names are case-insensitive; a value sent twice arrives as an array, or under two spellings of its
 * name — identical copies count once, different copies are `malformed_signature` (ambiguous). An empty signature
 * header is `missing_signature`.
 * Hex signatures are accepted in either case (same bytes); prefixes (`sha256=`) are case-sensitive.
 * A timestamp that is absent or unparseable is `missing_timestamp`. The signature is checked before the window,
 * so `timestamp_out_of_tolerance` only ever describes an authentic but stale (replayed) request.
 */
import type { KeyObject } from 'node:crypto';
import { SCHEMES, schemeById } from './providers';
import { checkedRequestInput, requestView } from './request';
import { textProblem, whsecKey } from './scheme';
import type { Handshake, QueryBag } from './handshake-types';
import type { CredentialKind, PublicKeys, RetryFact, SchemeChoice, SchemeDocs, SchemeSettings, SchemeSwitch } from './scheme';
import type { BodyInput, HeadersInput, ProviderOptions, SchemeKind, TimestampUnit, ToleranceDirection } from './types';

export { verify, httpStatusFor, prepareSecrets, PreparedSecrets } from './verify';
export { bodyJson } from './request';
export { sign } from './sign';
export type * from './types';
export type { Handshake, HandshakeResponse, QueryBag } from './handshake-types';

/** What the trigger, the credential checks and the README read about one provider (see scheme.ts for each fact). */
export interface ProviderInfo {
	id: string;
	displayName: string;
	kind: SchemeKind;
	/** The provider's own word for the secret ("Signing secret", "Client secret", "App secret", "Public key"). */
	secretLabel: string;
	/** Which credential holds it: a shared secret or token, or the sender's public key (Ed25519, ECDSA). */
	credential: CredentialKind;
	signatureHeader: string;
	/** Every header that carries a signature or token of this provider, lower case (redacted in output items). */
	signatureHeaders: readonly string[];
	/** In SECONDS. null: the provider sends no timestamp, or documents no window (set one with toleranceSeconds). */
	defaultToleranceSeconds: number | null;
	/** True when the provider signs a timestamp but publishes no window: the package's 300 s default applies. */
	toleranceUnpublished: boolean;
	supportsHandshake: boolean;
	eventTypeSource?: string;
	/** Where the delivery id comes from: the value to deduplicate on (the same for every delivery of one event). */
	deliveryIdSource?: string;
	/** Where the signed timestamp comes from (`header X`, `signature header t=`, `body path`); absent = none signed. */
	timestampSource?: string;
	/** Unit of that timestamp: 's' epoch seconds, 'ms' epoch milliseconds, 'rfc3339' text. */
	timestampUnit?: TimestampUnit;
	/** 'past-only': future timestamps pass (Stripe, Paddle, Twitch, HubSpot, Calendly SDKs); 'both': ± the window. */
	toleranceDirection?: ToleranceDirection;
	/** HTTP methods the provider calls besides the configured one (Meta: GET). */
	extraMethods: readonly string[];
	/** Boolean options the user can switch (allowSha1). */
	switches: readonly SchemeSwitch[];
	/** Settings of a configurable scheme, merged into options. */
	settings?: SchemeSettings;
	/** Further editor choices verified by this provider (Standard Webhooks with a public key). */
	choices: readonly SchemeChoice[];
	/** The trigger's default choice. */
	editorDefault: boolean;
	/** README / editor text. */
	docs: SchemeDocs;
	/** Whether it redelivers failed deliveries, with the source; absent = not known (treated as not retrying). */
	retries?: RetryFact;
	/** The parsed body with secrets it carries blanked (Microsoft Graph's clientState); absent = the body holds none. */
	redactBody?(json: unknown): unknown;
	/** Its handshake hands over the signing secret to keep (Asana's X-Hook-Secret); absent = it does not. */
	issuesSecret?: true;
}

export const providers: readonly ProviderInfo[] = SCHEMES.map((scheme) => ({
	id: scheme.id,
	displayName: scheme.displayName,
	kind: scheme.kind,
	secretLabel: scheme.secretLabel,
	credential: scheme.kind === 'ed25519' || scheme.kind === 'ecdsa' ? 'publicKey' : 'secret',
	signatureHeader: scheme.signatureHeader,
	signatureHeaders: scheme.signatureHeaders,
	defaultToleranceSeconds: scheme.defaultToleranceSeconds,
	toleranceUnpublished: scheme.toleranceUnpublished,
	supportsHandshake: scheme.handshake !== undefined,
	eventTypeSource: scheme.eventType?.source,
	deliveryIdSource: scheme.deliveryId?.source ?? (scheme.idHeader ? `header ${scheme.idHeader}` : undefined),
	...(scheme.timestamp && {
		timestampSource: scheme.timestamp.header
			? `header ${scheme.timestamp.header}`
			: scheme.timestamp.fromBody
				? `body ${scheme.timestamp.fromBody}`
				: scheme.timestampSource ?? 'signature header',
		timestampUnit: scheme.timestamp.unit,
		toleranceDirection: scheme.toleranceDirection,
	}),
	extraMethods: scheme.extraMethods ?? [],
	switches: scheme.switches ?? [],
	settings: scheme.settings,
	choices: scheme.choices ?? [],
	editorDefault: scheme.editorDefault === true,
	docs: scheme.docs,
	...(scheme.retries && { retries: scheme.retries }),
	...(scheme.redactBody && { redactBody: scheme.redactBody }),
	...(scheme.issuesSecret && { issuesSecret: scheme.issuesSecret }),
}));

export const providerIds: readonly string[] = providers.map((provider) => provider.id);

export interface HandshakeInput {
	provider: string;
	method?: string;
	headers: HeadersInput;
	body: BodyInput;
	query?: QueryBag;
	secrets: readonly string[];
	options?: ProviderOptions;
	/** The caller's bodyJson(body), shared with verify() so the body is parsed once (see VerifyInput.json). */
	json?: () => unknown;
}

/**
 * Why `secret` cannot be a key for this provider (and options: GitLab's mode, generic settings), or undefined when it
 * can. The same rules verify(), sign(), outgoing signing, activation and the credential tests use: text secrets must be
 * non-empty without surrounding whitespace; `whsec_` secrets of Standard Webhooks, Svix and GitLab signing tokens must
 * decode to at least MIN_DECODED_KEY_BYTES (16) bytes; public keys must parse. The answer names the problem, never the value.
 * Throws a TypeError for an unknown provider.
 */
export function secretProblem(provider: string, secret: string, options?: ProviderOptions): string | undefined {
	const base = schemeById(provider);
	const scheme = base.resolve ? base.resolve(requestView({ headers: {}, body: '', options })) : base;
	return scheme.keys.problem(secret);
}

export { DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW, MIN_DECODED_KEY_BYTES } from './scheme';
export type { CredentialKind, RetryFact, SchemeChoice, SchemeDocs, SchemeSettingField, SchemeSettings, SchemeSwitch } from './scheme';
export { publicKeyType } from './crypto';

/**
 * Why `secret` cannot be a shared secret used as text (empty, surrounding whitespace), or undefined: the rule every
 * text secret follows in verify(). For the credential test, which does not know the provider.
 */
export function sharedSecretProblem(secret: string): string | undefined {
	return textProblem(secret);
}

/**
 * Why `secret` cannot be a base64 `whsec_` key as Standard Webhooks-style schemes decode it (not base64, fewer than
 * MIN_DECODED_KEY_BYTES once decoded), or undefined: the rule verify() applies to those schemes.
 */
export function decodedSecretProblem(secret: string): string | undefined {
	const material = whsecKey(secret);
	return Buffer.isBuffer(material) ? undefined : material.problem;
}

/**
 * The public key this provider's verifier builds from `text` (the very parser verify() uses), or undefined when it
 * would use none: hex Ed25519 for Discord, `whpk_` for Standard Webhooks, PEM or base64 DER ECDSA for SendGrid.
 * Always undefined for providers that verify with shared secrets. Throws a TypeError for an unknown provider.
 */
export function publicKeyFor(provider: string, text: string): KeyObject | undefined {
	const keys = schemeById(provider).keys as Partial<PublicKeys>;
	return typeof keys.publicKey === 'function' ? keys.publicKey(text) : undefined;
}
export { checkToleranceSeconds, MAX_EPOCH_MS, MIN_EPOCH_MS } from './timestamps';

/** See the contract above. Never throws for bad request content; a TypeError for headers or a body in a shape it does not take. */
export function detectHandshake(input: HandshakeInput): Handshake | undefined {
	const scheme = schemeById(input.provider);
	if (!scheme.handshake) return undefined;
	const checked = checkedRequestInput(input, 'detectHandshake()');
	try {
		const request = requestView(checked);
		return scheme.handshake({ request, query: input.query ?? {}, secrets: input.secrets ?? [] });
	} catch {
		return undefined;
	}
}
