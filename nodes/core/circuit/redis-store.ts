/**
 * Redis store for circuit and rate-limit state, shared by every process that uses the same server and prefix.
 * Each call is one Lua script run (atomic on the server, one round trip) that applies the same rules as
 * breaker.ts / rate.ts; the scenario tests run both stores. Connections come from the Dedupe node's pool
 * (`sharedRedisPool` in ../dedupe/redis-store.ts), so the Dedupe Redis credential and its connection handling apply.
 */
import { randomUUID } from 'node:crypto';

import type Redis from 'ioredis';

import type { CircuitAdmission, CircuitResult, CircuitSettings, CircuitStateName, CircuitTransition } from './breaker';
import { WINDOW_BUCKETS } from './breaker';
import type { SlotReservation } from './rate';
import type { CircuitReader, CircuitView, DestinationStateStore } from './types';

// Hash fields: st (c|o|h), until, held (0|1), consec, probes, ok, b ("index:successes:failures;..." window buckets),
// calls ("id=answer;..." the last CALLS_KEPT calls that changed the state, with their answers).
// Lua 5.1 prints numbers below 1e14 without exponent, so epoch milliseconds round-trip as text.
// A call carries an id: when a reply is lost and ioredis sends the same call again after reconnecting, the script
// finds the id and answers as the first time instead of counting a failure twice or taking a second probe slot.
const CALLS_KEPT = 16;
const CIRCUIT_SCRIPT = `
local key = KEYS[1]
local callId = ARGV[14]
local h = redis.call('HMGET', key, 'st', 'until', 'held', 'consec', 'probes', 'ok', 'b', 'calls')
local calls = h[8] or ''
if callId ~= '' then
  for id, answer in string.gmatch(calls, '([^=;]+)=([^;]*)') do
    if id == callId then
      local out = {}
      for v in string.gmatch(answer .. ',', '([^,]*),') do out[#out + 1] = v end
      return out
    end
  end
end
local saved = false
local function decide()
local op = ARGV[1]
local now = tonumber(ARGV[2])
local maxConsec = tonumber(ARGV[3])
local ratePct = tonumber(ARGV[4])
local minReq = tonumber(ARGV[5])
local windowMs = tonumber(ARGV[6])
local openMs = tonumber(ARGV[7])
local maxProbes = tonumber(ARGV[8])
local result = ARGV[9]
local isProbe = ARGV[10] == '1'
local hold = ARGV[11] == '1'
local ttl = tonumber(ARGV[12])
local buckets = tonumber(ARGV[13])
local st = h[1] or 'c'
local untilMs = tonumber(h[2] or '0')
local held = h[3] == '1'
local consec = tonumber(h[4] or '0')
local probes = tonumber(h[5] or '0')
local ok = tonumber(h[6] or '0')
local b = h[7] or ''
local function name()
  if held then return 'held-open' end
  if st == 'o' then return 'open' end
  if st == 'h' then return 'half-open' end
  return 'closed'
end
local from = name()
local function save()
  redis.call('HSET', key, 'st', st, 'until', untilMs, 'held', held and '1' or '0', 'consec', consec, 'probes', probes, 'ok', ok, 'b', b)
  if held then redis.call('PERSIST', key) else redis.call('PEXPIRE', key, ttl) end
  saved = true
end
local function open()
  st = 'o'; untilMs = now + openMs; consec = 0; probes = 0; ok = 0; b = ''
end
local function changed()
  save()
  local to = name()
  if to == from then return {to, '', ''} end
  return {to, from, to}
end
if op == 'peek' then return {from, '', ''} end
if op == 'inspect' then return {from, tostring(untilMs), ''} end
if op == 'admit' then
  if st == 'o' then
    if held then return {'deny', 'held-open', -1, ''} end
    if now < untilMs then return {'deny', 'open', untilMs, ''} end
    st = 'h'; untilMs = now + openMs; probes = 0; ok = 0
  end
  if st == 'h' then
    local moved = ''
    if from == 'open' then moved = 'open' end
    if probes >= maxProbes then
      if now < untilMs then
        if moved ~= '' then save() end
        return {'deny', 'half-open', untilMs, moved}
      end
      untilMs = now + openMs; probes = 0; ok = 0
    end
    probes = probes + 1
    save()
    return {'probe', 'half-open', 0, moved}
  end
  return {'allow', 'closed', 0, ''}
end
if result == 'gone' and hold then
  if held then return {from, '', ''} end
  open(); held = true
  return changed()
end
if st == 'h' then
  if not isProbe then return {from, '', ''} end
  if result == 'fail' then open(); return changed() end
  ok = ok + 1
  if ok < maxProbes then save(); return {from, '', ''} end
  st = 'c'; untilMs = 0; consec = 0; probes = 0; ok = 0; b = ''
  return changed()
end
if st ~= 'c' or (result ~= 'ok' and result ~= 'fail') then return {from, '', ''} end
local bucketMs = math.max(1, math.floor(windowMs / buckets))
local cur = math.floor(now / bucketMs)
local total, fails, found = 0, 0, false
local kept = {}
for i, s, f in string.gmatch(b, '(%d+):(%d+):(%d+)') do
  i = tonumber(i); s = tonumber(s); f = tonumber(f)
  if i > cur - buckets then
    if i == cur then
      found = true
      if result == 'ok' then s = s + 1 else f = f + 1 end
    end
    total = total + s + f; fails = fails + f
    kept[#kept + 1] = string.format('%d:%d:%d', i, s, f)
  end
end
if not found then
  local s, f = 0, 0
  if result == 'ok' then s = 1 else f = 1 end
  total = total + 1; fails = fails + f
  kept[#kept + 1] = string.format('%d:%d:%d', cur, s, f)
end
b = table.concat(kept, ';')
if result == 'ok' then consec = 0 else consec = consec + 1 end
if result == 'fail' and (consec >= maxConsec or (total >= minReq and fails * 100 >= ratePct * total)) then
  open()
  return changed()
end
save()
return {from, '', ''}
end
local answer = decide()
if saved and callId ~= '' then
  local parts = {}
  for i = 1, #answer do parts[i] = tostring(answer[i]) end
  local kept = {}
  for entry in string.gmatch(calls, '[^;]+') do kept[#kept + 1] = entry end
  kept[#kept + 1] = callId .. '=' .. table.concat(parts, ',')
  while #kept > ${CALLS_KEPT} do table.remove(kept, 1) end
  redis.call('HSET', key, 'calls', table.concat(kept, ';'))
end
return answer
`;

