/** Standard Webhooks (`webhook-*`) and its Svix brand (`svix-*`): one builder, used by several providers. */
import { decodeKeyBase64 } from './encoding';
import { versionedList } from './formats';
import { fromHeader } from './request';
import type { Extractor } from './request';
import { BODY, ID, TIMESTAMP, defineScheme, ed25519Keys, hmacKeys, signed, whsecKey } from './scheme';
import type { PublicKeys, RetryFact, Scheme, SchemeChoice } from './scheme';

/** `whpk_` public keys (verify) and `whsk_` private keys (sign) select Ed25519 `v1a`; anything else is a `whsec_` HMAC `v1` secret. */
const ed25519 = ed25519Keys((text) => decodeKeyBase64(text.replace(/^wh[ps]k_/, '')), ['v1a']);
const symmetric = hmacKeys(whsecKey, ['v1']);
const isAsymmetric = (secret: string) => /^\s*wh[ps]k_/.test(secret);

export const standardKeys: PublicKeys = {
	publicKey: (text) => (/^\s*whpk_/.test(text) ? ed25519.publicKey(text) : undefined),
	problem: (secret) => (isAsymmetric(secret) ? ed25519 : symmetric).problem(secret),
	prepare: (secret) => (isAsymmetric(secret) ? ed25519 : symmetric).prepare(secret),
	sign: (secret, content, algorithm) => (isAsymmetric(secret) ? ed25519 : symmetric).sign?.(secret, content, algorithm),
};

export function standardWebhooksScheme(brand: {
	id: string;
	displayName: string;
	secretLabel: string;
	headerPrefix: string;
	eventType?: Extractor & { source: string };
	deliveryId?: Extractor & { source: string };
	/** Further editor choices (Standard Webhooks with a whpk_ public key). */
	choices?: SchemeChoice[];
	/** Whether the sender redelivers failed deliveries, with its source (see RetryFact). */
	retries?: RetryFact;
}): Scheme {
	const prefix = brand.headerPrefix;
	return defineScheme({
		id: brand.id,
		displayName: brand.displayName,
		kind: 'hmac',
		secretLabel: brand.secretLabel,
		signature: {
			header: `${prefix}-signature`,
			format: versionedList('v1'),
			encoding: 'base64',
			algorithm: 'sha256',
			lengths: { v1: 32, v1a: 64 },
		},
		timestamp: { header: `${prefix}-timestamp`, unit: 's', toleranceSeconds: 300, direction: 'both' },
		idHeader: `${prefix}-id`,
		content: signed(ID, '.', TIMESTAMP, '.', BODY),
		keys: standardKeys,
		deliveryId: brand.deliveryId ?? fromHeader(`${prefix}-id`),
		eventType: brand.eventType,
		choices: brand.choices,
		retries: brand.retries,
		docs: {
			// Only a brand that offers the public-key choice verifies v1a entries in practice.
			signature: brand.choices?.length ? `\`${prefix}-signature\` (\`v1,\` base64 / \`v1a,\` Ed25519)` : `\`${prefix}-signature\` (\`v1,\` base64)`,
			signed: '`id.timestamp.body`, `whsec_` = base64 key',
		},
	});
}
