/** The one verification engine every scheme runs through. Never throws for bad input. */
import { schemeById } from './providers';
import { requestView } from './request';
import type { Scheme } from './scheme';
import { checkToleranceSeconds, parseTimestamp, toEpochMs, withinTolerance } from './timestamps';
import type { ReasonCode, VerifyFailure, VerifyInput, VerifyResult, VerifySuccess } from './types';

/**
 * Checks one delivery; see index.ts for the contract. Never throws for request input (headers, body, URL, secrets).
 * Throws a TypeError for programming errors only: an unknown provider, a `now` that is not a time (Date or epoch
 * milliseconds, see toEpochMs), a toleranceSeconds that is not > 0 or Infinity, or options a configurable scheme
 * cannot use (generic-hmac / convoy: timestampUnit other than 's' | 'ms', unknown algorithm or encoding).
 */
export function verify(input: VerifyInput): VerifyResult {
	const base = schemeById(input.provider);
	const nowMs = toEpochMs(input.now, 'verify(): now');
	const tolerance = checkToleranceSeconds(input.toleranceSeconds);
	if (input.options && typeof input.options === 'object') base.validateOptions?.(input.options);
	try {
		return run(base, input, nowMs, tolerance);
	} catch {
		// Defensive: a bug or an exotic input must still answer "no", never throw into the caller.
		return fail('invalid_signature', 'The signature could not be verified.');
	}
}

function run(base: Scheme, input: VerifyInput, nowMs: number, toleranceOverride: number | undefined): VerifyResult {
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
			return fail('missing_timestamp', 'The request carries no timestamp.');
		}
		timestampMs = parseTimestamp(located.timestamp, scheme.timestamp.unit);
		if (timestampMs === undefined) return fail('missing_timestamp', 'The timestamp is not a valid timestamp.');
	}

	const secrets = Array.isArray(input.secrets) ? input.secrets : [];
	const secretIndex = matchingSecret(scheme, secrets, located, request);
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
	const deliveryId = nonEmpty(scheme.deliveryId?.(request)) ?? nonEmpty(located.id ?? undefined);
	const eventType = nonEmpty(scheme.eventType?.(request));
	if (deliveryId !== undefined) result.deliveryId = deliveryId;
	if (eventType !== undefined) result.eventType = eventType;
	if (timestampMs !== undefined) result.timestamp = timestampMs;
	return result;
}

/**
 * A configured secret that cannot be a key (blank, surrounding whitespace, too short once decoded, not a public key)
 * is never used as one, so it can never match (no forgery with an empty or 1-byte key). When nothing matched, the
 * failure names that secret instead of the plain "does not match", so a configuration mistake is not hidden behind
 * invalid_signature. An empty string is an unused rotation slot and is skipped.
 */
function unusableSecret(scheme: Scheme, secrets: readonly unknown[]): string | undefined {
	for (let index = 0; index < secrets.length; index++) {
		const secret = secrets[index];
		if (secret === '' || secret === undefined || secret === null) continue;
		const problem = typeof secret === 'string' ? scheme.keys.problem(secret) : 'is not text';
		if (problem) return `Configured secret ${index + 1} (${scheme.secretLabel}) ${problem}.`;
	}
	return undefined;
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function matchingSecret(
	scheme: Scheme,
	secrets: readonly string[],
	located: Exclude<ReturnType<Scheme['locate']>, { reject: unknown }>,
	request: ReturnType<typeof requestView>,
): number {
	const contents = [scheme.content({ request, timestamp: located.timestamp ?? undefined, id: located.id ?? undefined })].flat();
	const algorithm = located.algorithm ?? 'sha256';
	for (let index = 0; index < secrets.length; index++) {
		if (typeof secrets[index] !== 'string' || secrets[index] === '') continue;
		const check = scheme.keys.check(secrets[index]);
		if (!check) continue;
		const signatures = located.entries
			.filter((entry) => !check.versions || check.versions.includes(entry.version ?? ''))
			.map((entry) => entry.bytes);
		if (signatures.length === 0) continue;
		if (contents.some((content) => check.matches(content, signatures, algorithm))) return index;
	}
	return -1;
}

function fail(reason: ReasonCode, message: string): VerifyFailure {
	return { valid: false, reason, message };
}

/** Every rejection of the signature layer is a 401; the trigger adds its own (403 IP, 413 size, ...). */
export function httpStatusFor(reason: ReasonCode): number {
	return HTTP_STATUS[reason];
}

export const HTTP_STATUS: Record<ReasonCode, number> = {
	missing_signature: 401,
	malformed_signature: 401,
	invalid_signature: 401,
	missing_timestamp: 401,
	timestamp_out_of_tolerance: 401,
};
