/**
 * Reading `INFO memory`, deciding which eviction policies can drop dedupe keys, and turning a server's write
 * refusals (OOM, READONLY, MISCONF) into clear errors. The real servers' behaviour is in
 * test/integration/dedupe/eviction.test.ts.
 */
import {
	DedupeStoreUnavailableError,
	DedupeStoreWriteRefusedError,
	evictionRisk,
	evictionWarning,
	formatBytes,
	memoryInfoFromInfo,
	onStoreFailure,
	storeFailureMessage,
	writeRefusal,
} from '../../../nodes/core/dedupe';

// `INFO memory` from Debian 12's redis-server 7.0.15 started with `--maxmemory 64mb --maxmemory-policy volatile-lru`
// (excerpt, CRLF line ends as sent; `used_memory_rss` etc. come before and after the fields read).
const REDIS_7_INFO_MEMORY = [
	'# Memory',
	'used_memory:914688',
	'used_memory_human:893.25K',
	'used_memory_rss:12054528',
	'used_memory_rss_human:11.50M',
	'used_memory_peak:914688',
	'used_memory_lua:32768',
	'used_memory_scripts_human:200B',
	'maxmemory:67108864',
	'maxmemory_human:64.00M',
	'maxmemory_policy:volatile-lru',
	'allocator_frag_ratio:1.08',
	'mem_allocator:jemalloc-5.3.0',
	'',
].join('\r\n');

// Every policy Redis and Valkey accept for `maxmemory-policy` (Redis docs, "Key eviction"; redis.conf).
const EVICTING_ALWAYS = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random'];
const EVICTING_TTL_KEYS = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'];

describe('memoryInfoFromInfo', () => {
	it('reads maxmemory, the policy and used_memory (not used_memory_rss or _human) from real INFO memory text', () => {
		expect(memoryInfoFromInfo(REDIS_7_INFO_MEMORY)).toEqual({ maxmemory: 67108864, policy: 'volatile-lru', usedMemory: 914688 });
	});

	it('gives undefined when the text hides the policy or the limit (nothing to judge, no false alarm)', () => {
		expect(memoryInfoFromInfo('# Memory\r\nused_memory:100\r\nmaxmemory:0\r\n')).toBeUndefined();
		expect(memoryInfoFromInfo('# Memory\r\nmaxmemory_policy:allkeys-lru\r\n')).toBeUndefined();
		expect(memoryInfoFromInfo('')).toBeUndefined();
	});

	it('works without used_memory', () => {
		expect(memoryInfoFromInfo('maxmemory:0\nmaxmemory_policy:noeviction\n')).toEqual({ maxmemory: 0, policy: 'noeviction' });
	});
});

describe('evictionRisk', () => {
	it.each(EVICTING_ALWAYS)('flags %s with or without a maxmemory', (policy) => {
		expect(evictionRisk({ maxmemory: 1 << 20, policy })).toBe(`its maxmemory-policy is ${policy} (maxmemory 1.0 MiB): when memory is full it deletes any key, dedupe keys included`);
		expect(evictionRisk({ maxmemory: 0, policy })).toMatch(/\(no maxmemory set yet\)/);
	});

	it.each(EVICTING_TTL_KEYS)('flags %s only while a maxmemory is set (dedupe keys all have a time-to-live)', (policy) => {
		expect(evictionRisk({ maxmemory: 64 << 20, policy, usedMemory: 2048 })).toBe(
			`its maxmemory-policy is ${policy} (maxmemory 64.0 MiB, 2.0 KiB used): when memory is full it deletes keys that have a time-to-live, and every dedupe key has one`,
		);
		expect(evictionRisk({ maxmemory: 0, policy })).toBeUndefined();
	});

	it('does not flag noeviction, with or without a limit', () => {
		expect(evictionRisk({ maxmemory: 0, policy: 'noeviction' })).toBeUndefined();
		expect(evictionRisk({ maxmemory: 1 << 20, policy: 'noeviction', usedMemory: 1 << 20 })).toBeUndefined();
	});

	it('the warning names the server, why a key is lost, and what to do', () => {
		const warning = evictionWarning('redis.internal:6380 (database 2)', memoryInfoFromInfo(REDIS_7_INFO_MEMORY)!);
		expect(warning).toBe(
			'Redis at redis.internal:6380 (database 2) can evict dedupe keys: its maxmemory-policy is volatile-lru (maxmemory 64.0 MiB, 893.3 KiB used): ' +
				'when memory is full it deletes keys that have a time-to-live, and every dedupe key has one. ' +
				'An evicted key is forgotten before its window ends, so a repeat of that delivery passes as New. ' +
				'Set maxmemory-policy to noeviction on this server, or give the Dedupe node a Redis instance of its own.',
		);
		expect(evictionWarning('h:1 (database 0)', { maxmemory: 0, policy: 'noeviction' })).toBeUndefined();
	});

	it('formats byte counts', () => {
		expect(formatBytes(512)).toBe('512 bytes');
		expect(formatBytes(2 * 1024 * 1024)).toBe('2.0 MiB');
		expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
	});
});

