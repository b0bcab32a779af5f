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
	private readonly nodes = new Map<string, { lastInfoAt: number; suppressed: number }>();

	constructor(
		private readonly intervalMs = REJECTION_INFO_INTERVAL_MS,
		private readonly maxNodes = MAX_NODES,
	) {}

	next(nodeKey: string, now: number): RejectionLogDecision {
		const state = this.nodes.get(nodeKey);
		if (state && now - state.lastInfoAt < this.intervalMs) {
			state.suppressed++;
			return { info: false, suppressedSince: state.suppressed };
		}
		const suppressedSince = state?.suppressed ?? 0;
		this.nodes.delete(nodeKey);
		if (this.nodes.size >= this.maxNodes) this.nodes.delete(this.nodes.keys().next().value as string);
		this.nodes.set(nodeKey, { lastInfoAt: now, suppressed: 0 });
		return { info: true, suppressedSince };
	}
}
