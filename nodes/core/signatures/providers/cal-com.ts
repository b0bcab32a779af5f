import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-Cal-Signature-256`: hex HMAC-SHA256 of the body with the webhook's secret; event name in body `triggerEvent`;
 * no timestamp. Source: https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload.
 */
export default defineScheme({
	id: 'cal-com',
	displayName: 'Cal.com',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'X-Cal-Signature-256', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromBody('triggerEvent'),
	docs: { signature: '`X-Cal-Signature-256` (hex)', signed: 'body' },
});
