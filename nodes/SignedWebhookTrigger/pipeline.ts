/**
 * The request pipeline of the Signed Webhook Trigger, free of n8n types so it can be driven directly:
 * method → IP → rate limit → size → (credential) → unsigned handshake → verify → signed handshake → event filter → emit.
 * Every step either lets the request through or produces the one response to send; nothing here throws on bad input.
 * The credential is needed only by requests that pass every check it cannot change (see loadCredential).
 */
import { parse as parseQueryString } from 'node:querystring';
import {
	bodyReadRefusal,
	buildRejection,
	checkBodySize,
	isIpAllowed,
	type IpAllowlist,
	type RejectionCode,
	type RejectionExtras,
	type RejectionResponse,
	type TokenBucketRateLimiter,
} from '../core/http';
import { backpressureDecision, type CircuitView } from '../core/circuit';
import { parseJsonExact } from '../core/json';
import { firstFailingCondition, doorAnswer, repeatKeyOf, type DoorCondition, type RepeatDecision, type RepeatInfo, type RepeatKeySource } from '../core/door';
import { bodyJson } from '../core/signatures';
import type {
	Handshake,
	HandshakeInput,
	HandshakeResponse,
	HeaderBag,
	ProviderOptions,
	QueryBag,
	VerifyInput,
	VerifyResult,
	VerifySuccess,
} from '../core/signatures';
import { preparedSecretsOf } from './settingsCache';

/** What the pipeline needs from the signature core: its verify() and detectHandshake(), or stand-ins in tests. */
export interface SignatureVerifier {
	verify(input: VerifyInput): VerifyResult;
	detectHandshake(input: HandshakeInput): Handshake | undefined;
}

export interface PipelineSettings {
	provider: string;
	/** Methods this trigger serves; anything else is a 405. */
	acceptedMethods: readonly string[];
	ipAllowlist?: IpAllowlist;
	rateLimiter?: TokenBucketRateLimiter;
	/** 0 = no limit of our own (n8n's N8N_PAYLOAD_SIZE_MAX still applies). */
	maxBodyBytes: number;
	/** undefined = the provider's default window; Infinity = no age check. */
	toleranceSeconds?: number;
	/** Exact names, or prefixes ending in `*`. Empty = every event. */
	allowedEventTypes: readonly string[];
	providerOptions: ProviderOptions;
	/** The secrets (current first). When absent, loadCredential supplies them. */
	secrets?: readonly string[];
	/**
	 * Loads the secrets, with providerOptions completed by the credential (Meta's verify token). Called only for
	 * requests that passed method, IP, rate, size and, unless they are a handshake, whose signature and timestamp
	 * headers are present and well-formed. Throws only when the credential cannot be read (a misconfiguration).
	 */
	loadCredential?: () => Promise<CredentialMaterial>;
	/** Header names (lower case) whose values are replaced in the output item. */
	redactHeaders: ReadonlySet<string>;
	/** Where a secret handed over in a handshake (Asana's X-Hook-Secret) is kept; absent = such secrets are not kept. */
	issuedSecrets?: IssuedSecretStore;
	/** Blanks secrets the provider carries in the body (Microsoft Graph's clientState) in the output item; absent = none. */
	redactBody?: (json: unknown) => unknown;
	/** Backpressure at the door (absent: off). Read after verification and the event filter, never before. */
	backpressure?: BackpressureCheck;
	/** Conditions on the verified request, all of which must hold (absent or empty: none). Checked after the event filter. */
	conditions?: readonly DoorCondition[];
	/** Drop repeated deliveries (absent: off). The last check before the workflow runs, so nothing after it can lose a recorded key. */
	repeats?: RepeatCheck;
	/**
	 * Report-only verification: a request that fails verification still runs, with `verification.valid` false and its
	 * `reason` in the item (no event filter, condition, backpressure or repeat check applies to it). Default false.
	 */
	reportOnly?: boolean;
}

/**
 * A secret the sender handed over in a handshake (Asana's X-Hook-Secret), kept by the node (workflow static data).
 * Verification tries it first, then the credential's secrets. Key material: never logged, never in an item.
 */
export interface IssuedSecretStore {
	/** The secret kept from an earlier handshake, if any. */
	current(): string | undefined;
	/** Keeps `secret` unless one is kept already: first wins, so a later handshake (forged or not) never replaces it. */
	keep(secret: string): boolean;
}

/** What the pipeline needs to drop repeats: where the key comes from, and the store's verdict on a key. */
export interface RepeatCheck {
	keySource: RepeatKeySource;
	/** Records or claims the key and says whether the delivery runs; throws only for a misconfiguration (not an outage). */
	decide(key: string, now: number): Promise<RepeatDecision>;
}