describe('writeRefusal', () => {
	const endpoint = '10.0.0.5:6379 (database 0)';
	// The texts as the servers send them (captured from redis-server 7.0.15, 6.0.16 and valkey 8.0.1 at a full
	// 2 MiB maxmemory with noeviction; READONLY and MISCONF from Redis' server.c shared error objects).
	const OOM_PLAIN = "OOM command not allowed when used memory > 'maxmemory'.";
	const OOM_REDIS_7_SCRIPT = "OOM command not allowed when used memory > 'maxmemory'. script: 83d370e4a41b93260545dca394b7bd2b8fe0fd53, on @user_script:1.";
	const OOM_REDIS_6_SCRIPT =
		"ERR Error running script (call to f_83d370e4a41b93260545dca394b7bd2b8fe0fd53): @user_script:1: @user_script: 1: -OOM command not allowed when used memory > 'maxmemory'.";
	const READONLY = "READONLY You can't write against a read only replica.";
	const MISCONF =
		"MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

	it.each([OOM_PLAIN, OOM_REDIS_7_SCRIPT, OOM_REDIS_6_SCRIPT])('turns %s into a clear "full" error, without the script text', (text) => {
		const cause = new Error(text);
		const refusal = writeRefusal(endpoint, cause, { maxmemory: 2 << 20, policy: 'noeviction', usedMemory: 2 << 20 });
		expect(refusal).toBeInstanceOf(DedupeStoreWriteRefusedError);
		expect(refusal).toBeInstanceOf(DedupeStoreUnavailableError);
		expect(refusal?.reason).toBe('full');
		expect(refusal?.cause).toBe(cause);
		expect(refusal?.message).toBe(
			'Redis at 10.0.0.5:6379 (database 0) is full: its used memory reached maxmemory (2.0 MiB) and its maxmemory-policy noeviction removes nothing, so it refuses to store dedupe keys (OOM). ' +
				'Raise maxmemory, delete data this Redis does not need, or shorten the Window so keys expire sooner; an evicting policy would drop dedupe keys and let repeats through.',
		);
	});

	it('still says "full" when INFO memory was not readable at connect', () => {
		expect(writeRefusal(endpoint, new Error(OOM_PLAIN))?.message).toMatch(/^Redis at 10\.0\.0\.5:6379 \(database 0\) is full: its used memory reached maxmemory, so it refuses to store dedupe keys \(OOM\)\. Raise maxmemory/);
	});

	it('names a read-only replica and a server that cannot persist', () => {
		const readOnly = writeRefusal(endpoint, new Error(READONLY));
		expect(readOnly?.reason).toBe('readOnly');
		expect(readOnly?.message).toBe('Redis at 10.0.0.5:6379 (database 0) is a read-only replica and refuses to store dedupe keys (READONLY). Point the Dedupe Redis credential at the primary.');
		const misconf = writeRefusal(endpoint, new Error(MISCONF));
		expect(misconf?.reason).toBe('cannotPersist');
		expect(misconf?.message).toMatch(/^Redis at 10\.0\.0\.5:6379 \(database 0\) refuses writes because it cannot save its data to disk \(MISCONF\)\./);
	});

	it('leaves every other error alone (a key or value merely containing the words is no refusal)', () => {
		expect(writeRefusal(endpoint, new Error('Connection is closed.'))).toBeUndefined();
		expect(writeRefusal(endpoint, new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBeUndefined();
		expect(writeRefusal(endpoint, new Error('ERR unknown command ROOM'))).toBeUndefined();
		expect(writeRefusal(endpoint, new Error('NOPERM this user has no permissions to run the READONLYX command'))).toBeUndefined();
	});

	it('fails open when chosen (it is an outage), fails closed otherwise, with a description saying Redis refused to write', () => {
		const full = writeRefusal(endpoint, new Error(OOM_PLAIN))!;
		expect(onStoreFailure(full, 'checkAndRecord', 'passAsNew')).toBe('passAsNew');
		expect(onStoreFailure(full, 'claim', 'fail')).toBe('failItem');
		expect(onStoreFailure(full, 'confirm', 'passAsNew')).toBe('failItem');
		const { message, description } = storeFailureMessage(full);
		expect(message).toBe(`Dedupe store unavailable: ${full.message}`);
		expect(description).toMatch(/^Nothing was recorded for this item: Redis answered but refused to write\./);
	});
});
