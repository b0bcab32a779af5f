import { prefixed } from '../formats';
import { zoomUrlValidation } from '../handshakes';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed, TIMESTAMP } from '../scheme';

/**
 * Slack-style `v0=` over `v0:<ts>:<body>` with the app's secret token; Zoom documents no window and no delivery id
 * (its documented headers: x-zm-request-timestamp, x-zm-signature, x-zm-trackingid; no x-zm-request-id):
 * https://developers.zoom.us/docs/api/webhooks/
 */
export default defineScheme({
	id: 'zoom',
	displayName: 'Zoom',
	kind: 'hmac',
	secretLabel: 'Secret token',
	// horizonSeconds: 5 + 20 + 60 minutes, each counted from the previous attempt (the blog's "about 1.5 hours").
	retries: { retries: true, horizon: 'about 1.5 hours (3 retries: after 5, 20 and 60 minutes)', horizonSeconds: 5_100, source: 'https://developers.zoom.us/blog/webhook-delays' },
	signature: { header: 'x-zm-signature', format: prefixed('v0='), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { header: 'x-zm-request-timestamp', unit: 's', toleranceSeconds: 'none published', direction: 'both' },
	content: signed('v0:', TIMESTAMP, ':', BODY),
	keys: hmacKeys(),
	eventType: fromBody('event'),
	handshake: zoomUrlValidation,
	docs: { signature: '`x-zm-signature` (`v0=` hex)', signed: '`v0:timestamp:body`', handshake: 'endpoint.url_validation' },
});
