/**
 * Per-node memory of the trigger's resolved settings and secrets, so that a request in the common case loads no
 * credential and evaluates no expression (in n8n 2.x each credential load takes an expression isolate of its own).
 *
 * n8n builds a new Workflow and node object for every production webhook request, so entries are keyed by
 * workflow id + node id and carry a fingerprint of the node's saved parameters and credential references:
 * an edited node (new parameters, another credential) misses at once. Anything the fingerprint cannot see
 * (a secret changed inside the same credential, a variable behind an expression) is re-read after `ttlMs`.
 * Secrets stay in this process's memory only and are dropped with their entry.
 */
import { createHash } from 'node:crypto';
import { LruMap } from '../core/lru-map';
import { prepareSecrets, type PreparedSecrets } from '../core/signatures';

/** How long resolved settings and secrets are reused: a rotated or removed secret takes effect within this time. */
export const SETTINGS_TTL_MS = 10_000;

const MAX_NODES = 1000;

/**
 * Secrets with their keys parsed once (public keys into KeyObjects, `whsec_` secrets decoded), kept for as long as
 * the cached secrets array itself: a cache entry hands the same array to every request, so each trigger parses its
 * keys once per TTL instead of on every request, and the parsed keys go when the entry goes (weakly held).
 */
const preparedByArray = new WeakMap<readonly string[], PreparedSecrets>();

/** The PreparedSecrets of this very array of secrets, made on first use (see preparedByArray). */
export function preparedSecretsOf(secrets: readonly string[]): PreparedSecrets {
	let prepared = preparedByArray.get(secrets);
	if (!prepared) {
		prepared = prepareSecrets(secrets);
		preparedByArray.set(secrets, prepared);
	}
	return prepared;
}

/** The parts of n8n's INode that decide a trigger's settings. */
export interface NodeIdentity {
	typeVersion?: number;
	parameters?: unknown;
	credentials?: unknown;
}

/** Changes whenever the node is edited: its parameters or the credentials it points to. */
export function nodeFingerprint(node: NodeIdentity): string {
	return createHash('sha256')
		.update(JSON.stringify([node.typeVersion ?? null, node.parameters ?? null, node.credentials ?? null]))
		.digest('base64');
}

/** One node's resolved settings, plus its secrets once something needed them. */
export class CachedNode<Settings, Secrets> {
	private loaded: Secrets | undefined;

	private pending: Promise<Secrets> | undefined;

	constructor(
		readonly fingerprint: string,
		readonly expiresAt: number,
		readonly settings: Settings,
	) {}

	/** The secrets if a previous request loaded them: no await, no credential load. */
	get secrets(): Secrets | undefined {
		return this.loaded;
	}

	/** Loads the secrets once; concurrent requests share one load; a failed load is not kept, the next request retries. */
	async loadSecrets(load: () => Promise<Secrets>): Promise<Secrets> {
		if (this.loaded !== undefined) return this.loaded;
		if (!this.pending) {
			this.pending = load().then(
				(secrets) => {
					this.loaded = secrets;
					this.pending = undefined;
					return secrets;
				},
				(error: unknown) => {
					this.pending = undefined;
					throw error;
				},
			);
		}
		return await this.pending;
	}
}

export interface SettingsCacheOptions {
	ttlMs?: number;
	maxNodes?: number;
	/** Epoch milliseconds; tests replace it instead of waiting. */
	now?: () => number;
}

/** Bounded (least recently used goes first, see LruMap) map of node key → CachedNode. */
export class NodeSettingsCache<Settings, Secrets> {
	private readonly entries: LruMap<string, CachedNode<Settings, Secrets>>;

	private readonly ttlMs: number;

	private now: () => number;

	constructor(options: SettingsCacheOptions = {}) {
		this.ttlMs = options.ttlMs ?? SETTINGS_TTL_MS;
		this.entries = new LruMap(options.maxNodes ?? MAX_NODES);
		this.now = options.now ?? Date.now;
	}

	/** The entry for this node and fingerprint, built with `build` when absent, edited or older than the TTL. */
	resolve(nodeKey: string, fingerprint: string, build: () => Settings): CachedNode<Settings, Secrets> {
		const now = this.now();
		const existing = this.entries.peek(nodeKey);
		if (existing && existing.fingerprint === fingerprint && now < existing.expiresAt) {
			this.entries.set(nodeKey, existing);
			return existing;
		}
		const entry = new CachedNode<Settings, Secrets>(fingerprint, now + this.ttlMs, build());
		this.entries.delete(nodeKey);
		// Least recently used first: drop expired entries there, so secrets of a deleted or edited node do not linger.
		this.entries.dropOldestWhile((stale) => stale.expiresAt <= now);
		this.entries.set(nodeKey, entry);
		return entry;
	}

	get size(): number {
		return this.entries.size;
	}

	/** For tests: replace the clock. */
	useClock(now: () => number): void {
		this.now = now;
	}

	clear(): void {
		this.entries.clear();
	}
}
