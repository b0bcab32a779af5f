import { randomBytes } from 'node:crypto';
import { hmac } from '../crypto';
import { prefixed } from '../formats';
import { firstOf, fromBody, jsonPath } from '../request';
import type { Extractor } from '../request';
import { defineScheme, hmacKeys, ID, parseSignatureText, signed, TIMESTAMP, utf8Key } from '../scheme';
import type { Scheme } from '../scheme';
import type { RequestView } from '../types';

const source = { header: 'signature.signature', format: prefixed(''), encoding: 'hex' as const, algorithm: 'sha256' as const };

/**
 * Form fields of legacy webhooks and inbound Routes: `application/x-www-form-urlencoded`, or `multipart/form-data`
 * when a Route forwards a message with attachments (Mailgun docs: "Securing webhooks", "Receiving messages via HTTP
 * through a forward() action"). Text fields only; file parts are skipped. undefined when the body is neither.
 */
export function formFields(request: RequestView): Map<string, string> | undefined {
	const type = (request.header('content-type') ?? '').toLowerCase();
	if (type.startsWith('multipart/form-data')) return multipartFields(request.body, request.header('content-type') ?? '');
	if (type !== '' && !type.startsWith('application/x-www-form-urlencoded')) return undefined;
	const text = request.body.toString('utf8');
	if (type === '' && !/^[^={}[\]\s]+=/.test(text)) return undefined;
	const fields = new Map<string, string>();
	for (const [name, value] of new URLSearchParams(text)) if (!fields.has(name)) fields.set(name, value);
	return fields;
}

function multipartFields(body: Buffer, contentType: string): Map<string, string> | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	const boundary = match?.[1] ?? match?.[2];
	if (!boundary) return undefined;
	const fields = new Map<string, string>();
	// latin1 keeps one character per byte, so slicing by text positions slices the bytes.
	const text = body.toString('latin1');
	for (const part of text.split(`--${boundary}`).slice(1)) {
		if (part.startsWith('--')) break; // closing delimiter
		const split = part.indexOf('\r\n\r\n');
		if (split === -1) continue;
		const head = part.slice(0, split);
		const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		if (name === undefined || /\bfilename\*?=/i.test(disposition) || fields.has(name)) continue;
		const value = part.slice(split + 4).replace(/\r\n$/, '');
		fields.set(name, Buffer.from(value, 'latin1').toString('utf8'));
	}
	return fields;
}

/** One place for both shapes: the JSON `signature` object, or the three form fields. */
function signatureParts(request: RequestView): { timestamp?: string; token?: string; signature?: string } {
	const json = request.json();
	if (json !== undefined) {
		return { signature: jsonPath(json, 'signature.signature'), timestamp: jsonPath(json, 'signature.timestamp'), token: jsonPath(json, 'signature.token') };
	}
	const fields = formFields(request);
	return { signature: fields?.get('signature'), timestamp: fields?.get('timestamp'), token: fields?.get('token') };
}

const signatureToken: Extractor & { source: string } = Object.assign((request: RequestView) => signatureParts(request).token, {
	source: 'the signature token (body signature.token or form field token)',
});

const formEvent: Extractor & { source: string } = Object.assign((request: RequestView) => (request.json() === undefined ? formFields(request)?.get('event') : undefined), {
	source: 'form field event',
});

/**
 * Hex HMAC-SHA256 of timestamp + token with the HTTP webhook signing key. The three values travel in the JSON body's
 * `signature: { timestamp, token, signature }` (current webhooks), or as form fields `timestamp`, `token`,
 * `signature` (legacy webhooks and inbound Routes, urlencoded or multipart). sign() returns the three values (to put
 * in the body). Delivery id: event-data.id, else the token (unique per POST).
 * Test vector: mailgun/mailgun-php tests/Api/WebhookTest.php (test/vectors/mailgun.json).
 */
const mailgun: Scheme = {
	...defineScheme({
		id: 'mailgun',
		displayName: 'Mailgun',
		kind: 'hmac',
		secretLabel: 'HTTP webhook signing key',
		// Retries other webhooks for 8 hours, but never delivery notifications: a 503 would lose those, so none is held.
		retries: { retries: false, source: 'https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-retries' },
		signature: source,
		timestamp: { unit: 's', toleranceSeconds: 'none published', direction: 'both' },
		timestampSource: 'body signature.timestamp, or form field timestamp',
		content: signed(TIMESTAMP, ID),
		keys: hmacKeys(),
		deliveryId: firstOf(fromBody('event-data.id'), signatureToken),
		eventType: firstOf(fromBody('event-data.event'), formEvent),
		docs: {
			signature: '`signature` object in the JSON body, or `timestamp`/`token`/`signature` form fields (legacy webhooks, inbound Routes; urlencoded or multipart) (hex)',
			signed: 'timestamp + token',
		},
		locate(request) {
			const parts = signatureParts(request);
			if (parts.signature === undefined) return { reject: 'missing_signature', message: 'The body carries no Mailgun signature (JSON signature object or form fields).' };
			const located = parseSignatureText(parts.signature, source);
			if ('reject' in located) return located;
			return { ...located, timestamp: parts.timestamp, id: parts.token ?? '' };
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
