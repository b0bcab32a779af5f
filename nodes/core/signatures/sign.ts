/** sign(): the headers a sender would set. Same content builders as verify, so the two cannot drift apart. */
import { randomUUID } from 'node:crypto';
import { schemeById } from './providers';
import { requestView } from './request';
import { signHeaders } from './scheme';
import { formatTimestamp, toEpochMs } from './timestamps';
import type { SignedHeaders, SignInput } from './types';

export { signHeaders };

/**
 * The headers a sender would set for `body`. Throws a TypeError (naming the field, never its value) for an unknown
 * provider, a secret that cannot be a key, a `timestamp` that is not a Date or epoch milliseconds in range
 * (MIN_EPOCH_MS..MAX_EPOCH_MS: `1700000000` seconds is refused, not signed as 1970), or a scheme that cannot sign.
 */
export function sign(input: SignInput): SignedHeaders {
	const base = schemeById(input.provider);
	if (input.options && typeof input.options === 'object') base.validateOptions?.(input.options);
	const request = requestView({ headers: {}, body: input.body, method: input.method, url: input.url, options: input.options });
	const scheme = base.resolve ? base.resolve(request) : base;
	const epochMs = toEpochMs(input.timestamp, 'sign(): timestamp');
	const timestamp = scheme.timestamp ? formatTimestamp(epochMs, scheme.timestamp.unit) : undefined;
	const id = input.id ?? (scheme.idHeader ? `msg_${randomUUID().replace(/-/g, '')}` : undefined);
	const parts = { request, timestamp, id };
	const problem = typeof input.secret === 'string' ? scheme.keys.problem(input.secret) : 'is not text';
	if (problem) throw new TypeError(`sign(): secret (${scheme.secretLabel}) ${problem}.`);
	if (scheme.signHeaders) return scheme.signHeaders(input.secret, parts);
	return signHeaders(scheme, input.secret, parts);
}

