import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { checkHmacOptions, defineScheme, hmacKeys } from '../scheme';
import type { ContentBuilder, Scheme, SchemeSettings } from '../scheme';
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

/** How the sender signs, set per trigger; each field is the option of the same name (see genericHmac below). */
const SIGNATURE_SCHEME: SchemeSettings = {
	parameter: 'genericHmac',
	displayName: 'Signature Scheme',
	description: 'How the sender signs: which header, which hash, which encoding, and what bytes are signed',
	fields: [
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'SHA-1', value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: 'sha256',
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			default: 'hex',
		},
		{
			displayName: 'ID Header',
			name: 'idHeader',
			type: 'string',
			default: '',
			placeholder: 'X-Webhook-ID',
			description: 'Header holding the delivery ID',
			hint: 'Its value fills the {id} placeholder of Signed Content',
		},
		{ displayName: 'Signature Header', name: 'header', type: 'string', default: 'X-Signature' },
		{
			displayName: 'Signature Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'sha256=',
			description: 'Text before the signature in the header, if any',
		},
		{
			displayName: 'Signed Content',
			name: 'template',
			type: 'string',
			default: '{body}',
			placeholder: '{timestamp}.{body}',
			description: 'Template of the exact bytes the sender signs',
			hint: 'Placeholders: {body} {timestamp} {id} {method} {url}',
		},
		{ displayName: 'Timestamp Header', name: 'timestampHeader', type: 'string', default: '', placeholder: 'X-Timestamp' },
		{
			displayName: 'Timestamp Unit',
			name: 'timestampUnit',
			type: 'options',
			options: [
				{ name: 'Seconds', value: 's' },
				{ name: 'Milliseconds', value: 'ms' },
			],
			default: 's',
		},
	],
};

/** The scheme these options describe. */
function schemeFor(options: ProviderOptions): Scheme {
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
		settings: SIGNATURE_SCHEME,
		docs: {
			signature: 'configurable (default `X-Signature`)',
			signed: 'template (default `{body}`)',
			tolerance: '300 s both ways when a timestamp header is set',
		},
		// One configured header holding one prefix + signature: while rotating, the previous secret signs until the date.
		outgoing: {
			displayName: 'Generic HMAC',
			description: 'Your own header, algorithm, encoding and signed content',
			rotation: 'previous',
		},
	});
}

/**
 * Options: header (default X-Signature), algorithm sha1|sha256|sha512, encoding hex|base64, prefix (e.g. "sha256="),
 * template over {timestamp} {id} {method} {url} {body} (default "{body}"), timestampHeader + timestampUnit s|ms
 * (default window 300 s either way), idHeader.
 */
const genericHmac: Scheme = {
	...schemeFor({}),
	validateOptions: (options) => checkHmacOptions('generic-hmac', options),
	resolve: (request) => schemeFor(request.options),
};
export default genericHmac;
