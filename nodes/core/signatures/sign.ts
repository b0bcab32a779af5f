/** sign(): the headers a sender would set. Same content builders as verify, so the two cannot drift apart. */
import { randomUUID } from 'node:crypto';
import { encode } from './encoding';
import { schemeById } from './providers';
import { requestView } from './request';
import type { Scheme } from './scheme';
import { formatTimestamp, toEpochMs } from './timestamps';
import type { SignedHeaders, SignInput } from './types';

/**
 * The headers a sender would set for `body`. Throws a TypeError (naming the field, never its value) for an unknown
 * provider, a secret that cannot be a key, a `timestamp` that is not a Date or epoch milliseconds in range
 * (MIN_EPOCH_MS..MAX_EPOCH_MS: `1700000000` seconds is refused, not signed as 1970), or a scheme that cannot sign.
 */
export function sign(input: SignInput): SignedHeaders {
	const base = schemeById(input.provider);
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

/** Secret problems are checked by sign() before this runs. */
export function signHeaders(scheme: Scheme, secret: string, parts: { request: ReturnType<typeof requestView>; timestamp?: string; id?: string }): SignedHeaders {
	const source = scheme.signSource;
	if (!scheme.keys.sign || !source) throw new TypeError(`${scheme.id}: sign() needs a private key this scheme does not use.`);
	const content = [scheme.content(parts)].flat()[0];
	const signed = scheme.keys.sign(secret, content, source.algorithm ?? 'sha256');
	if (!signed) throw new TypeError(`sign(): secret (${scheme.secretLabel}) cannot be used as a ${scheme.id} signing key.`);
	const headers: SignedHeaders = {
		[source.header]: source.format.format(encode(signed.signature, source.encoding), parts.timestamp, signed.version),
	};
	if (scheme.timestamp?.header && parts.timestamp !== undefined) headers[scheme.timestamp.header] = parts.timestamp;
	if (scheme.idHeader && parts.id !== undefined) headers[scheme.idHeader] = parts.id;
	return headers;
}
