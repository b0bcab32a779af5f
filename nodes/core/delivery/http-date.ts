/**
 * HTTP-date (RFC 9110 §5.6.7), read strictly: the preferred IMF-fixdate and the two obsolete forms a recipient
 * must still accept (RFC 850, asctime). `Date.parse` is not used because it rolls an impossible date over
 * (`Sat, 31 Feb 2026 06:02:00 GMT` becomes 3 March) and accepts many other shapes. Modelled on undici's
 * `parseHttpDate` (lib/util/date.js), which is not part of undici's public API and not one of our dependencies.
 */

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Names are case-sensitive in the grammar; so are these patterns.
const IMF_FIXDATE = /^([A-Z][a-z]{2}), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^([A-Z][a-z]+), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

interface DateParts {
	weekday: number;
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/**
 * Reads an HTTP-date and returns it as epoch milliseconds, or undefined when the text is not one of the three
 * forms or names a moment that does not exist (31 February, hour 24, a day name that does not match the date).
 * A leap second (`23:59:60`, only on 30 June or 31 December, where UTC inserts them) is accepted and read as the
 * following second; `:60` at any other time does not exist and is refused.
 *
 * @param text the header value, without surrounding whitespace.
 * @param nowMs epoch ms; only used to place the two-digit year of the RFC 850 form (a year more than 50 years
 *   ahead means the most recent past year with those digits, as RFC 9110 §5.6.7 requires).
 */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | undefined {
	let match: RegExpExecArray | null;
	let parts: DateParts | undefined;
	if ((match = IMF_FIXDATE.exec(text))) {
		const [, dayName, day, month, year, hour, minute, second] = match;
		parts = toParts(DAY_NAMES.indexOf(dayName), Number(year), month, day, hour, minute, second);
	} else if ((match = RFC850_DATE.exec(text))) {
		const [, dayName, day, month, shortYear, hour, minute, second] = match;
		parts = toParts(LONG_DAY_NAMES.indexOf(dayName), fullYear(Number(shortYear), nowMs), month, day, hour, minute, second);
	} else if ((match = ASCTIME_DATE.exec(text))) {
		const [, dayName, month, day, hour, minute, second, year] = match;
		parts = toParts(DAY_NAMES.indexOf(dayName), Number(year), month, day.trim(), hour, minute, second);
	}
	return parts ? toEpochMs(parts) : undefined;
}

function toParts(weekday: number, year: number, month: string, day: string, hour: string, minute: string, second: string): DateParts | undefined {
	const monthIndex = MONTHS.indexOf(month);
	if (weekday < 0 || monthIndex < 0) return undefined;
	return { weekday, year, month: monthIndex, day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
}

function fullYear(twoDigits: number, nowMs: number): number {
	const thisYear = new Date(nowMs).getUTCFullYear();
	const year = thisYear - (thisYear % 100) + twoDigits;
	return year > thisYear + 50 ? year - 100 : year;
}

function toEpochMs({ weekday, year, month, day, hour, minute, second }: DateParts): number | undefined {
	if (hour > 23 || minute > 59 || second > 60 || day < 1) return undefined;
	const leapSecondSlot = hour === 23 && minute === 59 && ((month === 5 && day === 30) || (month === 11 && day === 31));
	if (second === 60 && !leapSecondSlot) return undefined;
	const date = new Date(0);
	// setUTCFullYear, unlike Date.UTC, does not move years 0-99 into the 1900s.
	date.setUTCFullYear(year, month, day);
	// A day past the end of the month rolls over into the next one: that is the impossible date to refuse.
	if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
	if (date.getUTCDay() !== weekday) return undefined;
	date.setUTCHours(hour, minute, second, 0);
	return date.getTime();
}
