/**
 * Signed requests as a sender makes them, for the end-to-end tests: the headers come from the package's own
 * `sign()` (the same content builders the verifier uses), so a test only says what differs.
 *
 *   await send(url, githubDelivery('{"ref":"main"}', secret));
 *   await send(url, signedDelivery('twilio', token, form, { contentType: 'application/x-www-form-urlencoded', url }));
 */
import { randomBytes } from 'node:crypto';

import { sign } from '../../nodes/core';

/** A POST ready for fetch or send(): plain header record, the body as text. */
export interface Delivery {
	method: string;
	headers: Record<string, string>;
	body: string;
}

export interface DeliveryOptions {
	/** Headers set before the signature headers (a signature header of the same name wins). */
	headers?: Record<string, string>;
	/** The content-type header; `null` sends none. Default application/json. */
	contentType?: string | null;
	/** When it was signed: a Date or epoch milliseconds (sign() refuses epoch seconds). Default now. */
	timestamp?: Date | number;
	/** The message id for schemes that sign one (Standard Webhooks' webhook-id); random when left out. */
	id?: string;
	/** The URL the sender signs (Twilio signs the full public URL). */
	url?: string;
}

/** A POST of `body` signed for `provider` with `secret`. */
export function signedDelivery(provider: string, secret: string, body: string, options: DeliveryOptions = {}): Delivery {
	const { headers = {}, contentType = 'application/json', ...signing } = options;
	return {
		method: 'POST',
		headers: {
			...(contentType === null ? {} : { 'content-type': contentType }),
			...headers,
			...sign({ provider, secret, body, ...signing }),
		},
		body,
	};
}

/** A delivery id that is new on every call: `<prefix><16 hex digits>`. */
export function uniqueId(prefix: string): string {
	return `${prefix}${randomBytes(8).toString('hex')}`;
}

/**
 * A GitHub push delivery (X-GitHub-Event: push, a fresh X-GitHub-Delivery unless `headers` sets one), signed with
 * X-Hub-Signature-256 (docs.github.com, "Validating webhook deliveries").
 */
export function githubDelivery(body: string, secret: string, headers: Record<string, string> = {}): Delivery {
	return signedDelivery('github', secret, body, {
		headers: { 'x-github-event': 'push', 'x-github-delivery': uniqueId('e2e-'), ...headers },
	});
}

/** The same request without any header whose name mentions a signature (an unsigned call). */
export function withoutSignature(delivery: Delivery): Delivery {
	return { ...delivery, headers: Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => !/signature/i.test(name))) };
}
