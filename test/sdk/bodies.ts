/**
 * Bodies that break naive code, shared by every SDK cross-check: each one fails a verifier that re-serialises JSON,
 * trims, normalises Unicode, un-escapes `\/` or decodes a form before hashing. All are valid UTF-8.
 */
export const PRETTY_JSON = '{\n  "id": "evt_1",\n  "type": "order.created",\n  "data": {\n    "amount": 100\n  }\n}\n';
/** PHP and some JSON encoders escape forward slashes; JSON.parse + JSON.stringify drops the backslashes. */
export const ESCAPED_SLASHES = '{"id":"evt_2","type":"link.shared","url":"https:\\/\\/example.com\\/a\\/b?c=d"}';
/** Raw non-ASCII (precomposed ë, CJK, an astral emoji) next to a \u escape that JSON.stringify would write raw. */
export const NON_ASCII = '{"id":"evt_3","type":"customer.updated","name":"Zoë 東京 ✓ 🚀","escaped":"caf\\u00e9"}';
/** An integer beyond 2^53: JSON.parse rounds it, so a re-serialised body has other digits. */
export const BIG_INTEGER = '{"id":"evt_4","type":"order.paid","order_id":8202522731445525542}';
/** A form body (Slack slash commands, Twilio): `+` for space, percent-encoded UTF-8, a repeated name. */
export const FORM = 'text=hello+w%C3%B6rld+%2F+%E2%9C%93&user_name=Zo%C3%AB&token=abc%2Bdef&tag=b&tag=a';
export const EMPTY = '';

/** The JSON bodies every JSON-only provider is checked with. */
export const JSON_BODIES: Array<[string, string]> = [
	['pretty JSON', PRETTY_JSON],
	['escaped slashes', ESCAPED_SLASHES],
	['non-ASCII text', NON_ASCII],
	['integer beyond 2^53', BIG_INTEGER],
];

/** Flips one byte of the body (the last one, or appends one to an empty body): a different request. */
export function changeOneByte(body: string): string {
	if (body === '') return ' ';
	const bytes = Buffer.from(body, 'utf8');
	bytes[bytes.length - 1] ^= 0x01; // every body here ends in an ASCII byte, so the result stays UTF-8
	return bytes.toString('utf8');
}
