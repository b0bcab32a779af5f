/**
 * What the trigger answered without an execution, grouped for the operator's periodic log line: "forged", "stale",
 * "repeat", "claimed", "filtered", "condition", "rate-limited", "too large", and "other" for the rest (a method or
 * address not allowed, a body that cannot be verified, a destination or store that is down).
 */
export type SavedReason = 'forged' | 'stale' | 'repeat' | 'claimed' | 'filtered' | 'condition' | 'rate-limited' | 'too large' | 'other';

const BY_CODE: Record<string, SavedReason> = {
	missing_signature: 'forged',
	malformed_signature: 'forged',
	invalid_signature: 'forged',
	missing_timestamp: 'forged',
	timestamp_out_of_tolerance: 'stale',
	duplicate_delivery: 'repeat',
	delivery_in_progress: 'claimed',
	event_not_allowed: 'filtered',
	condition_not_met: 'condition',
	rate_limited: 'rate-limited',
	body_too_large: 'too large',
};

/** The group of an answer code (the `error` of the answer's body). */
export function savedReason(code: string): SavedReason {
	return BY_CODE[code] ?? 'other';
}

/** "repeat 49, forged 3": the non-zero counts, largest first (then by name). */
export function formatReasonCounts(counts: ReadonlyMap<string, number>): string {
	return [...counts.entries()]
		.filter(([, count]) => count > 0)
		.sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
		.map(([reason, count]) => `${reason} ${count}`)
		.join(', ');
}
