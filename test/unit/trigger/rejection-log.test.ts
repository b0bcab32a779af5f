import { REJECTION_INFO_INTERVAL_MS, RejectionLogThrottle } from '../../../nodes/SignedWebhookTrigger/rejectionLog';

describe('RejectionLogThrottle', () => {
	it('logs the first rejection per node and interval at info, the rest at debug, and counts them', () => {
		const throttle = new RejectionLogThrottle();
		const t0 = 1_000_000;
		expect(throttle.next('wf:a', t0)).toEqual({ info: true, suppressedSince: 0 });
		expect(throttle.next('wf:a', t0 + 1)).toEqual({ info: false, suppressedSince: 1 });
		expect(throttle.next('wf:a', t0 + 2)).toEqual({ info: false, suppressedSince: 2 });
		// Another node has its own interval.
		expect(throttle.next('wf:b', t0 + 3)).toEqual({ info: true, suppressedSince: 0 });
		expect(throttle.next('wf:a', t0 + REJECTION_INFO_INTERVAL_MS - 1)).toEqual({ info: false, suppressedSince: 3 });
		expect(throttle.next('wf:a', t0 + REJECTION_INFO_INTERVAL_MS)).toEqual({ info: true, suppressedSince: 3 });
		expect(throttle.next('wf:a', t0 + REJECTION_INFO_INTERVAL_MS + 1)).toEqual({ info: false, suppressedSince: 1 });
	});

	it('keeps at most maxNodes nodes; a forgotten node logs its next rejection at info', () => {
		const throttle = new RejectionLogThrottle(60_000, 2);
		throttle.next('one', 0);
		throttle.next('two', 0);
		throttle.next('three', 0);
		expect(throttle.next('one', 1)).toEqual({ info: true, suppressedSince: 0 });
		expect(throttle.next('three', 1)).toEqual({ info: false, suppressedSince: 1 });
	});
});
