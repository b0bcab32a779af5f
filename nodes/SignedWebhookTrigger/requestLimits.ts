/** Per-process state behind the trigger's request limits: parsed IP allowlists and one rate limiter per node. */
import { parseIpAllowlist, TokenBucketRateLimiter, type IpAllowlist } from '../core/http';

const allowlistCache = new Map<string, IpAllowlist>();
const MAX_ALLOWLISTS = 256;

/** Parsed allowlists are cached by their text (bounded), so each request does not re-parse. */
export function cachedAllowlist(text: string): IpAllowlist {
	let list = allowlistCache.get(text);
	if (!list) {
		list = parseIpAllowlist(text);
		if (allowlistCache.size >= MAX_ALLOWLISTS) allowlistCache.delete(allowlistCache.keys().next().value as string);
		allowlistCache.set(text, list);
	}
	return list;
}

const limiters = new Map<string, { config: string; limiter: TokenBucketRateLimiter }>();
const MAX_LIMITERS = 1000;

/**
 * One limiter per trigger node, kept in this process's memory: buckets are per n8n process (in queue mode each
 * webhook process counts on its own). A changed setting starts fresh buckets.
 */
export function rateLimiterFor(nodeKey: string, requestsPerMinute: number, burst: number): TokenBucketRateLimiter {
	const config = `${requestsPerMinute}/${burst}`;
	const existing = limiters.get(nodeKey);
	if (existing && existing.config === config) {
		limiters.delete(nodeKey);
		limiters.set(nodeKey, existing);
		return existing.limiter;
	}
	const limiter = new TokenBucketRateLimiter({ requestsPerMinute, burst: burst > 0 ? burst : requestsPerMinute });
	limiters.delete(nodeKey);
	if (limiters.size >= MAX_LIMITERS) limiters.delete(limiters.keys().next().value as string);
	limiters.set(nodeKey, { config, limiter });
	return limiter;
}
