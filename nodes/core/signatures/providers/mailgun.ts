import { randomBytes } from 'node:crypto';
import { hmac } from '../crypto';
import { prefixed } from '../formats';
import { fromBody, jsonPath } from '../request';
import { DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW, defineScheme, hmacKeys, ID, parseSignatureText, signed, TIMESTAMP, utf8Key } from '../scheme';
import type { Scheme } from '../scheme';

const source = { header: 'signature.signature', format: prefixed(''), encoding: 'hex' as const, algorithm: 'sha256' as const };

/**
 * The signature lives in the JSON body: `signature: { timestamp, token, signature }`, hex HMAC-SHA256 of
 * timestamp + token with the HTTP webhook signing key. sign() returns that `signature` object (to embed in the body).
 */
const mailgun: Scheme = {
	...defineScheme({
		id: 'mailgun',
		displayName: 'Mailgun',
		kind: 'hmac',
		secretLabel: 'HTTP webhook signing key',
		signature: source,
		timestamp: { unit: 's', toleranceSeconds: DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW, direction: 'both' },
		content: signed(TIMESTAMP, ID),
		keys: hmacKeys(),
		deliveryId: fromBody('event-data.id'),
		eventType: fromBody('event-data.event'),
		locate(request) {
			const json = request.json();
			const signature = jsonPath(json, 'signature.signature');
			if (signature === undefined) return { reject: 'missing_signature', message: 'The body carries no signature object.' };
			const located = parseSignatureText(signature, source);
			if ('reject' in located) return located;
			return { ...located, timestamp: jsonPath(json, 'signature.timestamp'), id: jsonPath(json, 'signature.token') ?? '' };
		},
	}),
	signHeaders(secret, { timestamp = '', id }) {
		const token = id ?? randomBytes(25).toString('hex');
		const key = utf8Key(secret);
		if (!Buffer.isBuffer(key)) throw new TypeError(`sign(): secret (HTTP webhook signing key) ${key.problem}.`);
		const signature = hmac('sha256', key, Buffer.from(timestamp + token, 'utf8')).toString('hex');
		return { timestamp, token, signature };
	},
};
export default mailgun;
