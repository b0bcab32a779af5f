/**
 * The Dedupe node's decisions that do not depend on n8n: where an item goes (New or Duplicate), what its result
 * field says, when the store may fail open, what a failed item becomes, and how scopes and windows turn into
 * stored keys and milliseconds. The node (nodes/Dedupe) reads its parameters and calls these.
 */
import { randomUUID } from 'node:crypto';

import { storageKey } from './key';
import type { DedupeOperation, DedupeOutcome } from './types';
import { DedupeStoreUnavailableError, DedupeStoreWriteRefusedError, UnsupportedRedisVersionError } from './types';

/** The node's outputs, by index: 0 is New, 1 is Duplicate. */
export const NEW_OUTPUT = 0;
export const DUPLICATE_OUTPUT = 1;
export type DedupeOutput = typeof NEW_OUTPUT | typeof DUPLICATE_OUTPUT;

/** A setting of the node that cannot work (no namespace name, a window that is not a positive time). */
export class DedupeConfigurationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DedupeConfigurationError';
	}
}

/** Where a store's answer sends the item: Duplicate for a duplicate, New for new, confirmed and released. */
export function outputForOutcome(outcome: Exclude<DedupeOutcome, { status: 'refused' }>): DedupeOutput {
	return outcome.status === 'duplicate' ? DUPLICATE_OUTPUT : NEW_OUTPUT;
}

/**
 * The result field an output item carries (`dedupe` by default). Times are ISO 8601 text (UTC); `state` says
 * `processed` (recorded for the window) or `inProgress` (claimed under a lease).
 */
export type DedupeResultInfo =
	| { key: string; status: 'new'; firstSeenAt: string; expiresAt: string }
	| { key: string; status: 'claimed'; firstSeenAt: string; expiresAt: string; claimToken: string }
	| { key: string; status: 'duplicate' | 'refused'; state: 'processed' | 'inProgress'; firstSeenAt: string }
	| { key: string; status: 'confirmed'; firstSeenAt: string; expiresAt: string; afterLeaseExpired: boolean }
	| { key: string; status: 'released'; wasPresent: boolean }
	| { key: null; status: 'noKey' }
	| { key: string; status: 'failOpen'; storeError: string; claimToken?: string }
	| { key: string | null; status: 'error' };

const iso = (ms: number) => new Date(ms).toISOString();
const stateName = (state: 'recorded' | 'claimed') => (state === 'claimed' ? 'inProgress' : 'processed');

/** The result field for a store's answer about `key`. */
export function resultInfo(outcome: DedupeOutcome, key: string): DedupeResultInfo {
	switch (outcome.status) {
		case 'new':
			return outcome.claimToken === undefined
				? { key, status: 'new', firstSeenAt: iso(outcome.firstSeenAt), expiresAt: iso(outcome.expiresAt) }
				: { key, status: 'claimed', firstSeenAt: iso(outcome.firstSeenAt), expiresAt: iso(outcome.expiresAt), claimToken: outcome.claimToken };
		case 'duplicate':
		case 'refused':
			return { key, status: outcome.status, state: stateName(outcome.state), firstSeenAt: iso(outcome.firstSeenAt) };
		case 'confirmed':
			return { key, status: 'confirmed', firstSeenAt: iso(outcome.firstSeenAt), expiresAt: iso(outcome.expiresAt), afterLeaseExpired: outcome.afterLeaseExpired };
		case 'released':
			return { key, status: 'released', wasPresent: outcome.wasPresent };
	}
}

/** Check and Record and Claim decide whether work happens; only they may pass an item as New without the store. */
export function mayPassAsNew(operation: DedupeOperation): boolean {
	return operation === 'checkAndRecord' || operation === 'claim';
}

/** An item without a key ("Item Without a Key"): passed as New (status `noKey`) only when chosen and allowed. */
export function onMissingKey(operation: DedupeOperation, setting: 'error' | 'passAsNew'): 'passAsNew' | 'failItem' {
	return setting === 'passAsNew' && mayPassAsNew(operation) ? 'passAsNew' : 'failItem';
}

/**
 * What a store failure does to each pending item ("When the Store Is Unreachable"):
 * - `passAsNew` (fail open): only for an outage (`DedupeStoreUnavailableError`), only when chosen, only for
 *   Check and Record / Claim;
 * - `failItem` (fail closed): an outage otherwise, and always for a server that is too old, which is a
 *   setup error: failing open on it would turn deduplication off for good;
 * - `failNode`: anything else (a bug or a credential n8n could not load): the node fails as a whole.
 */
export function onStoreFailure(error: unknown, operation: DedupeOperation, setting: 'fail' | 'passAsNew'): 'passAsNew' | 'failItem' | 'failNode' {
	if (error instanceof UnsupportedRedisVersionError) return 'failItem';
	if (!(error instanceof DedupeStoreUnavailableError)) return 'failNode';
	return setting === 'passAsNew' && mayPassAsNew(operation) ? 'passAsNew' : 'failItem';
}

/** The message and help text of an item failed by a store failure (never a password: store messages hold none). */
export function storeFailureMessage(error: Error): { message: string; description: string } {
	if (error instanceof UnsupportedRedisVersionError) {
		return {
			message: `Dedupe store not supported: ${error.message}`,
			description:
				'Nothing was recorded for this item. Point the Redis credential at Redis 6.0 or newer, or Valkey. Failing open does not apply to this: it would turn deduplication off for good.',
		};
	}
	if (error instanceof DedupeStoreWriteRefusedError) {
		return {
			message: `Dedupe store unavailable: ${error.message}`,
			description:
				'Nothing was recorded for this item: Redis answered but refused to write. Fix the server as the message says; or set "When the Store Is Unreachable" to pass items as new (fail open), which lets repeats through while it lasts.',
		};
	}
	return {
		message: `Dedupe store unavailable: ${error.message}`,
		description:
			'Nothing was recorded for this item. Check the Redis credential and that Redis is running; or set "When the Store Is Unreachable" to pass items as new (fail open).',
	};
}

