import { prefixed } from '../formats';
import type { SignatureFormat } from '../formats';
import { defineScheme, signed, tokenKeys } from '../scheme';
import type { Scheme } from '../scheme';
import type { ProviderOptions } from '../types';

/** `Bearer <token>`; the scheme word is case-insensitive (RFC 6750). */
const bearerFormat: SignatureFormat = {
	parse: (text) => {
		const match = /^Bearer +(\S.*)$/i.exec(text);
		return match ? { entries: [{ value: match[1] }] } : undefined;
	},
	format: (token) => `Bearer ${token}`,
};

function build(options: ProviderOptions): Scheme {
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
	});
}

/** A shared token in a header (options.header) or as `Authorization: Bearer <token>`; compared in constant time. */
const genericToken: Scheme = { ...build({}), resolve: (request) => build(request.options) };
export default genericToken;
