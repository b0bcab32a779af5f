/** The one verification engine every scheme runs through. Never throws for bad request content. */
import { REJECTION_STATUS } from '../http/rejection';
import { schemeById } from './providers';
import { checkedRequestInput, requestView } from './request';
import type { Extractor } from './request';
import type { Keys, PreparedKey, Scheme } from './scheme';
import { checkToleranceSeconds, parseTimestamp, toEpochMs, withinTolerance } from './timestamps';
import type { Body, HeaderBag, ReasonCode, VerifyFailure, VerifyInput, VerifyResult, VerifySuccess } from './types';

/**
 * Checks one delivery; see index.ts for the contract. Never throws for request content (headers, body, URL, secrets).
 * Throws a TypeError for programming errors only: an unknown provider, a `now` that is not a time (Date or epoch
 * milliseconds, see toEpochMs), a toleranceSeconds that is not > 0 or Infinity, or options a configurable scheme
 * cannot use (generic-hmac / convoy: timestampUnit other than 's' | 'ms', unknown algorithm or encoding), a
 * `prepared` that prepareSecrets() did not make, `secrets` that is not an array (without `prepared`), or headers or a
 * body in a shape it does not take (checkedRequestInput: a parsed object as body, headers that are not an object). No secret
 * configured at all is a failure with `misconfigured: true`, like an unusable one.
 *
 * A deliveryId or eventType that comes from the body (Stripe's `id`, Slack's `event_id`, ...) is read when the
 * result's field is first read, so a caller that does not need it never parses the body: the values are the same as
 * an eager read, but do not change the body's bytes between verify() and reading them.
 */
export function verify(input: VerifyInput): VerifyResult {
	const base = schemeById(input.provider);
	const nowMs = toEpochMs(input.now, 'verify(): now');
	const tolerance = checkToleranceSeconds(input.toleranceSeconds);
	if (input.options && typeof input.options === 'object') base.validateOptions?.(input.options);
	if (input.prepared !== undefined && !(input.prepared instanceof PreparedSecrets)) {
		throw new TypeError('verify(): prepared must come from prepareSecrets().');
	}
	if (input.prepared === undefined && !Array.isArray(input.secrets)) {
		// A wrong shape would otherwise look like a forgery ("does not match"). The value is never echoed.
		const singular = 'secret' in (input as object) ? ' (verify() takes secrets, a list for rotation; sign() takes secret)' : '';
		throw new TypeError(`verify(): secrets must be an array of secret strings, e.g. secrets: [secret]${singular}.`);
	}
	const request = checkedRequestInput(input, 'verify()');
	try {
		return verifyWithScheme(base, request, nowMs, tolerance);
	} catch {
		// Defensive: a bug or an exotic input must still answer "no", never throw into the caller.
		return fail('invalid_signature', 'The signature could not be verified.');
	}
}

const TIMESTAMP_UNIT_TEXT = { s: 'whole epoch seconds', ms: 'epoch milliseconds', rfc3339: 'an RFC 3339 date and time' } as const;

/** Where the scheme reads its timestamp, for messages: `the X-Slack-Request-Timestamp header`, `t= in ...`. */
function timestampPlace(scheme: Scheme): string {
	const spec = scheme.timestamp!;
	if (spec.header) return `the ${spec.header} header`;
	if (spec.fromBody) return `the body's ${spec.fromBody}`;
	const inSignature = /^signature header (\S+)$/.exec(scheme.timestampSource ?? '');
	if (inSignature) return `${inSignature[1]} in the ${scheme.signatureHeader} header`;
	return scheme.timestampSource ?? `in the ${scheme.signatureHeader} header`;
}

function verifyWithScheme(base: Scheme, input: VerifyInput & { headers: HeaderBag; body: Body }, nowMs: number, toleranceOverride: number | undefined): VerifyResult {
	const request = requestView(input);
	const scheme = base.resolve ? base.resolve(request) : base;
	const located = scheme.locate(request);
	if ('reject' in located) return fail(located.reject, located.message);
	if (located.id === null || located.timestamp === null) {
		return fail('malformed_signature', 'A signature header appears more than once.');
	}

	if (scheme.idHeader && !located.id) return fail('malformed_signature', `The ${scheme.idHeader} header is missing.`);

	let timestampMs: number | undefined;
	if (scheme.timestamp) {
		if (located.timestamp === undefined || located.timestamp.trim() === '') {
			return fail('missing_timestamp', `The request carries no timestamp (${timestampPlace(scheme)}).`);
		}
		timestampMs = parseTimestamp(located.timestamp, scheme.timestamp.unit);
		if (timestampMs === undefined) {
			return fail('missing_timestamp', `The timestamp (${timestampPlace(scheme)}) is not ${TIMESTAMP_UNIT_TEXT[scheme.timestamp.unit]}.`);
		}
	}

	const secrets = input.prepared ? input.prepared.secrets : Array.isArray(input.secrets) ? input.secrets : [];
	const keys = input.prepared ? input.prepared.keysFor(scheme.keys) : prepareEach(scheme.keys, secrets);
	const secretIndex = matchingSecret(scheme, keys, located, request);
	if (secretIndex < 0) {
		const unusable = unusableSecret(scheme, secrets);
		if (unusable) return { ...fail('invalid_signature', unusable), misconfigured: true };
		return fail('invalid_signature', 'The signature does not match.');
	}

	if (timestampMs !== undefined) {
		const tolerance = toleranceOverride ?? scheme.defaultToleranceSeconds;
		if (tolerance !== null && !withinTolerance(timestampMs, nowMs, tolerance, scheme.toleranceDirection)) {
			return fail('timestamp_out_of_tolerance', `The timestamp is outside the ${tolerance} s tolerance.`);
		}
	}

	const result: VerifySuccess = { valid: true, provider: base.id, secretIndex };
	const signedId = nonEmpty(located.id ?? undefined);
	setDetail(result, 'deliveryId', scheme.deliveryId, (value) => nonEmpty(value) ?? signedId, request);
	setDetail(result, 'eventType', scheme.eventType, nonEmpty, request);
	if (timestampMs !== undefined) result.timestamp = timestampMs;
	return result;
}

