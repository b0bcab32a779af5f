import { buildRejection, checkBodySize, REJECTION_STATUS, rejectionStatus } from '../../../nodes/core/http';

describe('buildRejection', () => {
	it.each([
		['missing_signature', 401],
		['malformed_signature', 401],
		['invalid_signature', 401],
		['missing_timestamp', 401],
		['timestamp_out_of_tolerance', 401],
		['ip_not_allowed', 403],
		['body_too_large', 413],
		['rate_limited', 429],
		['method_not_allowed', 405],
		['event_not_allowed', 200],
	])('%s → %i with { error, message }', (code, status) => {
		const rejection = buildRejection(code);
		expect(rejection.status).toBe(status);
		expect(rejection.body.error).toBe(code);
		expect(typeof rejection.body.message).toBe('string');
		expect(rejection.body.message.length).toBeGreaterThan(0);
		expect(Object.keys(rejection.body).sort()).toEqual(['error', 'message']);
	});

	it('sets Retry-After on 429, rounded up and at least 1', () => {
		expect(buildRejection('rate_limited', { retryAfterSeconds: 7 }).headers).toEqual({ 'Retry-After': '7' });
		expect(buildRejection('rate_limited', { retryAfterSeconds: 0.2 }).headers).toEqual({ 'Retry-After': '1' });
		expect(buildRejection('rate_limited').headers).toEqual({ 'Retry-After': '1' });
	});

	it('sets Allow on 405', () => {
		expect(buildRejection('method_not_allowed', { allow: ['POST'] }).headers).toEqual({ Allow: 'POST' });
	});

	it('maps an unknown verification reason to 401 and keeps the code', () => {
		expect(rejectionStatus('some_future_reason')).toBe(401);
		expect(buildRejection('some_future_reason').body.error).toBe('some_future_reason');
	});

	it('the answers at the door are in the one table: statuses, and Retry-After on every 503 and 429', () => {
		expect({ duplicate_delivery: REJECTION_STATUS.duplicate_delivery, delivery_in_progress: REJECTION_STATUS.delivery_in_progress, repeat_store_unavailable: REJECTION_STATUS.repeat_store_unavailable, condition_not_met: REJECTION_STATUS.condition_not_met }).toEqual({
			duplicate_delivery: 200,
			delivery_in_progress: 503,
			repeat_store_unavailable: 503,
			condition_not_met: 200,
		});
		for (const code of Object.keys(REJECTION_STATUS)) {
			const answer = buildRejection(code, { retryAfterSeconds: 2.2 });
			expect(answer.headers['Retry-After']).toBe(answer.status === 503 || answer.status === 429 ? '3' : undefined);
		}
	});

	it('every code has a status in the 2xx-5xx range', () => {
		for (const status of Object.values(REJECTION_STATUS)) expect(status >= 200 && status < 600).toBe(true);
	});
});

describe('checkBodySize', () => {
	it('no limit when max is 0', () => {
		expect(checkBodySize(0, 10_000_000, '10000000')).toEqual({ ok: true });
	});
	it('accepts exactly the limit and refuses one byte more', () => {
		expect(checkBodySize(1024, 1024, '1024').ok).toBe(true);
		expect(checkBodySize(1024, 1025).ok).toBe(false);
	});
	it('refuses on the declared Content-Length even before reading', () => {
		expect(checkBodySize(1024, undefined, '2048')).toEqual({ ok: false, declaredBytes: 2048, actualBytes: undefined });
	});
	it('a lying Content-Length does not hide a large body', () => {
		expect(checkBodySize(1024, 4096, '10').ok).toBe(false);
	});
	it('ignores a malformed Content-Length and uses the bytes read', () => {
		expect(checkBodySize(1024, 100, 'abc').ok).toBe(true);
		expect(checkBodySize(1024, 100, ['2000']).ok).toBe(false);
	});
});
