import { MemoryDedupeStore, MemoryStoreRegistry, persistentView } from '../../../nodes/core/dedupe';

function clockedStore(maxKeys = 100) {
	const clock = { now: 1_700_000_000_000 };
	let tokens = 0;
	const store = new MemoryDedupeStore({ maxKeys, now: () => clock.now, newToken: () => `token-${++tokens}` });
	return { store, clock };
}

describe('MemoryDedupeStore check and record', () => {
	it('passes the first sighting and flags repeats with when the key was first seen', () => {
		const { store, clock } = clockedStore();
		const first = store.applySync([{ op: 'checkAndRecord', key: 'evt_1', ttlMs: 60_000 }]);
		expect(first).toEqual([{ status: 'new', firstSeenAt: clock.now, expiresAt: clock.now + 60_000 }]);
		const seenAt = clock.now;
		clock.now += 10_000;
		expect(store.applySync([{ op: 'checkAndRecord', key: 'evt_1', ttlMs: 60_000 }])).toEqual([
			{ status: 'duplicate', firstSeenAt: seenAt, state: 'recorded' },
		]);
	});

	it('handles repeats inside one batch in order', () => {
		const { store } = clockedStore();
		const outcomes = store.applySync(['a', 'b', 'a', 'a', 'c', 'b'].map((key) => ({ op: 'checkAndRecord' as const, key, ttlMs: 1000 })));
		expect(outcomes.map((o) => o.status)).toEqual(['new', 'new', 'duplicate', 'duplicate', 'new', 'duplicate']);
	});

	it('forgets a key when its window has passed', () => {
		const { store, clock } = clockedStore();
		store.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 5000 }]);
		clock.now += 4999;
		expect(store.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 5000 }])[0].status).toBe('duplicate');
		clock.now += 1;
		expect(store.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 5000 }])[0].status).toBe('new');
	});

	it('is bounded: beyond maxKeys the oldest key is evicted first', () => {
		const { store } = clockedStore(3);
		store.applySync(['k1', 'k2', 'k3', 'k4'].map((key) => ({ op: 'checkAndRecord' as const, key, ttlMs: 60_000 })));
		expect(store.size).toBe(3);
		expect(store.evicted).toBe(1);
		const again = store.applySync(['k2', 'k3', 'k4'].map((key) => ({ op: 'checkAndRecord' as const, key, ttlMs: 60_000 })));
		expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
		// k1 was evicted, so it counts as new again (and now evicts k2, the oldest).
		expect(store.applySync([{ op: 'checkAndRecord', key: 'k1', ttlMs: 60_000 }])[0].status).toBe('new');
		expect(store.applySync([{ op: 'checkAndRecord', key: 'k2', ttlMs: 60_000 }])[0].status).toBe('new');
	});

	it('drops expired keys before evicting live ones', () => {
		const { store, clock } = clockedStore(2);
		store.applySync([{ op: 'checkAndRecord', key: 'short', ttlMs: 1000 }]);
		store.applySync([{ op: 'checkAndRecord', key: 'long', ttlMs: 60_000 }]);
		clock.now += 2000;
		store.applySync([{ op: 'checkAndRecord', key: 'new', ttlMs: 60_000 }]);
		expect(store.evicted).toBe(0);
		expect(store.applySync([{ op: 'checkAndRecord', key: 'long', ttlMs: 60_000 }])[0].status).toBe('duplicate');
	});

	it('rejects a non-positive maxKeys', () => {
		expect(() => new MemoryDedupeStore({ maxKeys: 0 })).toThrow(RangeError);
	});
});

