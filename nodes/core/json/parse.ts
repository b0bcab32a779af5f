/** JSON parsing that never changes a number: the one parse every part of the package uses for received JSON. */
import { isSafeNumber, parse } from 'lossless-json';

/**
 * A numeric-looking run of 16 or more characters, or an exponent of three or more digits. A JSON number with neither
 * has at most 15 significant digits and an exponent below 100, which a double always holds exactly, so plain
 * `JSON.parse` is exact for it (the fast path). `1e400` (overflows to Infinity) and `1e-400` (underflows to 0)
 * take the exact path.
 */
const LONG_NUMBER = /[0-9][0-9.eE+-]{15}|[eE][+-]?[0-9]{3}/;

/**
 * Parses JSON text like `JSON.parse`, except that a number a JavaScript number cannot hold exactly
 * (an integer beyond ±2^53 − 1 such as `8202522731445525542`, a decimal with more digits than a double keeps,
 * or one that overflows) comes back as a string with its exact digits, so no two different values
 * become one. Every other number is a plain number.
 *
 * @param text JSON text (a leading byte-order mark is ignored).
 * @returns the parsed value.
 * @throws SyntaxError when the text is not JSON.
 */
export function parseJsonExact(text: string): unknown {
	const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (!LONG_NUMBER.test(source)) return JSON.parse(source) as unknown;
	return parse(source, null, exactNumber);
}

function exactNumber(digits: string): number | string {
	return isSafeNumber(digits) ? Number(digits) : digits;
}