/** What the pipeline needs to hold deliveries while a destination's circuit is open. */
export interface BackpressureCheck {
	/** The circuit key (a Destination Name or a URL's origin), for the log line only. */
	destination: string;
	/** The provider's `retries` fact: false (or unknown) never holds anything and never reads the store. */
	senderRetries: boolean;
	/** Reads the circuit without changing it; should not throw (the trigger's adapter answers closed on a store error). */
	inspect(): Promise<CircuitView>;
}

export interface CredentialMaterial {
	secrets: readonly string[];
	providerOptions: ProviderOptions;
}

export interface IncomingRequest {
	method: string;
	/** The client address as n8n computes it (Express `req.ip`, which honours N8N_PROXY_HOPS). */
	clientIp: string | undefined;
	headers: HeaderBag;
	query: QueryBag;
	/** Full URL the sender called, for schemes that sign it. */
	url: string;
	contentType: string | undefined;
	/** Returns the exact bytes received; undefined when there are none to verify (multipart). */
	readBody(): Promise<Buffer | undefined>;
	/** n8n's parse of the body, used for content types we do not parse ourselves (XML). */
	parsedBody?: unknown;
	now?: number;
}

/** The output item's `verification`: the core's VerifySuccess, with null for what the delivery did not carry. */
export type Verification = Pick<VerifySuccess, 'provider' | 'secretIndex'> & {
	[field in 'deliveryId' | 'eventType' | 'timestamp']-?: NonNullable<VerifySuccess[field]> | null;
};

/** Report-only verification's verdict on a request that failed it: the reason code, never the expected signature. */
export interface FailedVerification {
	valid: false;
	reason: string;
	provider: string;
	deliveryId: null;
	eventType: null;
	timestamp: null;
	secretIndex: null;
}

export interface EmittedItem {
	body: unknown;
	headers: Record<string, string | string[]>;
	query: QueryBag;
	method: string;
	/** With report-only verification on, `valid` (and for a failure `reason`) say the verdict. */
	verification: Verification | (Verification & { valid: true }) | FailedVerification;
	/** Drop Repeated Deliveries: whether the key was recorded or claimed (with the claim token for Confirm). */
	dedupe?: RepeatInfo;
}

export type PipelineOutcome =
	| { type: 'reject'; response: RejectionResponse; detail: string }
	| ({ type: 'respond'; detail: string } & HandshakeResponse)
	| { type: 'emit'; json: EmittedItem; rawBody: Buffer; contentType: string | undefined };

export const REDACTED = '[redacted]';

function reject(code: RejectionCode, detail: string, extras: RejectionExtras = {}): PipelineOutcome {
	return { type: 'reject', response: buildRejection(code, extras), detail };
}

export function eventTypeAllowed(eventType: string | undefined, allowed: readonly string[]): boolean {
	if (allowed.length === 0) return true;
	if (eventType === undefined) return false;
	return allowed.some((pattern) =>
		pattern.endsWith('*') ? eventType.startsWith(pattern.slice(0, -1)) : eventType === pattern,
	);
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * The verified bytes as text, decoded by the charset the Content-Type declares (WHATWG labels: `utf-8`,
 * `iso-8859-1`, `windows-1252`, `utf-16le`…), UTF-8 when it declares none or one this runtime does not know.
 * A leading byte-order mark is dropped. Malformed sequences become U+FFFD (never an exception).
 */
export function decodeBody(raw: Buffer, contentType: string | undefined): string {
	const label = CHARSET.exec(contentType ?? '')?.[1];
	if (label !== undefined) {
		try {
			return new TextDecoder(label).decode(raw);
		} catch {
			// an unknown label: UTF-8, the default of every JSON and form sender
		}
	}
	return raw.toString('utf8').replace(/^\uFEFF/, '');
}

/** True when decodeBody reads the bytes as UTF-8: no charset, or a UTF-8 label. */
function isUtf8(contentType: string | undefined): boolean {
	const label = CHARSET.exec(contentType ?? '')?.[1];
	return label === undefined || /^(?:unicode-1-1-)?utf-?8$/i.test(label);
}

function isJsonType(type: string): boolean {
	return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** Parsed JSON, or undefined when the text is not JSON. */
function tryJson(text: string): { value: unknown } | undefined {
	try {
		return { value: parseJsonExact(text) };
	} catch {
		return undefined;
	}
}

/**
 * Parses the verified bytes for the output item: JSON (also `+json`), form-urlencoded or text, always from the bytes
 * themselves. JSON goes through the core's exact parse, so a number a JavaScript number cannot hold (an integer
 * beyond ±2^53 − 1) comes out as a string with its exact digits; n8n's own parse (`parsedBody`) would round it.
 * n8n's parse is used only for a type we do not parse and that is not JSON (XML), and the text otherwise.
 */
export function parseBody(raw: Buffer, contentType: string | undefined, parsedBody: unknown, coreJson?: () => unknown): unknown {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (raw.length === 0) return {};
	// The core's parse (bodyJson) reads the bytes as UTF-8 text, as decodeBody does without a charset or with UTF-8:
	// an object or array it found is what tryJson would return, so it is reused instead of parsing the body again.
	const shared = coreJson && isUtf8(contentType) ? coreJson() : undefined;
	if (shared !== undefined && (isJsonType(type) || !type.startsWith('text/')) && type !== 'application/x-www-form-urlencoded') {
		return shared;
	}
	const text = decodeBody(raw, contentType);
	if (isJsonType(type)) {
		const json = tryJson(text);
		return json ? json.value : text;
	}
	if (type === 'application/x-www-form-urlencoded') return { ...parseQueryString(text) };
	if (type.startsWith('text/')) return text;
	// Other or no type: JSON if it parses (some senders omit or misname the type), else n8n's parse (XML), else text.
	const json = tryJson(text);
	if (json) return json.value;
	if (parsedBody !== undefined && parsedBody !== null && !(typeof parsedBody === 'object' && Object.keys(parsedBody).length === 0)) {
		return parsedBody;
	}
	return text;
}

export function redactHeaders(headers: HeaderBag, redact: ReadonlySet<string>): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		result[name] = redact.has(name.toLowerCase()) ? REDACTED : value;
	}
	return result;
}

