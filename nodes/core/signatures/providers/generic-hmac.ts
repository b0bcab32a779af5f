import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { checkHmacOptions, defineScheme, hmacKeys } from '../scheme';
import type { ContentBuilder, Scheme } from '../scheme';
import type { ProviderOptions } from '../types';

const PLACEHOLDER = /\{(timestamp|id|method|url|body)\}/;

/** Turns `{timestamp}.{body}` into a content builder; `{body}` is the raw bytes, the rest UTF-8. */
export function templateContent(template: string): ContentBuilder {
	const parts = template.split(PLACEHOLDER); // odd positions are placeholder names
	return ({ request, timestamp, id }) => ({
		parts: parts.map((part, index) => {
			if (index % 2 === 0) return Buffer.from(part, 'utf8');
			if (part === 'body') return request.body;
			const value = { timestamp, id, method: request.method, url: request.url }[part];
			return Buffer.from(value ?? '', 'utf8');
		}),
	});
}

function build(options: ProviderOptions): Scheme {
	const header = options.header || 'X-Signature';
	const template = options.template || '{body}';
	const timestampHeader = options.timestampHeader || undefined;
	return defineScheme({
		id: 'generic-hmac',
		displayName: 'Generic HMAC',
		kind: 'hmac',
		secretLabel: 'Secret',
		signature: {
			header,
			format: prefixed(options.prefix ?? ''),
			encoding: options.encoding || 'hex',
			algorithm: options.algorithm || 'sha256',
		},
		timestamp:
			timestampHeader !== undefined
				? { header: timestampHeader, unit: options.timestampUnit || 's', toleranceSeconds: 300, direction: 'both' }
				: undefined,
		idHeader: options.idHeader || undefined,
		content: templateContent(template),
		keys: hmacKeys(),
		deliveryId: options.idHeader ? fromHeader(options.idHeader) : undefined,
	});
}

/**
 * Options: header (default X-Signature), algorithm sha1|sha256|sha512, encoding hex|base64, prefix (e.g. "sha256="),
 * template over {timestamp} {id} {method} {url} {body} (default "{body}"), timestampHeader + timestampUnit s|ms
 * (default window 300 s either way), idHeader.
 */
const genericHmac: Scheme = {
	...build({}),
	validateOptions: (options) => checkHmacOptions('generic-hmac', options),
	resolve: (request) => build(request.options),
};
export default genericHmac;
