/**
 * Properties over every provider row:
 * - flipping any byte of an authenticated part (body, signature header, timestamp) of a valid request gets it rejected,
 *   except a case flip of a hex digit inside a hex signature: the same bytes spelled in the other case verify (issue 10,
 *   kind 2), so that flip must be accepted;
 * - no rejection message ever contains a secret or the expected signature.
 */
import fc from 'fast-check';
import { verify } from '../../../nodes/core';
import type { HeaderBag } from '../../../nodes/core';
import { NOW, PROVIDER_ROWS, signedRequest } from './provider-table';
import type { Part, ProviderRow, SignedRequest } from './provider-table';

const RUNS = 1000;

function headerKey(headers: HeaderBag, name: string): string {
	return Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
}

/** true when flipping `mask` at `index` only changes the case of a digit inside a hex signature (40+ hex digits). */
function isHexCaseFlip(text: string, index: number, mask: number): boolean {
	const at = index % text.length;
	if (mask !== 0x20 || !/[a-fA-F]/.test(text[at])) return false;
	for (const match of text.matchAll(/[0-9a-fA-F]{40,}/g)) {
		if (at >= match.index && at < match.index + match[0].length) return true;
	}
	return false;
}

/** Mailgun's in-body signature: JSON signature object or form field. */
const BODY_SIGNATURE = /(?:"signature":"|(?:^|&)signature=)([0-9a-f]+)/;

/** Set by flip(): the last flip only changed the case of a hex signature digit. */
let sameBytes = false;

function flipString(text: string, index: number, mask: number): string {
	const bytes = Buffer.from(text, 'latin1');
	bytes[index % bytes.length] ^= mask;
	return bytes.toString('latin1');
}

/** Flips one byte of the chosen part; returns undefined when the part is absent for this row. */
function flip(row: ProviderRow, request: SignedRequest, part: Part, index: number, mask: number): SignedRequest | undefined {
	sameBytes = false;
	if (part === 'body') {
		const body = Buffer.from(request.body);
		if (body.length === 0) return undefined;
		body[index % body.length] ^= mask;
		return { ...request, body };
	}
	const target = part === 'signature' ? { header: row.signatureHeader, pattern: row.signaturePattern } : row.timestamp;
	if (!target) return undefined;
	if (target.header === 'body') {
		// Mailgun: the signature lives in the body's signature object, or in the `signature` form field; Microsoft Graph:
		// the clientState token of each notification (the row's pattern).
		const text = String(request.body);
		const match = (target.pattern ?? BODY_SIGNATURE).exec(text);
		if (!match) return undefined;
		const start = match.index + match[0].indexOf(match[1]);
		sameBytes = isHexCaseFlip(match[1], index, mask);
		const flipped = flipString(match[1], index, mask);
		return { ...request, body: text.slice(0, start) + flipped + text.slice(start + match[1].length) };
	}
	const key = headerKey(request.headers, target.header);
	const value = String(request.headers[key]);
	let changed: string;
	if (target.pattern) {
		const match = target.pattern.exec(value);
		if (!match) return undefined;
		const start = match.index + match[0].indexOf(match[1]);
		sameBytes = part === 'signature' && isHexCaseFlip(match[1], index, mask);
		changed = value.slice(0, start) + flipString(match[1], index, mask) + value.slice(start + match[1].length);
	} else {
		sameBytes = part === 'signature' && isHexCaseFlip(Buffer.from(value, 'latin1').toString('latin1'), index % Buffer.from(value, 'latin1').length, mask);
		changed = flipString(value, index, mask);
	}
	return { ...request, headers: { ...request.headers, [key]: changed } };
}

describe.each(PROVIDER_ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
	const request = signedRequest(row);

	test(`flipping any byte of ${row.authenticates.join(', ')} is rejected (${RUNS} runs)`, () => {
		expect(verify(request).valid).toBe(true);
		fc.assert(
			fc.property(
				fc.constantFrom(...row.authenticates),
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(part, index, mask) => {
					const changed = flip(row, request, part, index, mask);
					if (!changed) return true;
					return verify(changed).valid === sameBytes;
				},
			),
			{ numRuns: RUNS },
		);
	});

	test('no message contains a secret or the expected signature', () => {
		const expected = String(
			row.signatureHeader === 'body' ? BODY_SIGNATURE.exec(String(request.body))?.[1] : request.headers[headerKey(request.headers, row.signatureHeader)],
		);
		const secrets = [...request.secrets, row.secret];
		fc.assert(
			fc.property(
				fc.oneof(fc.string(), fc.constant(expected), fc.constant(row.secret), fc.constant(expected.slice(0, -3))),
				fc.string(),
				fc.integer({ min: -86400, max: 86400 }),
				(signatureValue, bodyTail, skew) => {
					const headers = { ...request.headers, [headerKey(request.headers, row.signatureHeader)]: signatureValue };
					const result = verify({ ...request, headers, body: String(request.body) + bodyTail, now: NOW + skew * 1000 });
					if (result.valid) return true;
					const leaked = [...secrets, expected].some((text) => text.length >= 6 && result.message.includes(text));
					return !leaked && result.message.length < 200;
				},
			),
			{ numRuns: 200 },
		);
	});
});
