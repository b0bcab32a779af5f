import { LruMap } from '../core/lru-map';

/**
 * Decides how loudly to log a rejection. Every rejection goes to the debug level; per trigger node, the first one in
 * each interval also goes to info, with the number of rejections since the previous info line. A flood of forged
 * requests therefore costs one info line a minute instead of one per request (writing n8n's log line was the
 * trigger's largest own cost per rejected request), and a misconfigured sender still shows up in the log at once.
 */
export const REJECTION_INFO_INTERVAL_MS = 60_000;

const MAX_NODES = 1000;

export interface RejectionLogDecision {
	/** Also log at info. */
	info: boolean;
	/** Rejections logged at debug only since the previous info line of this node. */
	suppressedSince: number;
}

export class RejectionLogThrottle {
	/** Node key → its state; the node whose last info line is oldest is forgotten first beyond `maxNodes`. */
	private readonly nodes: LruMap<string, { lastInfoAt: number; suppressed: number }>;

	constructor(
		private readonly intervalMs = REJECTION_INFO_INTERVAL_MS,
		maxNodes = MAX_NODES,
	) {
		this.nodes = new LruMap(maxNodes);
	}

	next(nodeKey: string, now: number): RejectionLogDecision {
		const state = this.nodes.peek(nodeKey);
		if (state && now - state.lastInfoAt < this.intervalMs) {
			state.suppressed++;
			return { info: false, suppressedSince: state.suppressed };
		}
		const suppressedSince = state?.suppressed ?? 0;
		this.nodes.set(nodeKey, { lastInfoAt: now, suppressed: 0 });
		return { info: true, suppressedSince };
	}
}
