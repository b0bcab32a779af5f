import { prefixed } from '../formats';
import { slackUrlVerification } from '../handshakes';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/** `v0=` hex HMAC-SHA256 over `v0:<timestamp>:<body>`; 5 minutes either way. */
export default defineScheme({
	id: 'slack',
	displayName: 'Slack',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	// horizonSeconds: the delays read as counted one after another (1 + 5 minutes): the later of the two readings.
	retries: { retries: true, horizon: '5 minutes (3 retries: at once, after 1 and 5 minutes)', horizonSeconds: 360, source: 'https://api.slack.com/apis/events-api#retries' },
	signature: { header: 'X-Slack-Signature', format: prefixed('v0='), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { header: 'X-Slack-Request-Timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
	content: signed('v0:', TIMESTAMP, ':', BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('event_id'),
	eventType: fromBody('event.type', 'type'),
	handshake: slackUrlVerification,
	docs: { signature: '`X-Slack-Signature` (`v0=` hex)', signed: '`v0:timestamp:body`', handshake: 'url_verification' },
});