/**
 * Sets result[field] from `extract`: at once when it reads headers only, else (it reads the body) when first read,
 * so verify() itself never parses a body nobody asks about. Either way the field is absent or a non-empty string.
 */
function setDetail(
	result: VerifySuccess,
	field: 'deliveryId' | 'eventType',
	extract: Extractor | undefined,
	finish: (value: string | undefined) => string | undefined,
	request: ReturnType<typeof requestView>,
): void {
	const compute = () => {
		try {
			return finish(extract?.(request));
		} catch {
			return undefined;
		}
	};
	const settle = (value: string | undefined) => {
		if (value === undefined) delete result[field];
		else Object.defineProperty(result, field, { value, enumerable: true, writable: true, configurable: true });
		return value;
	};
	if (!extract || extract.headersOnly) {
		settle(compute());
		return;
	}
	Object.defineProperty(result, field, {
		enumerable: true,
		configurable: true,
		get: () => settle(compute()),
		set: (value: string | undefined) => settle(value),
	});
}

/**
 * The secrets of one trigger with each one's key decoded and parsed once (an Ed25519 or ECDSA KeyObject, HMAC key
 * bytes), for callers that verify many requests with the same secrets: pass it as `verify({ prepared })`. Keys are
 * parsed on first use per key kind (a scheme whose keys depend on the request, like GitLab's token or signing-token
 * mode, prepares each kind once). Holds key material in memory: keep it where the secrets are kept, never log it.
 */
export class PreparedSecrets {
	/** The secrets, current first, as given (text; an empty string is an unused rotation slot). */
	readonly secrets: readonly string[];

	private readonly byKeys = new WeakMap<Keys, ReadonlyArray<PreparedKey | undefined>>();

	constructor(secrets: readonly string[]) {
		this.secrets = Array.isArray(secrets) ? [...secrets] : [];
	}

	/** One PreparedKey per secret (undefined for an empty or unusable one), parsed on the first call per `keys`. */
	keysFor(keys: Keys): ReadonlyArray<PreparedKey | undefined> {
		let prepared = this.byKeys.get(keys);
		if (!prepared) {
			prepared = prepareEach(keys, this.secrets);
			this.byKeys.set(keys, prepared);
		}
		return prepared;
	}
}

/** One PreparedKey per secret; undefined for a rotation slot left empty, a non-string or an unusable secret. */
function prepareEach(keys: Keys, secrets: readonly unknown[]): Array<PreparedKey | undefined> {
	return secrets.map((secret) => (typeof secret === 'string' && secret !== '' ? keys.prepare(secret) : undefined));
}

/** Secrets made ready for many verify() calls: `verify({ ..., prepared: prepareSecrets(secrets) })`. */
export function prepareSecrets(secrets: readonly string[]): PreparedSecrets {
	return new PreparedSecrets(secrets);
}

/**
 * A configured secret that cannot be a key (blank, surrounding whitespace, too short once decoded, not a public key)
 * is never used as one, so it can never match (no forgery with an empty or 1-byte key). When nothing matched, the
 * failure names that secret instead of the plain "does not match", so a configuration mistake is not hidden behind
 * invalid_signature. An empty string is an unused rotation slot and is skipped.
 */
function unusableSecret(scheme: Scheme, secrets: readonly unknown[]): string | undefined {
	let configured = 0;
	for (let index = 0; index < secrets.length; index++) {
		const secret = secrets[index];
		if (secret === '' || secret === undefined || secret === null) continue;
		configured++;
		const problem = typeof secret === 'string' ? scheme.keys.problem(secret) : 'is not text';
		if (problem) return `Configured secret ${index + 1} (${scheme.secretLabel}) ${problem}.`;
	}
	return configured === 0 ? `No secret is configured (${scheme.secretLabel}): secrets is empty or holds only empty values.` : undefined;
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function matchingSecret(
	scheme: Scheme,
	keys: ReadonlyArray<PreparedKey | undefined>,
	located: Exclude<ReturnType<Scheme['locate']>, { reject: unknown }>,
	request: ReturnType<typeof requestView>,
): number {
	const contents = [scheme.content({ request, timestamp: located.timestamp ?? undefined, id: located.id ?? undefined })].flat();
	const algorithm = located.algorithm ?? 'sha256';
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index];
		if (!key) continue;
		const signatures = located.entries
			.filter((entry) => !key.versions || key.versions.includes(entry.version ?? ''))
			.map((entry) => entry.bytes);
		if (signatures.length === 0) continue;
		if (contents.some((content) => key.matches(content, signatures, algorithm))) return index;
	}
	return -1;
}

function fail(reason: ReasonCode, message: string): VerifyFailure {
	return { valid: false, reason, message };
}

/**
 * HTTP status for a verification failure: every reason is a 401. Read from the one table of rejection statuses,
 * REJECTION_STATUS in nodes/core/http/rejection.ts, which the trigger's answers use too.
 */
export function httpStatusFor(reason: ReasonCode): number {
	return REJECTION_STATUS[reason];
}
