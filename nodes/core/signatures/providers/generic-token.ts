import { prefixed } from '../formats';
import type { SignatureFormat } from '../formats';
import { defineScheme, signed, tokenKeys } from '../scheme';
import type { Scheme, SchemeSettings } from '../scheme';
import type { ProviderOptions } from '../types';

/** `Bearer <token>`; the scheme word is case-insensitive (RFC 6750). */
const bearerFormat: SignatureFormat = {
	parse: (text) => {
		const match = /^Bearer +(\S.*)$/i.exec(text);
		return match ? { entries: [{ value: match[1] }] } : undefined;
	},
	format: (token) => `Bearer ${token}`,
};

/** Where the token travels, set per trigger (options.header, options.bearer). */
const TOKEN_LOCATION: SchemeSettings = {
	parameter: 'genericToken',
	displayName: 'Token Location',
	fields: [
		{ displayName: 'Header', name: 'header', type: 'string', default: 'Authorization' },
		{ displayName: 'Bearer', name: 'bearer', type: 'boolean', default: true, description: 'Whether the header value starts with "Bearer "' },
	],
};

/** The scheme these options describe. */
function schemeFor(options: ProviderOptions): Scheme {
	const header = options.header || 'Authorization';
	const bearer = options.bearer ?? header.toLowerCase() === 'authorization';
	return defineScheme({
		id: 'generic-token',
		displayName: 'Generic token',
		kind: 'token',
		secretLabel: 'Token',
		signature: { header, format: bearer ? bearerFormat : prefixed(''), encoding: 'text' },
		content: signed(),
		keys: tokenKeys(),
		settings: TOKEN_LOCATION,
		docs: {
			signature: 'configurable (default `Authorization: Bearer`)',
			signed: '— (token compared in constant time)',
		},
	});
}

/** A shared token in a header (options.header) or as `Authorization: Bearer <token>`; compared in constant time. */
const genericToken: Scheme = { ...schemeFor({}), resolve: (request) => schemeFor(request.options) };
export default genericToken;
