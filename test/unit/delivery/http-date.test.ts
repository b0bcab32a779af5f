/** HTTP-date read strictly (RFC 9110 §5.6.7). Valid examples are the RFC's own; invalid ones are dates that do not exist. */
import { parseHttpDate, parseRetryAfter } from '../../../nodes/core/delivery';

const RFC_EXAMPLE_MS = Date.UTC(1994, 10, 6, 8, 49, 37); // "Sun, 06 Nov 1994 08:49:37 GMT"
const NOW_2026 = Date.UTC(2026, 1, 27, 6, 0, 0);

describe('parseHttpDate', () => {
	it.each([
		['Sun, 06 Nov 1994 08:49:37 GMT', 'IMF-fixdate'],
		['Sunday, 06-Nov-94 08:49:37 GMT', 'obsolete RFC 850'],
		['Sun Nov  6 08:49:37 1994', 'obsolete asctime, one-digit day'],
	])('reads RFC 9110 §5.6.7 example %p (%s)', (text) => {
		expect(parseHttpDate(text, NOW_2026)).toBe(RFC_EXAMPLE_MS);
	});

	it('reads a leap day that exists and refuses one that does not', () => {
		expect(parseHttpDate('Thu, 29 Feb 2024 12:00:00 GMT')).toBe(Date.UTC(2024, 1, 29, 12));
		expect(parseHttpDate('Mon, 29 Feb 2027 12:00:00 GMT')).toBeUndefined();
	});

	it.each([
		// Issue 10: Date.parse takes this as 3 March 2026.
		'Sat, 31 Feb 2026 06:02:00 GMT',
		'Thu, 31 Apr 2026 06:02:00 GMT',
		'Sun, 00 Nov 1994 08:49:37 GMT',
		'Sun, 32 Oct 1994 08:49:37 GMT',
		'Sun, 06 Nov 1994 24:00:00 GMT',
		'Sun, 06 Nov 1994 08:60:00 GMT',
		'Sun, 06 Nov 1994 08:49:61 GMT',
		// A day name that does not match the date: the text contradicts itself.
		'Mon, 06 Nov 1994 08:49:37 GMT',
		'Monday, 06-Nov-94 08:49:37 GMT',
		'Mon Nov  6 08:49:37 1994',
		// Shapes the grammar does not allow.
		'Sun, 6 Nov 1994 08:49:37 GMT',
		'sun, 06 nov 1994 08:49:37 GMT',
		'Sun, 06 Nov 1994 08:49:37 UTC',
		'Sun, 06 Nov 1994 08:49:37 +0000',
		'Sun, 06 Xyz 1994 08:49:37 GMT',
		'1994-11-06T08:49:37Z',
		'Sun Nov 06 08:49:37 1994 GMT',
		'',
	])('refuses %p', (text) => {
		expect(parseHttpDate(text, NOW_2026)).toBeUndefined();
	});

	it('accepts a leap second as the second that follows', () => {
		expect(parseHttpDate('Wed, 31 Dec 2016 23:59:60 GMT')).toBeUndefined(); // 31 Dec 2016 was a Saturday
		expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT')).toBe(Date.UTC(2017, 0, 1, 0, 0, 0));
		expect(parseHttpDate('Tue, 30 Jun 2015 23:59:60 GMT')).toBe(Date.UTC(2015, 6, 1, 0, 0, 0));
		// :60 exists only at the end of 30 June or 31 December (reviewer's inputs).
		expect(parseHttpDate('Sun, 29 Nov 2026 14:05:60 GMT')).toBeUndefined();
		expect(parseHttpDate('Sun, 29 Nov 2026 23:59:60 GMT')).toBeUndefined();
		expect(parseHttpDate('Sunday, 29-Nov-26 14:05:60 GMT', Date.UTC(2026, 10, 29))).toBeUndefined();
		expect(parseHttpDate('Sun Nov 29 14:05:60 2026')).toBeUndefined();
	});

	it('places an RFC 850 two-digit year more than 50 years ahead in the past century (RFC 9110 §5.6.7)', () => {
		expect(parseHttpDate('Wednesday, 26-Feb-76 00:00:00 GMT', NOW_2026)).toBe(Date.UTC(2076, 1, 26));
		expect(parseHttpDate('Saturday, 26-Feb-77 00:00:00 GMT', NOW_2026)).toBe(Date.UTC(1977, 1, 26));
		expect(parseHttpDate('Thursday, 26-Feb-26 00:00:00 GMT', NOW_2026)).toBe(Date.UTC(2026, 1, 26));
	});
});

describe('parseRetryAfter with an impossible date', () => {
	it('ignores Sat, 31 Feb 2026 06:02:00 GMT (issue 10) so the caller falls back to its backoff', () => {
		expect(parseRetryAfter('Sat, 31 Feb 2026 06:02:00 GMT', NOW_2026)).toBeUndefined();
		// The same instant written correctly is read: 3 March 2026 was a Tuesday.
		expect(parseRetryAfter('Tue, 03 Mar 2026 06:02:00 GMT', NOW_2026)).toBe(Date.UTC(2026, 2, 3, 6, 2) - NOW_2026);
	});

	it('keeps a 3600 s wait whole', () => {
		expect(parseRetryAfter('3600', NOW_2026)).toBe(3_600_000);
	});
});
