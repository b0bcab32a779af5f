import type { SignatureFormat } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** `v1=<hex>[,v1=<hex>]`: one entry per secret while a secret is rolled; other versions are ignored. */
const v1List: SignatureFormat = {
	parse(text) {
		const entries = text
			.split(',')
			.map((part) => part.trim())
			.filter((part) => part.startsWith('v1='))
			.map((part) => ({ value: part.slice(3) }));
		return { entries };
	},
	format: (signature) => `v1=${signature}`,
};

/**
 * Webhooks v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]`, hex HMAC-SHA256 of the body with the subscription's
 * secret, any v1 may match; event `id` and `event_type` under body `event`; no timestamp.
 * Source: https://developer.pagerduty.com/docs/webhooks-v3-overview#verifying-signatures.
 */
export default defineScheme({
	id: 'pagerduty',
	displayName: 'PagerDuty',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	signature: { header: 'X-PagerDuty-Signature', format: v1List, encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('event.id'),
	eventType: fromBody('event.event_type'),
	docs: { signature: '`X-PagerDuty-Signature` (`v1=` hex, any of a list)', signed: 'body' },
});
