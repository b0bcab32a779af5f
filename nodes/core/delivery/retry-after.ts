/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns the wait in milliseconds,
 * 0 for a date in the past, undefined when the value is absent or not one of the two forms.
 */

const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (typeof raw !== 'string') return undefined;
	const text = raw.trim();
	if (/^\d+(\.\d+)?$/.test(text)) {
		const seconds = Number(text);
		return Number.isFinite(seconds) ? Math.ceil(Math.min(seconds * 1000, Number.MAX_SAFE_INTEGER)) : undefined;
	}
	let dateMs = NaN;
	if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) dateMs = Date.parse(text);
	// asctime carries no zone but means GMT; Date.parse would read it as local time.
	else if (ASCTIME_DATE.test(text)) dateMs = Date.parse(`${text} GMT`);
	if (Number.isNaN(dateMs)) return undefined;
	return Math.max(0, dateMs - nowMs);
}