/**
 * KEYS[1] slot key, KEYS[2] its last reservations ("id=wait;...", like the circuit's calls); ARGV now, interval (ms,
 * may have a fraction), max wait (ms; -1: any), call id. Returns {reserved 0|1, wait ms}. A call sent again after a
 * lost reply finds its id and gets its slot back instead of taking a second one.
 */
const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local callId = ARGV[4]
local calls = redis.call('GET', KEYS[2]) or ''
for id, wait in string.gmatch(calls, '([^=;]+)=([^;]*)') do
  if id == callId then return {1, wait} end
end
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextFree)
local wait = slot - now
if maxWait >= 0 and wait > maxWait then return {0, tostring(wait)} end
local ttl = math.ceil(wait + interval) + 1000
redis.call('SET', KEYS[1], string.format('%.3f', slot + interval), 'PX', ttl)
local kept = {}
for entry in string.gmatch(calls, '[^;]+') do kept[#kept + 1] = entry end
kept[#kept + 1] = callId .. '=' .. tostring(wait)
while #kept > ${CALLS_KEPT} do table.remove(kept, 1) end
redis.call('SET', KEYS[2], table.concat(kept, ';'), 'PX', ttl)
return {1, tostring(wait)}
`;

interface CircuitCommands {
	destinationCircuit(key: string, ...args: Array<string | number>): Promise<unknown>;
	destinationReserve(key: string, callsKey: string, ...args: Array<string | number>): Promise<[number, string]>;
}

function withScripts(client: Redis): Redis & CircuitCommands {
	const scripted = client as Redis & Partial<CircuitCommands>;
	if (typeof scripted.destinationCircuit !== 'function') {
		client.defineCommand('destinationCircuit', { numberOfKeys: 1, lua: CIRCUIT_SCRIPT });
		client.defineCommand('destinationReserve', { numberOfKeys: 2, lua: RESERVE_SCRIPT });
	}
	return client as Redis & CircuitCommands;
}

/** Raised when Redis cannot be reached or refuses a command; the message names the endpoint, never a password. */
export class DestinationStoreUnavailableError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DestinationStoreUnavailableError';
	}
}

/**
 * Where destination state lives inside the Dedupe Redis credential's key space: its prefix plus `forward:`. The
 * Forward node writes there and the trigger's backpressure reads there, so both must take it from here.
 */
export function destinationKeyPrefix(credentialKeyPrefix: string): string {
	return `${credentialKeyPrefix}forward:`;
}

export interface RedisDestinationStoreOptions {
	/** Prepended to every key, e.g. `n8n:dedupe:forward:` (the credential's prefix plus `forward:`). */
	keyPrefix?: string;
	/** Shown in error messages instead of ioredis' own endpoint text. */
	endpoint?: string;
}

export class RedisDestinationStore implements DestinationStateStore, CircuitReader {
	/** Script runs sent (each is one network round trip). */
	roundTrips = 0;
	private readonly client: Redis & CircuitCommands;
	private readonly keyPrefix: string;
	private readonly endpoint: string;

	constructor(client: Redis, options: RedisDestinationStoreOptions = {}) {
		this.client = withScripts(client);
		this.keyPrefix = options.keyPrefix ?? '';
		this.endpoint = options.endpoint ?? `${client.options.host}:${client.options.port}`;
	}

	private async run<T>(call: () => Promise<T>): Promise<T> {
		if (this.client.status !== 'ready') {
			throw new DestinationStoreUnavailableError(`Redis at ${this.endpoint} is unreachable (connection ${this.client.status})`);
		}
		this.roundTrips++;
		try {
			return await call();
		} catch (error) {
			throw new DestinationStoreUnavailableError(`Redis at ${this.endpoint} did not run a circuit command: ${(error as Error).message}`, {
				cause: error,
			});
		}
	}

	private circuit(op: string, key: string, settings: CircuitSettings, now: number, extra: [string, boolean, boolean] = ['', false, false]) {
		const ttl = Math.ceil(Math.max(settings.windowMs, settings.openMs) * 2 + 60_000);
		return this.run(() =>
			this.client.destinationCircuit(
				`${this.keyPrefix}circuit:${key}`,
				op,
				Math.floor(now),
				settings.consecutiveFailures,
				settings.failureRatePercent,
				settings.minimumRequests,
				settings.windowMs,
				settings.openMs,
				settings.probes,
				extra[0],
				extra[1] ? '1' : '0',
				extra[2] ? '1' : '0',
				ttl,
				WINDOW_BUCKETS,
				// Only calls that may change the state need an id (see CIRCUIT_SCRIPT).
				op === 'admit' || op === 'record' ? randomUUID() : '',
			),
		) as Promise<Array<string | number>>;
	}

	async admit(key: string, settings: CircuitSettings, now: number): Promise<CircuitAdmission> {
		const [verdict, state, retryAt, movedFrom] = await this.circuit('admit', key, settings, now);
		const transition = movedFrom ? { transition: { from: movedFrom as CircuitStateName, to: 'half-open' as const } } : {};
		if (verdict === 'allow') return { allowed: true, probe: false, state: 'closed' };
		if (verdict === 'probe') return { allowed: true, probe: true, state: 'half-open', ...transition };
		if (state === 'held-open') return { allowed: false, state: 'held-open' };
		return { allowed: false, state: state as 'open' | 'half-open', retryAt: Number(retryAt), ...transition };
	}

	async record(
		key: string,
		settings: CircuitSettings,
		result: CircuitResult,
		probe: boolean,
		holdOnGone: boolean,
		now: number,
	): Promise<{ state: CircuitStateName; transition?: CircuitTransition }> {
		const [state, from, to] = (await this.circuit('record', key, settings, now, [result, probe, holdOnGone])) as string[];
		return from ? { state: state as CircuitStateName, transition: { from: from as CircuitStateName, to: to as CircuitStateName } } : { state: state as CircuitStateName };
	}

	async reserve(key: string, intervalMs: number, now: number, maxWaitMs?: number): Promise<SlotReservation> {
		const [reserved, wait] = await this.run(() =>
			this.client.destinationReserve(`${this.keyPrefix}rate:${key}`, `${this.keyPrefix}rate-calls:${key}`, now, intervalMs, maxWaitMs === undefined ? -1 : maxWaitMs, randomUUID()),
		);
		const waitMs = Math.max(0, Number(wait));
		return reserved === 1 ? { reserved: true, waitMs, nextFreeAt: now + waitMs + intervalMs } : { reserved: false, waitMs };
	}

	async reset(key: string): Promise<void> {
		await this.run(() => this.client.del(`${this.keyPrefix}circuit:${key}`));
	}

	async peek(key: string): Promise<CircuitStateName> {
		const settings = { consecutiveFailures: 1, failureRatePercent: 1, minimumRequests: 1, windowMs: 1000, openMs: 1, probes: 1 };
		const [state] = await this.circuit('peek', key, settings, Date.now());
		return state as CircuitStateName;
	}

	async inspect(key: string): Promise<CircuitView> {
		// The settings are not read by this operation (it returns before any rule runs).
		const settings = { consecutiveFailures: 1, failureRatePercent: 1, minimumRequests: 1, windowMs: 1000, openMs: 1, probes: 1 };
		const [state, until] = await this.circuit('inspect', key, settings, Date.now());
		const name = state as CircuitStateName;
		return name === 'open' ? { state: name, retryAt: Number(until) } : { state: name };
	}
}
