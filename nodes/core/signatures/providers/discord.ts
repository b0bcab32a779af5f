import { prefixed } from '../formats';
import { discordPing } from '../handshakes';
import { fromBody } from '../request';
import { BODY, defineScheme, ed25519Keys, hexKey, signed, TIMESTAMP } from '../scheme';

/** Ed25519 over timestamp + body with the application's hex public key (a hex private seed signs, for tests). */
export default defineScheme({
	id: 'discord',
	displayName: 'Discord',
	kind: 'ed25519',
	secretLabel: 'Public key',
	signature: { header: 'X-Signature-Ed25519', format: prefixed(''), encoding: 'hex', lengths: { '': 64 } },
	timestamp: { header: 'X-Signature-Timestamp', unit: 's', toleranceSeconds: 'none published', direction: 'both' },
	content: signed(TIMESTAMP, BODY),
	keys: ed25519Keys(hexKey),
	deliveryId: fromBody('id'),
	eventType: fromBody('event.type', 'type'),
	handshake: discordPing,
	docs: { signature: '`X-Signature-Ed25519` (hex, public key)', signed: 'timestamp + body', handshake: 'PING (type 1 → `{"type":1}`, type 0 → 204)' },
});
