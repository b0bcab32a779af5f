import {
	DedupeStoreUnavailableError,
	DedupeStoreWriteRefusedError,
	retryWhileStoreUnavailable,
	waitsOutStoreOutage,
} from '../../../nodes/core/dedupe';

/** A fake clock: sleep(ms) moves it on and records the wait. */
function fakeClock() {
	let t = 1_000_000;
	const waits: number[] = [];
	return {
		waits,
		now: () => t,
		sleep: async (ms: number) => {
			waits.push(ms);
			t += ms;
		},
	};
}

const outage = () => new DedupeStoreUnavailableError('Redis at 127.0.0.1:6379 (database 0) is unreachable: connection refused');

describe('waiting out a store outage (Confirm and Release)', () => {
	it('only the operations that are safe to repeat wait', () => {
		expect(waitsOutStoreOutage('confirm')).toBe(true);
		expect(waitsOutStoreOutage('release')).toBe(true);
		expect(waitsOutStoreOutage('claim')).toBe(false);
		expect(waitsOutStoreOutage('checkAndRecord')).toBe(false);
	});

	it('retries an outage with 250 ms doubling to 2 s, and returns the first answer', async () => {
		const clock = fakeClock();
		let calls = 0;
		const answer = await retryWhileStoreUnavailable(
			async () => {
				calls++;
				if (calls < 7) throw outage();
				return 'confirmed';
			},
			{ budgetMs: 30_000, ...clock },
		);
		expect(answer).toBe('confirmed');
		expect(calls).toBe(7);
		expect(clock.waits).toEqual([250, 500, 1000, 2000, 2000, 2000]);
	});

	it('never waits past the budget, then throws the last outage', async () => {
		const clock = fakeClock();
		let calls = 0;
		const last = outage();
		const failure = await retryWhileStoreUnavailable(
			async () => {
				calls++;
				throw calls === 5 ? last : outage();
			},
			{ budgetMs: 3_000, ...clock },
		).catch((error: unknown) => error);
		expect(failure).toBe(last);
		// 250 + 500 + 1000 + 1250 (cut to the budget) = 3000, then one last try.
		expect(clock.waits).toEqual([250, 500, 1000, 1250]);
		expect(calls).toBe(5);
	});

	it('a budget of 0 tries once', async () => {
		const clock = fakeClock();
		let calls = 0;
		await expect(
			retryWhileStoreUnavailable(
				async () => {
					calls++;
					throw outage();
				},
				{ budgetMs: 0, ...clock },
			),
		).rejects.toThrow(/unreachable/);
		expect([calls, clock.waits]).toEqual([1, []]);
	});

	it('does not retry a refused write or any other error (waiting does not fix them)', async () => {
		for (const error of [new DedupeStoreWriteRefusedError('Redis at x refused the write: memory full', 'full'), new TypeError('bug')]) {
			const clock = fakeClock();
			let calls = 0;
			const failure = await retryWhileStoreUnavailable(
				async () => {
					calls++;
					throw error;
				},
				{ budgetMs: 30_000, ...clock },
			).catch((e: unknown) => e);
			expect([failure, calls, clock.waits]).toEqual([error, 1, []]);
		}
	});
});
