import type { SignatureFormat } from '../formats';
import { fromHeader } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `t=<ms>,v1=<base64url, unpadded>` (a space may follow the comma). The value is turned into canonical padded
 * base64 for the shared strict decoder; standard-alphabet characters or padding are refused (one spelling only).
 */
const sanityHeader: SignatureFormat = {
	parse(text) {
		const match = /^t=(\d+)[, ]+v1=([A-Za-z0-9_-]+)$/.exec(text);
		if (!match) return undefined;
		const base64 = match[2].replace(/-/g, '+').replace(/_/g, '/');
		return { timestamp: match[1], entries: [{ value: base64 + '='.repeat((4 - (base64.length % 4)) % 4) }] };
	},
	format: (signature, timestamp) => `t=${timestamp},v1=${signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
};

/**
 * GROQ-powered webhooks: `sanity-webhook-signature: t=<epoch MILLISECONDS>,v1=<base64url>`, HMAC-SHA256 of `t.body`
 * with the webhook's secret; `idempotency-key` is the same for every retry, `sanity-operation` names the change.
 * The toolkit checks no age and Sanity publishes no window. Sources: https://www.sanity.io/docs/webhooks,
 * https://github.com/sanity-io/webhook-toolkit/blob/main/src/signature.ts (SDK and its test vectors).
 */
export default defineScheme({
	id: 'sanity',
	displayName: 'Sanity',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'sanity-webhook-signature', format: sanityHeader, encoding: 'base64', algorithm: 'sha256' },
	timestamp: { unit: 'ms', toleranceSeconds: 'none published', direction: 'both' },
	timestampSource: 'signature header t=',
	content: signed(TIMESTAMP, '.', BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('idempotency-key'),
	eventType: fromHeader('sanity-operation'),
	// Since 29 April 2026: a 429 or 5xx is retried twice, 30 s apart (before: exponential backoff over 30 minutes).
	retries: { retries: true, horizon: '1 minute (2 retries, 30 s apart)', horizonSeconds: 60, source: 'https://www.sanity.io/docs/changelog/50ec6abf-fe0c-475b-ae72-314148860132' },
	docs: { signature: '`sanity-webhook-signature` (`t=…,v1=…` base64url, t in ms)', signed: '`t.body`' },
});
