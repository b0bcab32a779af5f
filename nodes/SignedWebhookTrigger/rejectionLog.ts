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
	/**
	 * On an info line, those rejections counted by reason group (core/door savedReason: forged, stale, repeat,
	 * claimed, filtered, condition, rate-limited, too large, other). Present only when callers passed reasons.
	 */
	byReason?: ReadonlyMap<string, number>;
}

export class RejectionLogThrottle {
	/** Node key → its state; the node whose last info line is oldest is forgotten first beyond `maxNodes`. */
	private readonly nodes: LruMap<string, { lastInfoAt: number; suppressed: number; byReason?: Map<string, number> }>;

	constructor(
		private readonly intervalMs = REJECTION_INFO_INTERVAL_MS,
		maxNodes = MAX_NODES,
	) {
		this.nodes = new LruMap(maxNodes);
	}

	/** One rejection of this node at `now` (epoch MILLISECONDS); `reason`, when given, is counted for the next info line. */
	next(nodeKey: string, now: number, reason?: string): RejectionLogDecision {
		const state = this.nodes.peek(nodeKey);
		if (state && now - state.lastInfoAt < this.intervalMs) {
			state.suppressed++;
			if (reason !== undefined) {
				state.byReason ??= new Map();
				state.byReason.set(reason, (state.byReason.get(reason) ?? 0) + 1);
			}
			return { info: false, suppressedSince: state.suppressed };
		}
		const suppressedSince = state?.suppressed ?? 0;
		this.nodes.set(nodeKey, { lastInfoAt: now, suppressed: 0 });
		return state?.byReason ? { info: true, suppressedSince, byReason: state.byReason } : { info: true, suppressedSince };
	}
}