/**
 * A failed item with Continue On Fail: it goes to Duplicate, so that it is never processed by accident, with
 * status `error` (n8n moves it to its error output when that is on). Without Continue On Fail the node fails.
 */
export function failedItemRoute(continueOnFail: boolean, key?: string): { output: DedupeOutput; info: DedupeResultInfo } | 'failNode' {
	return continueOnFail ? { output: DUPLICATE_OUTPUT, info: { key: key ?? null, status: 'error' } } : 'failNode';
}

/** Most keys the built-in store keeps per scope unless "Max Keys" says otherwise. */
export const DEFAULT_MAX_KEYS = 10_000;

/** Milliseconds per unit of the Window and Lease parameters. */
export const UNIT_MS: Readonly<Record<string, number>> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * A Window or Lease in milliseconds.
 * @throws DedupeConfigurationError when the amount is not a positive number or the unit is unknown.
 */
export function durationMs(amount: number, unit: string, parameterName: string): number {
	if (!Number.isFinite(amount) || amount <= 0 || UNIT_MS[unit] === undefined) {
		throw new DedupeConfigurationError(`"${parameterName}" must be a positive number of ${unit}`);
	}
	return amount * UNIT_MS[unit];
}

/** Which keys an item is compared with: this node's, the workflow's, or a named namespace's. */
export type DedupeScopeSetting = 'node' | 'workflow' | 'namespace';

export interface DedupeScope {
	/** Part of every stored key: keeps scopes apart in a shared store. */
	id: string;
	/** Where the built-in store is saved in workflow static data. */
	staticDataType: 'node' | 'global';
	staticDataProperty: string;
}

/**
 * The scope of a Dedupe node. A namespace's `%` and `:` are escaped, so that namespace `a:b` with key `c`
 * and namespace `a` with key `b:c` never share a stored key; a name without them is kept as it is (unchanged keys).
 * @throws DedupeConfigurationError for the namespace scope without a name.
 */
export function dedupeScope(setting: DedupeScopeSetting | string, ids: { workflowId: string; nodeId: string; namespace?: string }): DedupeScope {
	if (setting === 'workflow') return { id: `wf:${ids.workflowId}`, staticDataType: 'global', staticDataProperty: 'dedupe:workflow' };
	if (setting === 'namespace') {
		const namespace = (ids.namespace ?? '').trim();
		if (namespace === '') throw new DedupeConfigurationError('Scope "Named Namespace" needs a namespace name');
		const escaped = namespace.replace(/[%:]/g, (c) => encodeURIComponent(c));
		return { id: `ns:${escaped}`, staticDataType: 'global', staticDataProperty: `dedupe:ns:${namespace}` };
	}
	return { id: `wf:${ids.workflowId}:node:${ids.nodeId}`, staticDataType: 'node', staticDataProperty: 'dedupe' };
}

/** The key a store holds for `key` in `scope`: `<scope id>:<key, or sha256:<hex> when long>`. */
export function scopedStorageKey(scope: Pick<DedupeScope, 'id'>, key: string): string {
	return `${scope.id}:${storageKey(key)}`;
}

/** How long Confirm and Release wait for an unreachable store by default (seconds): a Redis restart takes a few. */
export const DEFAULT_STORE_OUTAGE_WAIT_SECONDS = 30;

/**
 * Confirm and Release may be repeated safely (the holder's second Confirm confirms again; a second Release finds
 * the key gone), so they wait out a short outage instead of failing. Failing them is what leaves a copy: the
 * execution errors after the work was forwarded, the sender retries, and once the lease lapses the retry is
 * forwarded again. Check and Record and Claim do not wait: Redis unreachable before the write means nothing was
 * written, and the sender's retry is the next step (a write whose reply was lost is re-sent by the store itself).
 */
export function waitsOutStoreOutage(operation: DedupeOperation): boolean {
	return operation === 'confirm' || operation === 'release';
}

/**
 * Runs `attempt` until it succeeds or the store stays unreachable for `budgetMs` (milliseconds). Retries only an
 * outage (`DedupeStoreUnavailableError`, not a write refusal, which waiting does not fix); waits 250 ms, doubling
 * to at most 2 s, never past the budget. Throws the last error when the budget is spent; any other error at once.
 * `now` and `sleep` are injectable for tests.
 */
export async function retryWhileStoreUnavailable<T>(
	attempt: () => Promise<T>,
	options: { budgetMs: number; now?: () => number; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
	const deadline = now() + Math.max(0, options.budgetMs);
	for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 2000)) {
		try {
			return await attempt();
		} catch (error) {
			const outage = error instanceof DedupeStoreUnavailableError && !(error instanceof DedupeStoreWriteRefusedError);
			const left = deadline - now();
			if (!outage || left <= 0) throw error;
			await sleep(Math.min(delayMs, left));
		}
	}
}

/**
 * The claim token of a Claim that failed open: a fresh one that nobody holds in the store. With it the workflow's
 * Confirm records the key once the store answers again (the key is absent, so Confirm records it; see the store's
 * `afterLeaseExpired`), and the sender's retry is then a duplicate instead of a second run; Release finds nothing.
 * Without it, Confirm would fail for want of a token and the sender's retry would run the work again.
 */
export function failOpenClaimToken(): string {
	return randomUUID();
}
