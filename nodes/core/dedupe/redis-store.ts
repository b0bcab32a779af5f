import { randomUUID } from 'node:crypto';
import Redis, { type ChainableCommander, type RedisOptions } from 'ioredis';

import { canonicalHash } from '../json';

import type { DedupeOutcome, DedupeRequest, DedupeStore, EntryState } from './types';
import { DedupeStoreUnavailableError, DedupeStoreWriteRefusedError, UnsupportedRedisVersionError } from './types';

export interface RedisConnectionSettings {
	host: string;
	port: number;
	database: number;
	user?: string;
	password?: string;
	tls: boolean;
	/** With TLS: refuse servers whose certificate does not verify (default true). */
	tlsRejectUnauthorized?: boolean;
}

/** How long a connection attempt may take before the items fail (or pass, when failing open). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

/**
 * ioredis options: a short connect timeout and NO offline queue, so that while Redis is unreachable a
 * command fails at once instead of waiting in memory; a few reconnect tries, then the client ends and the
 * pool makes a fresh one on next use.
 */
export function redisOptions(settings: RedisConnectionSettings, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): RedisOptions {
	return {
		host: settings.host,
		port: settings.port,
		db: settings.database,
		username: settings.user || undefined,
		password: settings.password || undefined,
		tls: settings.tls ? { rejectUnauthorized: settings.tlsRejectUnauthorized !== false, servername: settings.host } : undefined,
		lazyConnect: true,
		connectTimeout: connectTimeoutMs,
		enableOfflineQueue: false,
		// autoResendUnfulfilledCommands stays on: ioredis re-sends a command whose reply was lost once it reconnects
		// (turning it off leaves such a command waiting forever). The dedupe scripts are idempotent for that reason.
		maxRetriesPerRequest: 1,
		retryStrategy: (times: number) => (times > 5 ? null : Math.min(times * 200, 1000)),
		connectionName: 'n8n-dedupe',
		// ioredis waits this long for a dead socket to close after disconnect(); its 2 s default only delays exit.
		disconnectTimeout: 300,
	};
}

export function describeEndpoint(settings: Pick<RedisConnectionSettings, 'host' | 'port' | 'database'>): string {
	return `${settings.host}:${settings.port} (database ${settings.database})`;
}

// Plain words for socket error codes: n8n replaces an error message that contains such a code with a
// generic text, which would hide which store and which address failed.
const SOCKET_ERRORS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'connection aborted',
	ETIMEDOUT: 'connection timed out',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	EADDRNOTAVAIL: 'address not available',
	EPIPE: 'connection broken',
};

/** An error's message with socket codes in plain words (see SOCKET_ERRORS). */
function plainErrorReason(error: unknown): string {
	const code = (error as { code?: unknown } | undefined)?.code;
	if (typeof code === 'string' && SOCKET_ERRORS[code]) return SOCKET_ERRORS[code];
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/\b(E[A-Z_]+)\b/g, (match) => SOCKET_ERRORS[match] ?? match);
}

