/** Per-process state behind the trigger's request limits: parsed IP allowlists and one rate limiter per node. */
import { parseIpAllowlist, TokenBucketRateLimiter, type IpAllowlist } from '../core/http';
import { LruMap } from '../core/lru-map';

const MAX_ALLOWLISTS = 256;
const allowlistCache = new LruMap<string, IpAllowlist>(MAX_ALLOWLISTS);

/** Parsed allowlists are cached by their text (bounded), so each request does not re-parse. */
export function cachedAllowlist(text: string): IpAllowlist {
	let list = allowlistCache.get(text);
	if (!list) {
		list = parseIpAllowlist(text);
		allowlistCache.set(text, list);
	}
	return list;
}

const MAX_LIMITERS = 1000;
const limiters = new LruMap<string, { config: string; limiter: TokenBucketRateLimiter }>(MAX_LIMITERS);

/**
 * One limiter per trigger node, kept in this process's memory: buckets are per n8n process (in queue mode each
 * webhook process counts on its own). A changed setting starts fresh buckets.
 */
export function rateLimiterFor(nodeKey: string, requestsPerMinute: number, burst: number): TokenBucketRateLimiter {
	const config = `${requestsPerMinute}/${burst}`;
	const existing = limiters.get(nodeKey);
	if (existing && existing.config === config) return existing.limiter;
	const limiter = new TokenBucketRateLimiter({ requestsPerMinute, burst: burst > 0 ? burst : requestsPerMinute });
	limiters.set(nodeKey, { config, limiter });
	return limiter;
}
