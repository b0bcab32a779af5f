import { parseRetryAfter } from '../../../nodes/core/delivery';

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT

describe('parseRetryAfter', () => {
	it.each([
		['120', 120_000],
		['0', 0],
		[' 3 ', 3_000],
		['1.5', 1_500],
	])('delay-seconds %p → %p ms', (value, expected) => {
		expect(parseRetryAfter(value, NOW)).toBe(expected);
	});

	it('reads the IMF-fixdate example of RFC 9110 relative to now', () => {
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:45 GMT', NOW)).toBe(45_000);
	});

	it('reads the obsolete RFC 850 and asctime forms, asctime as GMT', () => {
		expect(parseRetryAfter('Wednesday, 21-Oct-15 07:29:00 GMT', NOW)).toBe(60_000);
		expect(parseRetryAfter('Wed Oct 21 07:28:10 2015', NOW)).toBe(10_000);
	});

	it('a date in the past means no wait', () => {
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', NOW)).toBe(0);
	});

	it('takes the first of repeated headers', () => {
		expect(parseRetryAfter(['2', '9'], NOW)).toBe(2_000);
	});

	it.each([undefined, '', 'soon', '-5', '5 apples', '2015-10-21T07:28:45Z', 'Wed, 21 Oct 2015 07:28:45 PST', '1e3'])(
		'ignores %p',
		(value) => {
			expect(parseRetryAfter(value, NOW)).toBeUndefined();
		},
	);
});
