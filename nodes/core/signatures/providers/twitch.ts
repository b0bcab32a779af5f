import { prefixed } from '../formats';
import { twitchCallbackVerification } from '../handshakes';
import { fromHeader } from '../request';
import { BODY, ID, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/** `sha256=` over message id + RFC 3339 timestamp + body (no separators); older than 10 minutes is refused. */
export default defineScheme({
	id: 'twitch',
	displayName: 'Twitch EventSub',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'Twitch-Eventsub-Message-Signature', format: prefixed('sha256='), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { header: 'Twitch-Eventsub-Message-Timestamp', unit: 'rfc3339', toleranceSeconds: 600, direction: 'past-only' },
	idHeader: 'Twitch-Eventsub-Message-Id',
	content: signed(ID, TIMESTAMP, BODY),
	keys: hmacKeys(),
	eventType: fromHeader('Twitch-Eventsub-Subscription-Type'),
	handshake: twitchCallbackVerification,
	docs: { signature: '`Twitch-Eventsub-Message-Signature` (`sha256=` hex)', signed: 'id + timestamp (RFC 3339) + body', handshake: 'webhook_callback_verification' },
});
