import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { connectRedis } from '../../../nodes/core/dedupe';
import { freePort, sleep } from '../../harness/processes';
import { REDIS_SERVERS, startFlightCountingProxy, startRedis, type RedisServer } from '../../harness/redis';
import { delivery, execute, newExecution } from './node-context';

jest.setTimeout(60_000);

const info = (item: { json: IDataObject }) => item.json.dedupe as IDataObject;
const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => (item.json.verification as IDataObject).deliveryId);
let workflowCounter = 0;
const freshWorkflowId = () => `wf-node-test-${++workflowCounter}`;

describe('Dedupe node with the built-in store', () => {
	it('routes first sightings to New and repeats to Duplicate, keeping pairedItem, order and firstSeenAt', async () => {
		const harness = newExecution({ workflowId: freshWorkflowId() });
		const run = await execute(harness, [delivery('a'), delivery('b'), delivery('a', { n: 3 }), delivery('c'), delivery('b')]);
		expect(ids(run.New)).toEqual(['a', 'b', 'c']);
		expect(ids(run.Duplicate)).toEqual(['a', 'b']);
		expect(run.New.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
		expect(run.Duplicate.map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 4 }]);
		expect(run.Duplicate[0].json.n).toBe(3);
		expect(info(run.Duplicate[0])).toMatchObject({ key: 'a', status: 'duplicate', state: 'processed', firstSeenAt: info(run.New[0]).firstSeenAt });
		expect(new Date(info(run.Duplicate[0]).firstSeenAt as string).getTime()).not.toBeNaN();
	});

	it('lets exactly 1 of 50 concurrent executions with the same key through', async () => {
		const workflowId = freshWorkflowId();
		const runs = await Promise.all(Array.from({ length: 50 }, () => execute(newExecution({ workflowId }), [delivery('same')])));
		expect(runs.reduce((sum, run) => sum + run.New.length, 0)).toBe(1);
		expect(runs.reduce((sum, run) => sum + run.Duplicate.length, 0)).toBe(49);
	});

	it('derives keys from chosen fields or the whole item, regardless of key order', async () => {
		const harness = newExecution({ workflowId: freshWorkflowId() });
		const byFields = await execute(
			harness,
			[{ json: { body: { id: 1, type: 'x' }, at: 1 } }, { json: { at: 2, body: { type: 'x', id: 1 } } }, { json: { body: { id: 2, type: 'x' } } }],
			{ keySource: 'fields', fields: 'body.id, body.type' },
		);
		expect(byFields.New.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(info(byFields.New[0]).key).toMatch(/^[0-9a-f]{64}$/);
		const byItem = await execute(newExecution({ workflowId: freshWorkflowId() }), [{ json: { a: 1, b: { c: 2, d: 3 } } }, { json: { b: { d: 3, c: 2 }, a: 1 } }], { keySource: 'item' });
		expect(byItem.New).toHaveLength(1);
		expect(byItem.Duplicate).toHaveLength(1);
	});

	// Issue 10, kinds 3 and 4: the trigger emits integers beyond 2^53 as their exact digits (text), and a Code node may
	// put Date objects in items. Order ids from the bug report (8202522731445525542 and ...543 were one key before).
	const bigOrders = [{ json: { order_id: '8202522731445525542' } }, { json: { order_id: '8202522731445525543' } }, { json: { order_id: '8202522731445525542' } }];
	const datedItems = [
		{ json: { order: 1, at: new Date('2026-03-01T10:00:00.000Z') } },
		{ json: { order: 1, at: new Date('2026-03-01T10:00:00.001Z') } },
		{ json: { order: 1, at: new Date('2026-03-01T10:00:00.000Z') } },
	];
	it.each([
		['big integers', 'expression', bigOrders, { key: (item: { json: IDataObject }) => item.json.order_id }],
		['big integers', 'fields', bigOrders, { fields: 'order_id' }],
		['big integers', 'item', bigOrders, {}],
		['Dates', 'expression', datedItems, { key: (item: { json: IDataObject }) => item.json.at }],
		['Dates', 'fields', datedItems, { fields: 'at' }],
		['Dates', 'item', datedItems, {}],
	])('two items differing only in %s are two New outputs by %s key; the repeat of the first is a Duplicate', async (_what, keySource, items, extra) => {
		const run = await execute(newExecution({ workflowId: freshWorkflowId() }), items as never, { keySource, ...extra });
		expect(run.New.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(run.Duplicate.map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
		expect(info(run.New[0]).key).not.toBe(info(run.New[1]).key);
		expect(info(run.Duplicate[0]).key).toBe(info(run.New[0]).key);
	});

	it('an item with no key fails with a clear error, or passes as new when chosen, or is kept with its error', async () => {
		await expect(execute(newExecution({ workflowId: freshWorkflowId() }), [delivery('a'), { json: { other: 1 } }])).rejects.toThrow('This item has no dedupe key');
		const passed = await execute(newExecution({ workflowId: freshWorkflowId() }), [{ json: { other: 1 } }], { onMissingKey: 'passAsNew' });
		expect(passed.New).toHaveLength(1);
		expect(info(passed.New[0])).toEqual({ key: null, status: 'noKey' });
		const kept = await execute(newExecution({ workflowId: freshWorkflowId() }), [delivery(''), delivery('ok')], {}, { continueOnFail: true });
		expect(ids(kept.New)).toEqual(['ok']);
		expect(kept.Duplicate).toHaveLength(1);
		expect(kept.Duplicate[0].json.error).toBe('This item has no dedupe key');
		expect(kept.Duplicate[0].pairedItem).toEqual({ item: 0 });
	});

	it('keeps separate histories per node, and a named namespace shared across workflows', async () => {
		const first = await execute(newExecution({ workflowId: freshWorkflowId(), nodeId: 'n1' }), [delivery('k')]);
		const otherNode = await execute(newExecution({ workflowId: freshWorkflowId(), nodeId: 'n2' }), [delivery('k')]);
		expect(first.New).toHaveLength(1);
		expect(otherNode.New).toHaveLength(1);
		const ns = { scope: 'namespace', namespace: `shared-${workflowCounter}` };
		expect((await execute(newExecution({ workflowId: freshWorkflowId() }), [delivery('k')], ns)).New).toHaveLength(1);
		expect((await execute(newExecution({ workflowId: freshWorkflowId() }), [delivery('k')], ns)).Duplicate).toHaveLength(1);
	});

	it('saves its state in workflow static data; a restarted process (fresh module) still sees the keys', async () => {
		const workflowId = freshWorkflowId();
		const execA = newExecution({ workflowId });
		const execB = newExecution({ workflowId });
		await execute(execA, [delivery('from-A')]);
		await execute(execB, [delivery('from-B')]);
		// A finishes (and saves) after B: its save must still hold B's key, not the snapshot A started from.
		const saved = execA.savedStaticData();
		expect(saved).toBeDefined();
		expect(saved).toContain('from-B');
		const unchanged = newExecution({ workflowId, staticDataJson: saved });
		await execute(unchanged, [delivery('from-A')]);
		expect(unchanged.savedStaticData()).toBeUndefined(); // only duplicates: nothing to write

		let restartedModule: typeof import('../../../nodes/Dedupe/Dedupe.node') | undefined;
		jest.isolateModules(() => {
			restartedModule = require('../../../nodes/Dedupe/Dedupe.node');
		});
		const afterRestart = await execute(newExecution({ workflowId, staticDataJson: saved, nodeModule: restartedModule }), [
			delivery('from-A'),
			delivery('from-B'),
			delivery('from-C'),
		]);
		expect(ids(afterRestart.Duplicate)).toEqual(['from-A', 'from-B']);
		expect(ids(afterRestart.New)).toEqual(['from-C']);
	});

	it('is bounded: with Max Keys 3 the oldest key is forgotten first', async () => {
		const harness = newExecution({ workflowId: freshWorkflowId() });
		await execute(harness, ['k1', 'k2', 'k3', 'k4'].map((id) => delivery(id)), { maxKeys: 3 });
		const again = await execute(harness, ['k4', 'k3', 'k2', 'k1'].map((id) => delivery(id)), { maxKeys: 3 });
		expect(ids(again.Duplicate)).toEqual(['k4', 'k3', 'k2']);
		expect(ids(again.New)).toEqual(['k1']);
	});

	it('claim, confirm and release through the node; a release with the wrong token is refused', async () => {
		const workflowId = freshWorkflowId();
		const claimed = await execute(newExecution({ workflowId }), [delivery('k')], { operation: 'claim' });
		expect(info(claimed.New[0])).toMatchObject({ key: 'k', status: 'claimed', claimToken: expect.any(String) });
		const inProgress = await execute(newExecution({ workflowId }), [delivery('k')], { operation: 'claim' });
		expect(info(inProgress.Duplicate[0])).toMatchObject({ status: 'duplicate', state: 'inProgress' });
		const keyParam = { key: (item: { json: IDataObject }) => info(item).key };
		await expect(
			execute(newExecution({ workflowId }), [{ json: { dedupe: { key: 'k', claimToken: 'forged' } } }], { operation: 'release', ...keyParam }),
		).rejects.toThrow('Release refused: the key is held by another claim');
		const released = await execute(newExecution({ workflowId }), claimed.New, { operation: 'release', ...keyParam });
		expect(info(released.New[0])).toEqual({ key: 'k', status: 'released', wasPresent: true });
		const reclaimed = await execute(newExecution({ workflowId }), [delivery('k')], { operation: 'claim' });
		expect(reclaimed.New).toHaveLength(1);
		const confirmed = await execute(newExecution({ workflowId }), reclaimed.New, { operation: 'confirm', ...keyParam });
		expect(info(confirmed.New[0])).toMatchObject({ status: 'confirmed', afterLeaseExpired: false });
		const later = await execute(newExecution({ workflowId }), [delivery('k')]);
		expect(info(later.Duplicate[0])).toMatchObject({ state: 'processed' });
		await expect(execute(newExecution({ workflowId }), [{ json: { dedupe: { key: 'k' } } }], { operation: 'confirm', ...keyParam })).rejects.toThrow(
			'Confirm needs the claim token',
		);
	});

	it('a Confirm with a token nobody holds, after another run recorded the key (a failed-open copy), says so', async () => {
		const workflowId = freshWorkflowId();
		const claimed = await execute(newExecution({ workflowId }), [delivery('copy')], { operation: 'claim' });
		const keyParam = { key: (item: { json: IDataObject }) => info(item).key };
		await execute(newExecution({ workflowId }), claimed.New, { operation: 'confirm', ...keyParam });
		const copy = { json: { dedupe: { key: 'copy', status: 'failOpen', claimToken: 'token-of-a-failed-open-claim' } } };
		const failure = await execute(newExecution({ workflowId }), [copy], { operation: 'confirm', ...keyParam }).then(
			() => undefined,
			(error: unknown) => error as NodeOperationError,
		);
		expect(failure?.message).toBe('Confirm refused: the key was already recorded as processed by another run; nothing was changed');
		expect(failure?.description).toMatch(/its Claim failed open .* This run's work was a second copy/);
		expect(JSON.stringify(failure)).not.toContain('token-of-a-failed-open-claim');
	});
});

/** n8n's queue mode as the node sees it in a worker or a main started with EXECUTIONS_MODE=queue. */
function inQueueMode(): () => void {
	const before = process.env.EXECUTIONS_MODE;
	process.env.EXECUTIONS_MODE = 'queue';
	return () => {
		if (before === undefined) delete process.env.EXECUTIONS_MODE;
		else process.env.EXECUTIONS_MODE = before;
	};
}

describe('Dedupe node with the built-in store in queue mode', () => {
	let leaveQueueMode: (() => void) | undefined;
	afterEach(() => {
		leaveQueueMode?.();
		leaveQueueMode = undefined;
	});

	it('refuses with a clear error that names the Redis store, and records nothing', async () => {
		const workflowId = freshWorkflowId();
		const harness = newExecution({ workflowId });
		leaveQueueMode = inQueueMode();
		const error = await execute(harness, [delivery('q1'), delivery('q2')]).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/^The built-in store does not work in queue mode: it keeps keys per n8n process/);
		expect((error as NodeOperationError).message).toMatch(/Choose the Redis store\.$/);
		expect((error as NodeOperationError).description).toMatch(/EXECUTIONS_MODE=queue/);
		expect(harness.savedStaticData()).toBeUndefined();
		leaveQueueMode();
		leaveQueueMode = undefined;
		// Nothing was recorded: out of queue mode the same keys are still new.
		expect(ids((await execute(newExecution({ workflowId }), [delivery('q1'), delivery('q2')])).New)).toEqual(['q1', 'q2']);
	});

	it.each(['checkAndRecord', 'claim'])(
		'%s with Continue On Fail: every item goes to Duplicate with the error, none to New, whatever the fail-open setting',
		async (operation) => {
			leaveQueueMode = inQueueMode();
			const run = await execute(
				newExecution({ workflowId: freshWorkflowId() }),
				[delivery('a'), delivery('b'), { json: { other: 1 } }],
				{ operation, onStoreError: 'passAsNew', onMissingKey: 'passAsNew' },
				{ continueOnFail: true },
			);
			expect(run.New).toEqual([]);
			expect(run.Duplicate.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			for (const item of run.Duplicate) {
				expect(info(item)).toEqual({ key: null, status: 'error' });
				expect(item.json.error).toMatch(/built-in store does not work in queue mode/);
				expect(item.error).toBeInstanceOf(NodeOperationError);
			}
		},
	);
});

describe.each(REDIS_SERVERS)('Dedupe node with the Redis store (real %s server)', (kind) => {
	let server: RedisServer;
	const credentialsFor = (port: number, extra: IDataObject = {}): IDataObject => ({
		host: '127.0.0.1',
		port,
		database: 0,
		user: '',
		password: '',
		tls: false,
		prefix: 'node-test:',
		...extra,
	});
	const redis = { store: 'redis' };

	beforeAll(async () => {
		server = await startRedis({ server: kind });
	});
	afterAll(async () => {
		const { sharedRedisPool } = await import('../../../nodes/core/dedupe');
		await sharedRedisPool.closeAll();
		await server?.stop();
	});

	it('lets exactly 1 of 50 concurrent executions with the same key through', async () => {
		const workflowId = freshWorkflowId();
		const credentials = credentialsFor(server.port);
		const runs = await Promise.all(Array.from({ length: 50 }, () => execute(newExecution({ workflowId }), [delivery('same')], redis, { credentials })));
		expect(runs.reduce((sum, run) => sum + run.New.length, 0)).toBe(1);
		expect(runs.reduce((sum, run) => sum + run.Duplicate.length, 0)).toBe(49);
		const client = await connectRedis({ host: '127.0.0.1', port: server.port, database: 0, tls: false });
		expect(await client.keys(`node-test:wf:${workflowId}:node:node-1:same`)).toHaveLength(1);
		client.disconnect();
	});

	it('two orders whose ids differ only beyond 2^53 are two New outputs (whole-item hash)', async () => {
		const credentials = credentialsFor(server.port);
		const items = [{ json: { order_id: '8202522731445525542' } }, { json: { order_id: '8202522731445525543' } }, { json: { order_id: '8202522731445525543' } }];
		const run = await execute(newExecution({ workflowId: freshWorkflowId() }), items, { ...redis, keySource: 'item' }, { credentials });
		expect(run.New.map((item) => item.json.order_id)).toEqual(['8202522731445525542', '8202522731445525543']);
		expect(run.Duplicate.map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
	});

	it('runs as usual in queue mode: the Redis store is the one for workers', async () => {
		const workflowId = freshWorkflowId();
		const credentials = credentialsFor(server.port);
		const leaveQueueMode = inQueueMode();
		try {
			const run = await execute(newExecution({ workflowId }), [delivery('qr'), delivery('qr')], redis, { credentials });
			expect(ids(run.New)).toEqual(['qr']);
			expect(info(run.Duplicate[0])).toMatchObject({ key: 'qr', status: 'duplicate' });
		} finally {
			leaveQueueMode();
		}
	});

	it('sends a batch of 100 items as one round trip', async () => {
		const proxy = await startFlightCountingProxy(server.port);
		try {
			const credentials = credentialsFor(proxy.port);
			const workflowId = freshWorkflowId();
			await execute(newExecution({ workflowId }), [delivery('warm-up')], redis, { credentials });
			const before = proxy.flights;
			const run = await execute(newExecution({ workflowId }), Array.from({ length: 100 }, (_, i) => delivery(`k${i % 60}`)), redis, { credentials });
			expect(proxy.flights - before).toBe(1);
			expect(run.New).toHaveLength(60);
			expect(run.Duplicate).toHaveLength(40);
		} finally {
			await proxy.close();
		}
	});

	it('claim then release by the holder lets the next redelivery through; a non-holder is refused', async () => {
		const workflowId = freshWorkflowId();
		const credentials = credentialsFor(server.port);
		const keyParam = { key: (item: { json: IDataObject }) => info(item).key };
		const claimed = await execute(newExecution({ workflowId }), [delivery('r')], { ...redis, operation: 'claim' }, { credentials });
		const forged = await execute(
			newExecution({ workflowId }),
			[{ json: { dedupe: { key: 'r', claimToken: 'forged' } } }],
			{ ...redis, operation: 'release', ...keyParam },
			{ credentials, continueOnFail: true },
		);
		expect(forged.Duplicate[0].json.error).toMatch(/Release refused/);
		expect((await execute(newExecution({ workflowId }), [delivery('r')], { ...redis, operation: 'claim' }, { credentials })).Duplicate).toHaveLength(1);
		await execute(newExecution({ workflowId }), claimed.New, { ...redis, operation: 'release', ...keyParam }, { credentials });
		expect((await execute(newExecution({ workflowId }), [delivery('r')], { ...redis, operation: 'claim' }, { credentials })).New).toHaveLength(1);
	});

	it('unreachable Redis: fails closed with a clear error, keeps items with continueOnFail, or fails open when chosen', async () => {
		const deadPort = await freePort();
		const credentials = credentialsFor(deadPort, { password: 'do-not-leak-me' });
		const items = [delivery('x'), delivery('y')];
		const failure = await execute(newExecution({ workflowId: freshWorkflowId() }), items, redis, { credentials }).catch((e: Error) => e);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(new RegExp(`^Dedupe store unavailable: Redis at 127\\.0\\.0\\.1:${deadPort} \\(database 0\\) is unreachable: connection refused$`));
		expect((failure as Error).message).not.toContain('do-not-leak-me');

		const kept = await execute(newExecution({ workflowId: freshWorkflowId() }), items, redis, { credentials, continueOnFail: true });
		expect(kept.New).toHaveLength(0);
		expect(kept.Duplicate.map((i) => [i.pairedItem, info(i).status])).toEqual([[{ item: 0 }, 'error'], [{ item: 1 }, 'error']]);
		expect(kept.Duplicate[0].json.error).toMatch(/Dedupe store unavailable/);

		const open = await execute(newExecution({ workflowId: freshWorkflowId() }), items, { ...redis, onStoreError: 'passAsNew' }, { credentials });
		expect(open.New).toHaveLength(2);
		expect(info(open.New[0])).toMatchObject({ key: 'x', status: 'failOpen', storeError: expect.stringMatching(/unreachable/) });
	});

	it('a Redis that goes away after connecting fails the next batch fast instead of queueing it', async () => {
		const own = await startRedis({ server: kind });
		const credentials = credentialsFor(own.port);
		const workflowId = freshWorkflowId();
		try {
			expect((await execute(newExecution({ workflowId }), [delivery('a')], redis, { credentials })).New).toHaveLength(1);
			await own.kill();
			await expect(execute(newExecution({ workflowId }), [delivery('b')], redis, { credentials })).rejects.toThrow(/Dedupe store unavailable: Redis at 127\.0\.0\.1:\d+ .*unreachable/);
			await own.start();
			// The pool replaces or reconnects the client; the key recorded before is still there (append-only file).
			let run;
			for (let attempt = 0; attempt < 100; attempt++) {
				run = await execute(newExecution({ workflowId }), [delivery('a')], redis, { credentials }).catch(() => undefined);
				if (run) break;
				await sleep(50);
			}
			expect(run?.Duplicate).toHaveLength(1);
		} finally {
			await own.stop();
		}
	});

	it('Confirm waits out a Redis restart and confirms (no copy from the sender\'s retry); with no wait it fails at once; a failed-open Claim\'s token confirms too', async () => {
		const own = await startRedis({ server: kind });
		const credentials = credentialsFor(own.port);
		const workflowId = freshWorkflowId();
		const keyParam = { key: (item: { json: IDataObject }) => info(item).key };
		try {
			const claimed = await execute(newExecution({ workflowId }), [delivery('w')], { ...redis, operation: 'claim', lease: 60, leaseUnit: 'seconds' }, { credentials });
			expect(claimed.New).toHaveLength(1);
			await own.kill();
			const failedAt = Date.now();
			await expect(
				execute(newExecution({ workflowId }), claimed.New, { ...redis, operation: 'confirm', storeOutageWait: 0, ...keyParam }, { credentials }),
			).rejects.toThrow(/Dedupe store unavailable: Redis at 127\.0\.0\.1:\d+ .*unreachable/);
			expect(Date.now() - failedAt).toBeLessThan(5_000);

			// A Claim that fails open carries a fresh token, so its Confirm records the key once Redis is back.
			const failedOpen = await execute(newExecution({ workflowId }), [delivery('open')], { ...redis, operation: 'claim', onStoreError: 'passAsNew' }, { credentials });
			expect(failedOpen.New.map((item) => [info(item).status, typeof info(item).claimToken])).toEqual([['failOpen', 'string']]);

			const confirming = execute(newExecution({ workflowId }), claimed.New, { ...redis, operation: 'confirm', storeOutageWait: 30, ...keyParam }, { credentials });
			await sleep(1500);
			await own.start();
			const confirmed = await confirming;
			expect(confirmed.New.map((item) => info(item).status)).toEqual(['confirmed']);
			// The claim survived the restart (append-only file) and is now recorded: the sender's retry is a duplicate.
			const retry = await execute(newExecution({ workflowId }), [delivery('w')], { ...redis, operation: 'claim' }, { credentials });
			expect(retry.Duplicate.map((item) => info(item).status)).toEqual(['duplicate']);
			const openConfirmed = await execute(newExecution({ workflowId }), failedOpen.New, { ...redis, operation: 'confirm', ...keyParam }, { credentials });
			expect(openConfirmed.New.map((item) => [info(item).status, info(item).afterLeaseExpired])).toEqual([['confirmed', true]]);
			const openRetry = await execute(newExecution({ workflowId }), [delivery('open')], { ...redis, operation: 'claim' }, { credentials });
			expect(openRetry.Duplicate.map((item) => info(item).state)).toEqual(['processed']);
		} finally {
			await own.stop();
		}
	});

	it('the credential test really PINGs', async () => {
		const harness = newExecution();
		const test = (harness.nodeType as unknown as { methods: { credentialTest: Record<string, (this: unknown, c: unknown) => Promise<{ status: string; message: string }>> } }).methods
			.credentialTest.dedupeRedisConnectionTest;
		await expect(test.call({}, { id: '1', name: 'r', type: 'dedupeRedisApi', data: credentialsFor(server.port) })).resolves.toEqual({
			status: 'OK',
			message: 'Connected: PING answered PONG',
		});
		const deadPort = await freePort();
		const failed = await test.call({}, { id: '1', name: 'r', type: 'dedupeRedisApi', data: credentialsFor(deadPort, { password: 'sekrit-pw' }) });
		expect(failed.status).toBe('Error');
		expect(failed.message).toMatch(/unreachable/);
		expect(failed.message).not.toContain('sekrit-pw');
	});
});