export async function runPipeline(
	settings: PipelineSettings,
	request: IncomingRequest,
	verifier: SignatureVerifier,
): Promise<PipelineOutcome> {
	const method = request.method.toUpperCase();
	if (!settings.acceptedMethods.includes(method)) {
		return reject('method_not_allowed', `method ${method}`, { allow: settings.acceptedMethods });
	}

	if (settings.ipAllowlist && !isIpAllowed(settings.ipAllowlist, request.clientIp)) {
		return reject('ip_not_allowed', `client ${request.clientIp ?? 'unknown'}`);
	}

	if (settings.rateLimiter) {
		const decision = settings.rateLimiter.take(request.clientIp ?? 'unknown', request.now);
		if (!decision.allowed) {
			return reject('rate_limited', `client ${request.clientIp ?? 'unknown'}`, {
				retryAfterSeconds: decision.retryAfterSeconds,
			});
		}
	}

	const declared = checkBodySize(settings.maxBodyBytes, undefined, request.headers['content-length']);
	if (!declared.ok) return reject('body_too_large', `declared ${declared.declaredBytes} bytes`);

	let body: Buffer | undefined;
	try {
		body = await request.readBody();
	} catch (error) {
		// n8n reads some bodies only when the node asks (version 2, octet-stream): over its payload limit after
		// inflating, or not decodable as its Content-Encoding, that is the sender's body, not our misconfiguration.
		const refusal = bodyReadRefusal(error);
		if (!refusal) throw error;
		return reject(refusal.code, refusal.detail);
	}
	if (body === undefined) {
		return reject('unsupported_body', 'no raw body (multipart)', {
			message: 'Multipart bodies cannot be verified byte for byte; send JSON, form-urlencoded or text.',
		});
	}
	const actual = checkBodySize(settings.maxBodyBytes, body.length);
	if (!actual.ok) return reject('body_too_large', `read ${body.length} bytes`);

	// One parse of the body per request, shared by handshake detection, verify()'s id and type, and the output item.
	const json = bodyJson(body);
	let verifyInput = {
		provider: settings.provider,
		secrets: settings.secrets ?? [],
		prepared: settings.secrets === undefined ? undefined : preparedSecretsOf(settings.secrets),
		headers: request.headers,
		body,
		json,
		method,
		url: request.url,
		options: settings.providerOptions,
	};

	if (settings.secrets === undefined) {
		// Without secrets, verify() already gives the exact answer for a missing or malformed signature or timestamp
		// (secrets are only used after those checks): answer it without touching the credential.
		if (!verifier.detectHandshake({ ...verifyInput, query: request.query })) {
			const early = verifier.verify({ ...verifyInput, now: request.now, toleranceSeconds: settings.toleranceSeconds });
			if (!early.valid && early.reason !== 'invalid_signature') {
				if (settings.reportOnly) return emitUnverified(settings, request, method, body, json, early.reason);
				return reject(early.reason, early.reason, { message: early.message });
			}
		}
		if (!settings.loadCredential) throw new TypeError('Pipeline settings need secrets or loadCredential.');
		const credential = await settings.loadCredential();
		verifyInput = { ...verifyInput, secrets: credential.secrets, prepared: preparedSecretsOf(credential.secrets), options: credential.providerOptions };
	}

	const issued = settings.issuedSecrets?.current();
	if (issued !== undefined) {
		const secrets = [issued, ...verifyInput.secrets];
		verifyInput = { ...verifyInput, secrets, prepared: preparedSecretsOf(secrets) };
	}

	const handshake = verifier.detectHandshake({ ...verifyInput, query: request.query });
	if (handshake && !handshake.requiresVerification) {
		const handshakeResponse = handshake.respond();
		let detail = handshakeResponse.rejected ? `${handshake.kind} refused` : handshake.kind;
		if (handshake.issuedSecret !== undefined && settings.issuedSecrets) {
			detail += settings.issuedSecrets.keep(handshake.issuedSecret) ? ' (issued secret kept)' : ' (a secret is kept already; not replaced)';
		}
		return { type: 'respond', ...handshakeResponse, detail };
	}

	const result = verifier.verify({ ...verifyInput, now: request.now, toleranceSeconds: settings.toleranceSeconds });
	if (!result.valid) {
		// A handshake is answered by the trigger, never run: report-only does not apply to it.
		if (settings.reportOnly && !handshake) return emitUnverified(settings, request, method, body, json, result.reason);
		return reject(result.reason, result.reason, { message: result.message });
	}

	// Signed handshakes are answered before the event filter: a filter must never break endpoint validation.
	if (handshake) {
		const handshakeResponse = handshake.respond(result.secretIndex);
		return { type: 'respond', ...handshakeResponse, detail: handshake.kind };
	}

	if (!eventTypeAllowed(result.eventType, settings.allowedEventTypes)) {
		return reject('event_not_allowed', `event ${result.eventType ?? '(none)'}`);
	}

	if (settings.conditions && settings.conditions.length > 0) {
		const failing = firstFailingCondition(settings.conditions, request.headers, json);
		if (failing >= 0) return { type: 'reject', response: doorAnswer('condition_not_met'), detail: `condition ${failing + 1} does not hold` };
	}

	// After verification: an unauthenticated caller learns nothing about the destination.
	if (settings.backpressure?.senderRetries) {
		const check = settings.backpressure;
		const decision = backpressureDecision(await check.inspect(), true, request.now ?? Date.now());
		if (decision.hold) {
			return reject('destination_unavailable', `destination ${check.destination} circuit ${decision.state}`, {
				retryAfterSeconds: decision.retryAfterSeconds,
			});
		}
	}

	// Last: a key recorded or claimed here must belong to a delivery that then runs.
	let dedupe: RepeatInfo | undefined;
	if (settings.repeats) {
		const key = repeatKeyOf(settings.repeats.keySource, { deliveryId: result.deliveryId, headers: request.headers, json });
		if (key === undefined) dedupe = { key: null, status: 'noKey' };
		else {
			const decision = await settings.repeats.decide(key, request.now ?? Date.now());
			if (!decision.run) return { type: 'reject', response: decision.response, detail: decision.detail };
			dedupe = decision.info;
		}
	}

	const verification: Verification = {
		provider: result.provider,
		deliveryId: result.deliveryId ?? null,
		eventType: result.eventType ?? null,
		timestamp: result.timestamp ?? null,
		secretIndex: result.secretIndex,
	};
	return emit(settings, request, method, body, json, settings.reportOnly ? { valid: true, ...verification } : verification, dedupe);
}

/** Report-only verification: the request runs with the verdict in its item. */
function emitUnverified(
	settings: PipelineSettings,
	request: IncomingRequest,
	method: string,
	body: Buffer,
	json: () => unknown,
	reason: string,
): PipelineOutcome {
	const verdict: FailedVerification = { valid: false, reason, provider: settings.provider, deliveryId: null, eventType: null, timestamp: null, secretIndex: null };
	return emit(settings, request, method, body, json, verdict);
}

/** The output item: body parsed from the verified bytes (a secret it carries blanked), headers redacted. */
function emit(
	settings: PipelineSettings,
	request: IncomingRequest,
	method: string,
	body: Buffer,
	json: () => unknown,
	verification: EmittedItem['verification'],
	dedupe?: RepeatInfo,
): PipelineOutcome {
	const parsed = parseBody(body, request.contentType, request.parsedBody, json);
	return {
		type: 'emit',
		rawBody: body,
		contentType: request.contentType,
		json: {
			body: settings.redactBody ? settings.redactBody(parsed) : parsed,
			headers: redactHeaders(request.headers, settings.redactHeaders),
			query: request.query,
			method,
			verification,
			...(dedupe && { dedupe }),
		},
	};
}
