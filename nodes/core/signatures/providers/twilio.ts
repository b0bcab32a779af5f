import { equalBytes, sha256 } from '../crypto';
import { decodeHex } from '../encoding';
import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { defineScheme, hmacKeys, signHeaders } from '../scheme';
import type { ContentBuilder, Scheme } from '../scheme';
import type { HashAlgorithm } from '../types';

const URL_PARTS = /^(https?):\/\/([^/?#@]+@)?(\[[^\]]+\]|[^/?#:]+)(:\d+)?(.*)$/i;

/** The URL as given, and with the default port added or removed (proxies differ), as twilio-node tries. */
export function urlVariants(url: string): string[] {
	const match = URL_PARTS.exec(url);
	if (!match) return [url];
	const [, scheme, user = '', host, port, rest] = match;
	const defaultPort = scheme.toLowerCase() === 'https' ? ':443' : ':80';
	const other = port ? (port === defaultPort ? '' : undefined) : defaultPort;
	return other === undefined ? [url] : [url, `${scheme}://${user}${host}${other}${rest}`];
}

/** Form parameters as `name + value`, names sorted, repeated names with their unique values sorted. */
function sortedParams(body: Buffer): string {
	const grouped = new Map<string, string[]>();
	for (const [name, value] of new URLSearchParams(body.toString('utf8'))) grouped.set(name, [...(grouped.get(name) ?? []), value]);
	return [...grouped.keys()]
		.sort()
		.map((name) => [...new Set(grouped.get(name))].sort().map((value) => name + value).join(''))
		.join('');
}

/**
 * Form POSTs: URL + sorted params. JSON bodies: the URL carries `bodySHA256=<hex sha256(body)>` and only the URL is
 * signed, so the body hash is checked here (a mismatch leaves no candidate, hence invalid_signature).
 */
const content: ContentBuilder = ({ request }) => {
	const hash = bodyHashParam(request.url);
	if (hash !== undefined) {
		const expected = decodeHex(hash);
		if (!expected || !equalBytes(expected, sha256(request.body))) return [];
		return urlVariants(request.url).map((url) => Buffer.from(url, 'utf8'));
	}
	const params = request.body.length > 0 ? sortedParams(request.body) : '';
	return urlVariants(request.url).map((url) => Buffer.from(url + params, 'utf8'));
};

function bodyHashParam(url: string): string | undefined {
	try {
		return new URL(url).searchParams.get('bodySHA256') ?? undefined;
	} catch {
		return undefined;
	}
}

/** Twilio's header for webhooks signed with a Webhook Setting's SharedKey: `key=<sharedKeyId>,algorithm=HMAC_SHA256`. */
export const SIGNATURE_SETTINGS_HEADER = 'X-Twilio-Webhooks-Signature-Settings';

/**
 * The algorithm the settings header names, as twilio-node 6.3's getSignatureAlgorithm reads it: the `algorithm=` part,
 * case-insensitive; no header or no `algorithm=` part = the Auth Token's HMAC-SHA1. null = an algorithm we do not know.
 */
export function settingsAlgorithm(text: string | undefined): HashAlgorithm | null {
	for (const part of (text ?? '').split(',')) {
		const at = part.indexOf('=');
		if (at === -1 || part.slice(0, at).trim() !== 'algorithm') continue;
		const name = part.slice(at + 1).trim().toUpperCase();
		if (name === '') continue;
		if (name === 'HMAC_SHA1') return 'sha1';
		if (name === 'HMAC_SHA256') return 'sha256';
		return null;
	}
	return 'sha1';
}

function twilioScheme(algorithm: HashAlgorithm): Scheme {
	return defineScheme({
		id: 'twilio',
		displayName: 'Twilio',
		kind: 'hmac',
		secretLabel: 'Auth token',
		signature: { header: 'X-Twilio-Signature', format: prefixed(''), encoding: 'base64', algorithm },
		content,
		keys: hmacKeys(),
		deliveryId: fromHeader('I-Twilio-Idempotency-Token'),
		docs: {
			signature: "`X-Twilio-Signature` (base64 HMAC-SHA1 with the Auth Token; HMAC-SHA256 with a Webhook Setting's SharedKey when `X-Twilio-Webhooks-Signature-Settings` says `algorithm=HMAC_SHA256`)",
			signed: 'URL + sorted form params, or URL with `bodySHA256`',
		},
	});
}

const sha1 = twilioScheme('sha1');
const sha256Scheme = twilioScheme('sha256');

/** A settings header naming an algorithm we cannot check: refused as malformed, as twilio-node fails validation. */
const unsupported: Scheme = {
	...sha1,
	locate: () => ({ reject: 'malformed_signature', message: `The ${SIGNATURE_SETTINGS_HEADER} header names an unsupported algorithm.` }),
};

/**
 * Form POSTs: base64 HMAC over the URL + sorted params; JSON bodies: over the URL with `bodySHA256`. HMAC-SHA1 with
 * the Auth Token by default; when the request carries X-Twilio-Webhooks-Signature-Settings (a Webhook Rule matched),
 * the algorithm it names (HMAC_SHA256) with the Setting's SharedKey secret: put that secret in the credential (any slot).
 * sign(): options.algorithm 'sha256' signs with HMAC-SHA256 and writes the settings header (options.keyId as `key=`).
 * Sources: https://www.twilio.com/docs/usage/webhooks/webhooks-security, https://www.twilio.com/docs/usage/webhooks/webhook-settings,
 * twilio-node 6.3.1 lib/webhooks/webhooks.js (getSignatureAlgorithm, getExpectedTwilioSignature).
 */
const twilio: Scheme = {
	...sha1,
	resolve(request) {
		const settings = request.header(SIGNATURE_SETTINGS_HEADER);
		if (settings === null) return { ...sha1, locate: () => ({ reject: 'malformed_signature', message: `The ${SIGNATURE_SETTINGS_HEADER} header appears more than once.` }) };
		const algorithm = settings === undefined && request.options.algorithm === 'sha256' ? 'sha256' : settingsAlgorithm(settings);
		if (algorithm === null) return unsupported;
		if (algorithm === 'sha256') {
			return {
				...sha256Scheme,
				signHeaders(secret, parts) {
					const keyId = typeof parts.request.options.keyId === 'string' ? `key=${parts.request.options.keyId},` : '';
					return { ...signHeaders(sha256Scheme, secret, parts), [SIGNATURE_SETTINGS_HEADER]: `${keyId}algorithm=HMAC_SHA256` };
				},
			};
		}
		return sha1;
	},
};
export default twilio;
