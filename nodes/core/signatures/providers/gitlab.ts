import { prefixed } from '../formats';
import { firstOf, fromHeader } from '../request';
import { defineScheme, signed, tokenKeys } from '../scheme';
import type { Scheme } from '../scheme';
import { standardWebhooksScheme } from '../standard';

const deliveryId = firstOf(fromHeader('Idempotency-Key'), fromHeader('X-Gitlab-Event-UUID'));
const eventType = fromHeader('X-Gitlab-Event');

const secretToken = defineScheme({
	id: 'gitlab',
	displayName: 'GitLab',
	kind: 'token',
	secretLabel: 'Secret token',
	signature: { header: 'X-Gitlab-Token', format: prefixed(''), encoding: 'text' },
	content: signed(),
	keys: tokenKeys(),
	deliveryId,
	eventType,
	docs: {
		signature: '`X-Gitlab-Token` (token) or `webhook-signature` (signing token)',
		signed: '— / `id.timestamp.body`',
		tolerance: '— / 300 s both ways',
	},
});

const signingToken = standardWebhooksScheme({
	id: 'gitlab',
	displayName: 'GitLab',
	secretLabel: 'Signing token',
	headerPrefix: 'webhook',
	deliveryId,
	eventType,
});

/**
 * Two modes. `options.mode: 'token'` = the plain X-Gitlab-Token; `'signing-token'` = Standard Webhooks headers
 * with a `whsec_` signing token. Unset: signing-token when a webhook-signature header is present, else token.
 * Set the mode explicitly to refuse the other one.
 */
const gitlab: Scheme = {
	...secretToken,
	signatureHeaders: [...secretToken.signatureHeaders, ...signingToken.signatureHeaders],
	resolve(request) {
		const mode = request.options.mode;
		if (mode === 'signing-token') return signingToken;
		if (mode === 'token') return secretToken;
		return request.header('webhook-signature') !== undefined ? signingToken : secretToken;
	},
};
export default gitlab;
