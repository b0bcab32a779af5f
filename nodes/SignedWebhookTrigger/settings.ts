/** Turns node parameters into pipeline settings; also keeps per-node rate limiters alive between requests. */
import { parseIpAllowlist, splitAllowlistEntries, TokenBucketRateLimiter, type IpAllowlist } from '../core/http';
import { providers } from '../core/signatures';

/** UI-only provider value: Standard Webhooks with an Ed25519 public key (v1a). Verified by 'standard-webhooks'. */
export const STANDARD_WEBHOOKS_PUBLIC_KEY = 'standard-webhooks-v1a';

export const PUBLIC_KEY_PROVIDERS: string[] = [
	...providers.filter((p) => p.kind === 'ed25519' || p.kind === 'ecdsa').map((p) => p.id),
	STANDARD_WEBHOOKS_PUBLIC_KEY,
];

export const SECRET_PROVIDERS: string[] = providers
	.filter((p) => p.kind === 'hmac' || p.kind === 'token')
	.map((p) => p.id);

export function coreProviderId(uiProvider: string): string {
	return uiProvider === STANDARD_WEBHOOKS_PUBLIC_KEY ? 'standard-webhooks' : uiProvider;
}

export function usesPublicKey(uiProvider: string): boolean {
	return PUBLIC_KEY_PROVIDERS.includes(uiProvider);
}

export const ALL_METHODS = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];

/** Methods the trigger answers: the configured one, plus GET for Meta's subscription handshake. */
export function acceptedMethods(httpMethod: string, provider: string): string[] {
	const methods = [httpMethod.toUpperCase()];
	if (provider === 'meta' && !methods.includes('GET')) methods.push('GET');
	return methods;
}

/** Header names whose values never reach the output item: signatures and tokens (a GitLab token IS the secret). */
const SIGNATURE_HEADERS = [
	'authorization',
	'proxy-authorization',
	'x-hub-signature',
	'x-hub-signature-256',
	'x-gitlab-token',
	'stripe-signature',
	'x-slack-signature',
	'x-shopify-hmac-sha256',
	'shopify-hmac-sha256',
	'webhook-signature',
	'svix-signature',
	'x-twilio-signature',
	'linear-signature',
	'paddle-signature',
	'x-zm-signature',
	'twitch-eventsub-message-signature',
	'x-signature-ed25519',
	'typeform-signature',
	'calendly-webhook-signature',
	'x-hubspot-signature',
	'x-hubspot-signature-v3',
	'x-square-hmacsha256-signature',
	'x-square-signature',
	'x-zendesk-webhook-signature',
	'x-twilio-email-event-webhook-signature',
	'x-convoy-signature',
];

export function headersToRedact(extra: Array<string | undefined>): Set<string> {
	const names = new Set(SIGNATURE_HEADERS);
	for (const provider of providers) names.add(provider.signatureHeader.toLowerCase());
	for (const name of extra) if (name) names.add(name.toLowerCase());
	return names;
}

export function parseEventTypes(input: string | undefined): string[] {
	return splitAllowlistEntries(input ?? '');
}

const allowlistCache = new Map<string, IpAllowlist>();

/** Parsed allowlists are cached by their text (bounded), so each request does not re-parse. */
export function cachedAllowlist(text: string): IpAllowlist {
	let list = allowlistCache.get(text);
	if (!list) {
		list = parseIpAllowlist(text);
		if (allowlistCache.size >= 256) allowlistCache.delete(allowlistCache.keys().next().value as string);
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