describe('MemoryDedupeStore claim, confirm and release', () => {
	it('claims with a lease; a second claim within the lease is a duplicate in progress', () => {
		const { store, clock } = clockedStore();
		const [claim] = store.applySync([{ op: 'claim', key: 'k', leaseMs: 30_000 }]);
		expect(claim).toEqual({ status: 'new', firstSeenAt: clock.now, expiresAt: clock.now + 30_000, claimToken: 'token-1' });
		expect(store.applySync([{ op: 'claim', key: 'k', leaseMs: 30_000 }])[0]).toEqual({ status: 'duplicate', firstSeenAt: clock.now, state: 'claimed' });
		expect(store.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 30_000 }])[0]).toMatchObject({ status: 'duplicate', state: 'claimed' });
	});

	it('confirm by the holder turns the claim into a record for the full window', () => {
		const { store, clock } = clockedStore();
		const claimedAt = clock.now;
		store.applySync([{ op: 'claim', key: 'k', leaseMs: 1000 }]);
		clock.now += 500;
		const [confirmed] = store.applySync([{ op: 'confirm', key: 'k', token: 'token-1', ttlMs: 86_400_000 }]);
		expect(confirmed).toEqual({ status: 'confirmed', firstSeenAt: claimedAt, expiresAt: clock.now + 86_400_000, afterLeaseExpired: false });
		clock.now += 10_000; // well past the lease
		expect(store.applySync([{ op: 'claim', key: 'k', leaseMs: 1000 }])[0]).toEqual({ status: 'duplicate', firstSeenAt: claimedAt, state: 'recorded' });
	});

	it('a lease that expires lets the next claim win, and the old holder can no longer confirm or release', () => {
		const { store, clock } = clockedStore();
		store.applySync([{ op: 'claim', key: 'k', leaseMs: 1000 }]);
		clock.now += 1000;
		const [second] = store.applySync([{ op: 'claim', key: 'k', leaseMs: 1000 }]);
		expect(second).toMatchObject({ status: 'new', claimToken: 'token-2' });
		expect(store.applySync([{ op: 'confirm', key: 'k', token: 'token-1', ttlMs: 5000 }])[0]).toMatchObject({ status: 'refused', reason: 'held-by-another', state: 'claimed' });
		expect(store.applySync([{ op: 'release', key: 'k', token: 'token-1' }])[0]).toMatchObject({ status: 'refused' });
		expect(store.applySync([{ op: 'claim', key: 'k', leaseMs: 1000 }])[0].status).toBe('duplicate');
	});

	it('confirm after the lease lapsed (and nobody else claimed) records the key', () => {
		const { store, clock } = clockedStore();
		store.applySync([{ op: 'claim', key: 'k', leaseMs: 1000 }]);
		clock.now += 5000;
		expect(store.applySync([{ op: 'confirm', key: 'k', token: 'token-1', ttlMs: 60_000 }])[0]).toMatchObject({ status: 'confirmed', afterLeaseExpired: true });
		expect(store.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }])[0]).toMatchObject({ status: 'duplicate', state: 'recorded' });
	});

	it('release by the holder forgets the key so the next delivery is new', () => {
		const { store } = clockedStore();
		store.applySync([{ op: 'claim', key: 'k', leaseMs: 60_000 }]);
		expect(store.applySync([{ op: 'release', key: 'k', token: 'token-1' }])[0]).toEqual({ status: 'released', wasPresent: true });
		expect(store.applySync([{ op: 'claim', key: 'k', leaseMs: 60_000 }])[0]).toMatchObject({ status: 'new', claimToken: 'token-2' });
	});

	it('release by a non-holder is refused and changes nothing', () => {
		const { store } = clockedStore();
		store.applySync([{ op: 'claim', key: 'k', leaseMs: 60_000 }]);
		expect(store.applySync([{ op: 'release', key: 'k', token: 'someone-else' }])[0]).toMatchObject({ status: 'refused', reason: 'held-by-another' });
		expect(store.applySync([{ op: 'release', key: 'k', token: '' }])[0]).toMatchObject({ status: 'refused' });
		expect(store.applySync([{ op: 'claim', key: 'k', leaseMs: 60_000 }])[0].status).toBe('duplicate');
	});

	it('a key recorded by check-and-record has no holder: nobody can release or confirm it', () => {
		const { store } = clockedStore();
		store.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }]);
		expect(store.applySync([{ op: 'release', key: 'k', token: '' }])[0].status).toBe('refused');
		expect(store.applySync([{ op: 'confirm', key: 'k', token: 'x', ttlMs: 1 }])[0].status).toBe('refused');
	});

	it('release of a key that already expired reports it was not present', () => {
		const { store, clock } = clockedStore();
		store.applySync([{ op: 'claim', key: 'k', leaseMs: 100 }]);
		clock.now += 100;
		expect(store.applySync([{ op: 'release', key: 'k', token: 'token-1' }])[0]).toEqual({ status: 'released', wasPresent: false });
	});
});

