import { equalBytes, sha256 } from '../crypto';
import { decodeHex } from '../encoding';
import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { defineScheme, hmacKeys } from '../scheme';
import type { ContentBuilder } from '../scheme';

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

export default defineScheme({
	id: 'twilio',
	displayName: 'Twilio',
	kind: 'hmac',
	secretLabel: 'Auth token',
	signature: { header: 'X-Twilio-Signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha1' },
	content,
	keys: hmacKeys(),
	deliveryId: fromHeader('I-Twilio-Idempotency-Token'),
});