/** Connects a new client and waits until it is ready; on failure the client is shut down. */
export async function connectRedis(settings: RedisConnectionSettings, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<Redis> {
	const client = new Redis(redisOptions(settings, connectTimeoutMs));
	// Without a listener, ioredis reports every failed reconnect on stderr; failures surface through commands.
	let lastError: unknown;
	client.on('error', (error) => (lastError = error));
	try {
		await client.connect();
	} catch (error) {
		client.disconnect();
		// "Connection is closed" hides the cause (refused, timed out, wrong password): report the socket's error.
		const cause = lastError ?? error;
		throw new DedupeStoreUnavailableError(`Redis at ${describeEndpoint(settings)} is unreachable: ${plainErrorReason(cause)}`, { cause });
	}
	try {
		await refuseUnsupportedServer(client, describeEndpoint(settings));
	} catch (error) {
		client.disconnect();
		throw error;
	}
	await inspectMemoryPolicy(client, describeEndpoint(settings));
	return client;
}

/** The oldest Redis the store is tested against (Debian 11's redis-server 6.0; see the README's Dedupe section). */
export const MIN_REDIS_VERSION = '6.0';

/**
 * The server's version from `INFO server` text: Valkey reports its own `valkey_version` beside a Redis
 * compatibility `redis_version` (7.2.4 for Valkey 8). Undefined when the text names no version.
 */
export function serverVersionFromInfo(info: string): { product: 'Redis' | 'Valkey'; version: string; redisCompatible: [number, number] } | undefined {
	const field = (name: string) => new RegExp(`^${name}:([0-9][0-9.]*)\\s*$`, 'm').exec(info)?.[1];
	const redisVersion = field('redis_version');
	if (redisVersion === undefined) return undefined;
	const [major, minor] = redisVersion.split('.').map((part) => Number(part));
	const valkeyVersion = field('valkey_version');
	return valkeyVersion === undefined
		? { product: 'Redis', version: redisVersion, redisCompatible: [major, minor || 0] }
		: { product: 'Valkey', version: valkeyVersion, redisCompatible: [major, minor || 0] };
}

/**
 * Why a server that answered `INFO server` with this text is too old for the store, or undefined when it is
 * recent enough or names no version. E.g. `runs Redis 5.0.14; the Dedupe node needs Redis 6.0 or newer (or Valkey)`.
 */
export function unsupportedServerReason(info: string): string | undefined {
	const server = serverVersionFromInfo(info);
	if (!server) return undefined;
	const [needMajor, needMinor] = MIN_REDIS_VERSION.split('.').map(Number);
	const [major, minor] = server.redisCompatible;
	if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
	return `runs ${server.product} ${server.version}; the Dedupe node needs Redis ${MIN_REDIS_VERSION} or newer (or Valkey)`;
}

/**
 * Fails at connect, with the version needed, on a server older than Redis 6.0 (instead of a bare error on
 * every batch later). A server that does not let this user run INFO is not refused: its version is unknown.
 */
async function refuseUnsupportedServer(client: Redis, endpoint: string): Promise<void> {
	let info: string;
	try {
		info = await client.info('server');
	} catch {
		return;
	}
	const why = unsupportedServerReason(info);
	if (why !== undefined) throw new UnsupportedRedisVersionError(`Redis at ${endpoint} ${why}`);
}

/** What `INFO memory` says about a server's memory limit: bytes, and the eviction policy's name. */
export interface RedisMemoryInfo {
	/** `maxmemory` in bytes; 0 means no limit (on 64-bit servers). */
	maxmemory: number;
	/** `maxmemory_policy`, e.g. `noeviction`, `allkeys-lru`, `volatile-ttl`. */
	policy: string;
	/** `used_memory` in bytes, when the text has it. */
	usedMemory?: number;
}

/**
 * Reads `maxmemory`, `maxmemory_policy` and `used_memory` from `INFO memory` text (the same fields on Redis 6,
 * 7 and Valkey 8). Undefined when the text lacks the policy or the limit (e.g. a managed service that hides them).
 */
export function memoryInfoFromInfo(info: string): RedisMemoryInfo | undefined {
	const field = (name: string) => new RegExp(`^${name}:(\\S+)\\s*$`, 'm').exec(info)?.[1];
	const policy = field('maxmemory_policy');
	const maxmemory = Number(field('maxmemory'));
	if (policy === undefined || !Number.isFinite(maxmemory)) return undefined;
	const used = Number(field('used_memory'));
	return Number.isFinite(used) && field('used_memory') !== undefined ? { maxmemory, policy, usedMemory: used } : { maxmemory, policy };
}

/** Bytes as `1.5 MiB` style text. */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Why this memory setup can silently drop dedupe keys, or undefined when it cannot. Risky: every `allkeys-*`
 * policy (it evicts any key once memory is full), and every `volatile-*` policy while a `maxmemory` is set
 * (it evicts keys that have a time-to-live, and every dedupe key has one). Policies: Redis' "Key eviction" docs
 * (noeviction, allkeys-lru/-lfu/-random, volatile-lru/-lfu/-random/-ttl).
 */
export function evictionRisk(memory: RedisMemoryInfo): string | undefined {
	const limit = memory.maxmemory > 0 ? `maxmemory ${formatBytes(memory.maxmemory)}` : 'no maxmemory set yet';
	const used = memory.usedMemory === undefined ? '' : `, ${formatBytes(memory.usedMemory)} used`;
	if (memory.policy.startsWith('allkeys-')) {
		return `its maxmemory-policy is ${memory.policy} (${limit}${used}): when memory is full it deletes any key, dedupe keys included`;
	}
	if (memory.policy.startsWith('volatile-') && memory.maxmemory > 0) {
		return `its maxmemory-policy is ${memory.policy} (${limit}${used}): when memory is full it deletes keys that have a time-to-live, and every dedupe key has one`;
	}
	return undefined;
}

/**
 * The warning for a server whose `INFO memory` is `memory`, or undefined when its policy cannot drop keys.
 * E.g. `Redis at 127.0.0.1:6379 (database 0) can evict dedupe keys: its maxmemory-policy is allkeys-lru (…). An
 * evicted key is forgotten before its window ends, so a repeat of that delivery passes as New. …`.
 */
export function evictionWarning(endpoint: string, memory: RedisMemoryInfo): string | undefined {
	const why = evictionRisk(memory);
	if (why === undefined) return undefined;
	return (
		`Redis at ${endpoint} can evict dedupe keys: ${why}. An evicted key is forgotten before its window ends, so a repeat of that delivery passes as New. ` +
		'Set maxmemory-policy to noeviction on this server, or give the Dedupe node a Redis instance of its own.'
	);
}

// What connect found per connection; WeakMaps so a closed client leaves nothing behind.
const memoryAtConnect = new WeakMap<Redis, RedisMemoryInfo>();
const evictionWarnings = new WeakMap<Redis, string>();

/** The eviction warning found when this client connected (see evictionWarning), or undefined. */
export function redisEvictionWarning(client: Redis): string | undefined {
	return evictionWarnings.get(client);
}

/** What `INFO memory` said when this client connected, or undefined when INFO was refused or unreadable. */
export function redisMemoryAtConnect(client: Redis): RedisMemoryInfo | undefined {
	return memoryAtConnect.get(client);
}

/**
 * Reads `INFO memory` once per connection (not `CONFIG GET`, which managed services often forbid) and keeps
 * the eviction warning for the node and the credential test. A refused or unreadable INFO is no failure.
 */
async function inspectMemoryPolicy(client: Redis, endpoint: string): Promise<void> {
	let memory: RedisMemoryInfo | undefined;
	try {
		memory = memoryInfoFromInfo(await client.info('memory'));
	} catch {
		return;
	}
	if (memory === undefined) return;
	memoryAtConnect.set(client, memory);
	const warning = evictionWarning(endpoint, memory);
	if (warning !== undefined) evictionWarnings.set(client, warning);
}

/**
 * The server's write refusal in plain words, or undefined for any other error. Matches the server's error
 * codes wherever they appear (Redis 6 wraps a script's error as `ERR Error running script …: -OOM …`; Redis 7
 * and Valkey as `OOM … script: <sha>, on @user_script:1.`). Texts: Redis' server.c shared errors
 * (`-OOM command not allowed when used memory > 'maxmemory'.`, `-READONLY You can't write against a read only
 * replica.`, `-MISCONF …`).
 */
export function writeRefusal(
	endpoint: string,
	error: unknown,
	memory?: RedisMemoryInfo,
): DedupeStoreWriteRefusedError | undefined {
	const message = error instanceof Error ? error.message : String(error);
	if (/(^|[\s-])OOM command not allowed/.test(message)) {
		const limit = memory && memory.maxmemory > 0 ? ` (${formatBytes(memory.maxmemory)})` : '';
		const policy = memory ? ` and its maxmemory-policy ${memory.policy} removes nothing` : '';
		return new DedupeStoreWriteRefusedError(
			`Redis at ${endpoint} is full: its used memory reached maxmemory${limit}${policy}, so it refuses to store dedupe keys (OOM). ` +
				'Raise maxmemory, delete data this Redis does not need, or shorten the Window so keys expire sooner; an evicting policy would drop dedupe keys and let repeats through.',
			'full',
			{ cause: error },
		);
	}
	if (/(^|[\s-])READONLY /.test(message)) {
		return new DedupeStoreWriteRefusedError(
			`Redis at ${endpoint} is a read-only replica and refuses to store dedupe keys (READONLY). Point the Dedupe Redis credential at the primary.`,
			'readOnly',
			{ cause: error },
		);
	}
	if (/(^|[\s-])MISCONF /.test(message)) {
		return new DedupeStoreWriteRefusedError(
			`Redis at ${endpoint} refuses writes because it cannot save its data to disk (MISCONF). Fix its disk or persistence settings; its log says why.`,
			'cannotPersist',
			{ cause: error },
		);
	}
	return undefined;
}

/** What the credential test found: the PING reply and the eviction warning, if any. */
export interface RedisConnectionCheck {
	reply: string;
	evictionWarning?: string;
}

/** Credential test: connect (version check, INFO memory), PING, disconnect. Rejects with a clear message. */
export async function checkRedisConnection(settings: RedisConnectionSettings, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<RedisConnectionCheck> {
	const client = await connectRedis(settings, connectTimeoutMs);
	try {
		const reply = await client.ping();
		const warning = redisEvictionWarning(client);
		return warning === undefined ? { reply } : { reply, evictionWarning: warning };
	} catch (error) {
		throw new DedupeStoreUnavailableError(`Redis at ${describeEndpoint(settings)} did not answer PING: ${plainErrorReason(error)}`, { cause: error });
	} finally {
		client.disconnect();
	}
}

/** Credential test: connect, PING, disconnect. Resolves with the reply; rejects with a clear message. */
export async function pingRedis(settings: RedisConnectionSettings, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<string> {
	const client = await connectRedis(settings, connectTimeoutMs);
	try {
		return await client.ping();
	} catch (error) {
		throw new DedupeStoreUnavailableError(`Redis at ${describeEndpoint(settings)} did not answer PING: ${plainErrorReason(error)}`, { cause: error });
	} finally {
		client.disconnect();
	}
}

/**
 * Connections reused across executions, one per distinct credential, at most `maxClients` (the least
 * recently used is closed beyond that). A client that has given up reconnecting is replaced on next use.
 */
export class RedisClientPool {
	private readonly clients = new Map<string, Promise<Redis>>();

	constructor(
		readonly maxClients = 16,
		readonly connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
	) {}

	get size(): number {
		return this.clients.size;
	}

	async acquire(settings: RedisConnectionSettings): Promise<Redis> {
		// One canonical form: the same settings in any property order share a client, different ones never do.
		const id = canonicalHash(settings);
		const pending = this.clients.get(id);
		if (pending) {
			const client = await pending.catch(() => undefined);
			if (client && client.status !== 'end' && client.status !== 'close') {
				this.clients.delete(id);
				this.clients.set(id, pending);
				return client;
			}
			if (this.clients.get(id) === pending) this.clients.delete(id);
		}
		const connecting = connectRedis(settings, this.connectTimeoutMs);
		this.clients.set(id, connecting);
		this.trim();
		try {
			return await connecting;
		} catch (error) {
			if (this.clients.get(id) === connecting) this.clients.delete(id);
			throw error;
		}
	}

	private trim(): void {
		for (const [id, pending] of this.clients) {
			if (this.clients.size <= this.maxClients) break;
			this.clients.delete(id);
			void pending.then(closeGracefully).catch(() => undefined);
		}
	}

	async closeAll(): Promise<void> {
		const all = [...this.clients.values()];
		this.clients.clear();
		await Promise.all(all.map((pending) => pending.then(closeGracefully).catch(() => undefined)));
	}
}

/** QUIT lets pending replies arrive; a client that is not connected (QUIT would fail) is cut off instead. */
async function closeGracefully(client: Redis): Promise<void> {
	if (client.status === 'ready') {
		await client.quit().catch(() => client.disconnect());
	} else {
		client.disconnect();
	}
}

/** Process-wide pool used by the Dedupe node. */
export const sharedRedisPool = new RedisClientPool();

// Stored value: `<r|c>|<firstSeenAt ms>|<token>`: a claim holds the token put out to its holder; a recorded key holds one that
// is never put out (nobody can confirm or release it), which makes a re-sent write recognisable as its own.
// The scripts use only what Redis 6.0 (and Valkey) offer: `SET ... NX PX ... GET` in one command is Redis 7+
// and a syntax error before it, so "set if absent, else tell me what is there" is a script.

/**
 * KEYS[1] key, ARGV[1] value, ARGV[2] time-to-live (ms). Nil when the key was set, or already holds this very value
 * (each value carries a fresh token, so only a re-send of the same request finds it: idempotent); else the value
 * already there.
 */
const SET_IF_ABSENT_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return false end
return v
`;

const CONFIRM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
  return {'after-expiry', ARGV[3]}
end
local first, holder = string.match(v, '^%a|(%d+)|(.*)$')
if holder == nil or holder == '' or holder ~= ARGV[1] then return {'refused', v} end
redis.call('SET', KEYS[1], 'r|' .. first .. '|' .. holder, 'PX', ARGV[2])
return {'confirmed', v}
`;

const RELEASE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then return {'absent'} end
local holder = string.match(v, '^%a|%d+|(.*)$')
if holder == nil or holder == '' or holder ~= ARGV[1] then return {'refused', v} end
redis.call('DEL', KEYS[1])
return {'released', v}
`;

/** A pipeline with the store's scripts: ioredis adds one chainable method per `defineCommand`. */
interface DedupePipeline extends ChainableCommander {
	dedupeSetIfAbsent(key: string, value: string, ttlMs: number): DedupePipeline;
	dedupeConfirm(key: string, token: string, ttlMs: number, recordIfMissing: string): DedupePipeline;
	dedupeRelease(key: string, token: string): DedupePipeline;
}

/** Defines the store's scripts on a client once (they then exist on its pipelines too). */
function withScripts(client: Redis): Redis {
	if (typeof (client as unknown as Partial<DedupePipeline>).dedupeSetIfAbsent !== 'function') {
		client.defineCommand('dedupeSetIfAbsent', { numberOfKeys: 1, lua: SET_IF_ABSENT_SCRIPT });
		client.defineCommand('dedupeConfirm', { numberOfKeys: 1, lua: CONFIRM_SCRIPT });
		client.defineCommand('dedupeRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
	}
	return client;
}

/** Reads a stored value `<r|c>|<firstSeenAt ms>|<holder>`; anything else means the key prefix is shared with other data. */
function parseStoredValue(value: string): { state: EntryState; firstSeenAt: number } {
	const match = /^([rc])\|(\d+)\|/.exec(value);
	if (!match) throw new DedupeStoreUnavailableError('Redis holds a value this node did not write under a dedupe key; check the key prefix');
	return { state: match[1] === 'r' ? 'recorded' : 'claimed', firstSeenAt: Number(match[2]) };
}

/** A time-to-live as Redis takes it: whole milliseconds, rounded up, at least 1. */
function wholePositiveMs(ms: number): number {
	const rounded = Math.ceil(ms);
	if (!Number.isFinite(rounded) || rounded < 1) throw new RangeError('A time-to-live must be at least 1 ms');
	return rounded;
}

/** A command's error that means the connection went away, not that Redis refused it. */
const CONNECTION_LOST = /Stream isn't writeable|Connection is closed|max retries per request|ECONN|ETIMEDOUT|EPIPE/i;

/** How long a batch whose connection dropped after sending waits for the client to reconnect (ms): its reconnect tries span about 3 s. */
export const DEFAULT_RESEND_WAIT_MS = 5000;

/** True once `client` is ready again, false if it ends or `waitMs` (milliseconds) passes first. */
async function readyAgain(client: Redis, waitMs: number): Promise<boolean> {
	if (client.status === 'ready') return true;
	if (waitMs <= 0 || client.status === 'end') return false;
	return await new Promise<boolean>((resolve) => {
		const done = (ready: boolean) => {
			clearTimeout(timer);
			client.off('ready', onReady);
			client.off('end', onEnd);
			resolve(ready);
		};
		const onReady = () => done(true);
		const onEnd = () => done(false);
		const timer = setTimeout(() => done(false), waitMs);
		client.once('ready', onReady);
		client.once('end', onEnd);
	});
}

export interface RedisStoreOptions {
	/** Prepended to every key, e.g. `n8n:dedupe:wf:42:`. */
	keyPrefix?: string;
	/** Shown in error messages instead of ioredis' own endpoint text. */
	endpoint?: string;
	now?: () => number;
	newToken?: () => string;
	/** How long a batch whose reply was lost waits for the client to reconnect and sends again (ms); default DEFAULT_RESEND_WAIT_MS. */
	resendWaitMs?: number;
}

/**
 * Redis store, for Redis 6.0 and newer and Valkey. Each request is one Lua script run (atomic on the server):
 * check-and-record and claim do `SET key value NX PX ttl` and, when the key exists, return its value for
 * `firstSeenAt`; confirm and release check the holder first. ioredis sends a script's text the first time on a
 * connection and its SHA-1 (EVALSHA) after that, re-sending the text on NOSCRIPT. A batch of any size is one
 * pipeline: one network round trip.
 */
export class RedisDedupeStore implements DedupeStore {
	/** Pipelines sent (each is one network round trip). */
	roundTrips = 0;
	private readonly client: Redis;
	private readonly keyPrefix: string;
	private readonly now: () => number;
	private readonly newToken: () => string;
	private readonly endpoint: string;
	private readonly resendWaitMs: number;

	constructor(client: Redis, options: RedisStoreOptions = {}) {
		this.client = withScripts(client);
		this.keyPrefix = options.keyPrefix ?? '';
		this.now = options.now ?? Date.now;
		this.newToken = options.newToken ?? randomUUID;
		this.endpoint = options.endpoint ?? `${client.options.host}:${client.options.port}`;
		this.resendWaitMs = options.resendWaitMs ?? DEFAULT_RESEND_WAIT_MS;
	}

	async apply(requests: readonly DedupeRequest[]): Promise<DedupeOutcome[]> {
		if (requests.length === 0) return [];
		if (this.client.status !== 'ready') {
			throw new DedupeStoreUnavailableError(`Redis at ${this.endpoint} is unreachable (connection ${this.client.status})`);
		}
		const now = this.now();
		// Every value written carries a fresh token (a recorded key's is never put out), so sending the same batch
		// again is harmless: a set-if-absent that finds its own value answers as the first send would have.
		const commands: Array<(pipeline: DedupePipeline) => void> = [];
		const claimTokens: Array<string | undefined> = [];
		for (const request of requests) {
			const key = this.keyPrefix + request.key;
			switch (request.op) {
				case 'checkAndRecord': {
					const value = `r|${now}|${this.newToken()}`;
					claimTokens.push(undefined);
					commands.push((p) => p.dedupeSetIfAbsent(key, value, wholePositiveMs(request.ttlMs)));
					break;
				}
				case 'claim': {
					const token = this.newToken();
					claimTokens.push(token);
					commands.push((p) => p.dedupeSetIfAbsent(key, `c|${now}|${token}`, wholePositiveMs(request.leaseMs)));
					break;
				}
				case 'confirm':
					claimTokens.push(undefined);
					commands.push((p) => p.dedupeConfirm(key, request.token, wholePositiveMs(request.ttlMs), `r|${now}|${request.token}`));
					break;
				case 'release':
					claimTokens.push(undefined);
					commands.push((p) => p.dedupeRelease(key, request.token));
					break;
			}
		}
		const replies = await this.send(commands);
		return requests.map((request, index) => this.outcome(request, replies[index][1], now, claimTokens[index]));
	}

	/**
	 * Sends the batch as one pipeline. When the connection drops after sending (Redis may or may not have run it; its
	 * reply is lost), the same batch is sent again once the client has reconnected, for up to `resendWaitMs`: safe,
	 * since every command is idempotent (see `apply`). Without it, a delivery whose key was written but whose answer
	 * was lost would be a "duplicate" at the sender's retry, and dropped. A write refusal (full, read-only) is final.
	 */
	private async send(commands: ReadonlyArray<(pipeline: DedupePipeline) => void>): Promise<Array<[Error | null, unknown]>> {
		const deadline = Date.now() + this.resendWaitMs;
		for (;;) {
			const pipeline = this.client.pipeline() as DedupePipeline;
			for (const add of commands) add(pipeline);
			this.roundTrips++;
			let lost: unknown;
			try {
				const replies = await pipeline.exec();
				if (!replies || replies.length !== commands.length) {
					throw new DedupeStoreUnavailableError(`Redis at ${this.endpoint} did not answer every command of the batch`);
				}
				const failed = replies.find(([error]) => error)?.[0];
				if (!failed) return replies;
				const refusal = writeRefusal(this.endpoint, failed, redisMemoryAtConnect(this.client));
				if (refusal) throw refusal;
				if (!CONNECTION_LOST.test(failed.message)) {
					throw new DedupeStoreUnavailableError(`Redis at ${this.endpoint} refused a dedupe command: ${plainErrorReason(failed)}`, { cause: failed });
				}
				lost = failed;
			} catch (error) {
				if (error instanceof DedupeStoreUnavailableError) throw error;
				const refusal = writeRefusal(this.endpoint, error, redisMemoryAtConnect(this.client));
				if (refusal) throw refusal;
				lost = error;
			}
			// A short pause first, so that a connection failing at once cannot spin this loop.
			await new Promise((resolve) => setTimeout(resolve, 50));
			if (!(await readyAgain(this.client, deadline - Date.now()))) {
				throw new DedupeStoreUnavailableError(`Redis at ${this.endpoint} is unreachable: ${plainErrorReason(lost)}`, { cause: lost });
			}
		}
	}

	private outcome(request: DedupeRequest, reply: unknown, now: number, token: string | undefined): DedupeOutcome {
		switch (request.op) {
			case 'checkAndRecord':
			case 'claim': {
				if (reply === null) {
					const expiresAt = now + wholePositiveMs(request.op === 'claim' ? request.leaseMs : request.ttlMs);
					return token === undefined
						? { status: 'new', firstSeenAt: now, expiresAt }
						: { status: 'new', firstSeenAt: now, expiresAt, claimToken: token };
				}
				const existing = parseStoredValue(String(reply));
				return { status: 'duplicate', firstSeenAt: existing.firstSeenAt, state: existing.state };
			}
			case 'confirm': {
				const [result, value] = reply as [string, string];
				const existing = parseStoredValue(value);
				if (result === 'refused') return { status: 'refused', reason: 'held-by-another', ...existing };
				return {
					status: 'confirmed',
					firstSeenAt: existing.firstSeenAt,
					expiresAt: now + wholePositiveMs(request.ttlMs),
					afterLeaseExpired: result === 'after-expiry',
				};
			}
			case 'release': {
				const [result, value] = reply as [string, string?];
				if (result === 'refused') return { status: 'refused', reason: 'held-by-another', ...parseStoredValue(value ?? '') };
				return { status: 'released', wasPresent: result === 'released' };
			}
		}
	}
}