describe('MemoryDedupeStore persistence', () => {
	it('round-trips live entries through JSON and drops expired ones', () => {
		const { store, clock } = clockedStore();
		store.applySync([
			{ op: 'checkAndRecord', key: 'short', ttlMs: 1000 },
			{ op: 'checkAndRecord', key: 'long', ttlMs: 60_000 },
			{ op: 'claim', key: 'claimed', leaseMs: 60_000 },
		]);
		const json = JSON.stringify({ dedupe: persistentView(store) });
		clock.now += 2000;
		const restored = new MemoryDedupeStore({ maxKeys: 100, now: () => clock.now });
		expect(restored.mergePersisted(JSON.parse(json).dedupe)).toBe(2);
		const outcomes = restored.applySync([
			{ op: 'checkAndRecord', key: 'long', ttlMs: 60_000 },
			{ op: 'checkAndRecord', key: 'short', ttlMs: 60_000 },
			{ op: 'release', key: 'claimed', token: 'token-1' },
		]);
		expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'new', 'released']);
	});

	it('the view serialises the state at the moment of serialisation, not when it was handed out', () => {
		const { store } = clockedStore();
		const view = persistentView(store);
		store.applySync([{ op: 'checkAndRecord', key: 'later', ttlMs: 60_000 }]);
		const entries = JSON.parse((view.toJSON() as { entries: string }).entries) as unknown[][];
		expect(entries.map((row) => row[0])).toEqual(['later']);
		expect(Object.keys(view)).toEqual(['toJSON']);
	});

	it('merging keeps live entries, ignores malformed data and respects maxKeys', () => {
		const { store, clock } = clockedStore(2);
		store.applySync([{ op: 'checkAndRecord', key: 'live', ttlMs: 60_000 }]);
		const rows = [['old1', 'r', clock.now, clock.now + 60_000], ['live', 'c', 1, clock.now + 60_000, 'x'], ['old2', 'r', clock.now, clock.now + 60_000], ['bad']];
		expect(store.mergePersisted({ v: 1, entries: JSON.stringify(rows) })).toBe(2);
		expect(store.size).toBe(2);
		// old1 was the oldest and went first; the live entry kept its own state.
		expect(store.applySync([{ op: 'checkAndRecord', key: 'live', ttlMs: 1 }])[0]).toMatchObject({ state: 'recorded' });
		expect(store.mergePersisted({ v: 2, entries: '[]' })).toBe(0);
		expect(store.mergePersisted({ v: 1, entries: 'not json' })).toBe(0);
		expect(store.mergePersisted('nonsense')).toBe(0);
	});

	it('the registry gives one store per scope and hydrates each source only once', () => {
		const registry = new MemoryStoreRegistry();
		const a = registry.get('wf:1', 10);
		expect(registry.get('wf:1', 10)).toBe(a);
		expect(registry.get('wf:2', 10)).not.toBe(a);
		const persisted = { v: 1, entries: JSON.stringify([['k', 'r', Date.now(), Date.now() + 60_000]]) };
		expect(registry.hydrateOnce('wf:1', 'workflow-1', persisted)).toBe(1);
		a.applySync([{ op: 'checkAndRecord', key: 'k', ttlMs: 1 }]);
		expect(registry.hydrateOnce('wf:1', 'workflow-1', persisted)).toBe(0);
	});
});
