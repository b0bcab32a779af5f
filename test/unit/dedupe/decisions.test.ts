import {
	dedupeScope,
	DedupeConfigurationError,
	DedupeStoreUnavailableError,
	DUPLICATE_OUTPUT,
	durationMs,
	failedItemRoute,
	NEW_OUTPUT,
	onMissingKey,
	onStoreFailure,
	outputForOutcome,
	resultInfo,
	scopedStorageKey,
	storeFailureMessage,
	UnsupportedRedisVersionError,
	type DedupeOperation,
} from '../../../nodes/core/dedupe';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const AT_ISO = '2026-01-02T03:04:05.006Z';
const LATER = AT + 60_000;
const LATER_ISO = '2026-01-02T03:05:05.006Z';
const ALL_OPERATIONS: DedupeOperation[] = ['checkAndRecord', 'claim', 'confirm', 'release'];

describe('routing a store answer', () => {
	it('sends duplicates to Duplicate and new, confirmed and released keys to New', () => {
		expect(NEW_OUTPUT).toBe(0);
		expect(DUPLICATE_OUTPUT).toBe(1);
		expect(outputForOutcome({ status: 'duplicate', firstSeenAt: AT, state: 'recorded' })).toBe(DUPLICATE_OUTPUT);
		expect(outputForOutcome({ status: 'duplicate', firstSeenAt: AT, state: 'claimed' })).toBe(DUPLICATE_OUTPUT);
		expect(outputForOutcome({ status: 'new', firstSeenAt: AT, expiresAt: LATER })).toBe(NEW_OUTPUT);
		expect(outputForOutcome({ status: 'confirmed', firstSeenAt: AT, expiresAt: LATER, afterLeaseExpired: false })).toBe(NEW_OUTPUT);
		expect(outputForOutcome({ status: 'released', wasPresent: false })).toBe(NEW_OUTPUT);
	});

	it('describes each answer in the result field with ISO times and the state by name', () => {
		expect(resultInfo({ status: 'new', firstSeenAt: AT, expiresAt: LATER }, 'k')).toEqual({ key: 'k', status: 'new', firstSeenAt: AT_ISO, expiresAt: LATER_ISO });
		expect(resultInfo({ status: 'new', firstSeenAt: AT, expiresAt: LATER, claimToken: 't' }, 'k')).toEqual({
			key: 'k',
			status: 'claimed',
			firstSeenAt: AT_ISO,
			expiresAt: LATER_ISO,
			claimToken: 't',
		});
		expect(resultInfo({ status: 'duplicate', firstSeenAt: AT, state: 'recorded' }, 'k')).toEqual({ key: 'k', status: 'duplicate', state: 'processed', firstSeenAt: AT_ISO });
		expect(resultInfo({ status: 'duplicate', firstSeenAt: AT, state: 'claimed' }, 'k')).toEqual({ key: 'k', status: 'duplicate', state: 'inProgress', firstSeenAt: AT_ISO });
		expect(resultInfo({ status: 'confirmed', firstSeenAt: AT, expiresAt: LATER, afterLeaseExpired: true }, 'k')).toEqual({
			key: 'k',
			status: 'confirmed',
			firstSeenAt: AT_ISO,
			expiresAt: LATER_ISO,
			afterLeaseExpired: true,
		});
		expect(resultInfo({ status: 'released', wasPresent: true }, 'k')).toEqual({ key: 'k', status: 'released', wasPresent: true });
		expect(resultInfo({ status: 'refused', reason: 'held-by-another', state: 'claimed', firstSeenAt: AT }, 'k')).toEqual({
			key: 'k',
			status: 'refused',
			state: 'inProgress',
			firstSeenAt: AT_ISO,
		});
	});
});

describe('items without a key', () => {
	it('pass as New only when chosen and only for Check and Record and Claim', () => {
		expect(onMissingKey('checkAndRecord', 'passAsNew')).toBe('passAsNew');
		expect(onMissingKey('claim', 'passAsNew')).toBe('passAsNew');
		expect(onMissingKey('confirm', 'passAsNew')).toBe('failItem');
		expect(onMissingKey('release', 'passAsNew')).toBe('failItem');
		for (const operation of ALL_OPERATIONS) expect(onMissingKey(operation, 'error')).toBe('failItem');
	});
});

describe('the fail-open / fail-closed rule', () => {
	const outage = new DedupeStoreUnavailableError('Redis at 127.0.0.1:1 (database 0) is unreachable: connection refused');
	const tooOld = new UnsupportedRedisVersionError('Redis at h:6379 (database 0) runs Redis 5.0.14; the Dedupe node needs Redis 6.0 or newer (or Valkey)');

	it('fails open on an outage only when chosen, and only for Check and Record and Claim', () => {
		expect(onStoreFailure(outage, 'checkAndRecord', 'passAsNew')).toBe('passAsNew');
		expect(onStoreFailure(outage, 'claim', 'passAsNew')).toBe('passAsNew');
		expect(onStoreFailure(outage, 'confirm', 'passAsNew')).toBe('failItem');
		expect(onStoreFailure(outage, 'release', 'passAsNew')).toBe('failItem');
		for (const operation of ALL_OPERATIONS) expect(onStoreFailure(outage, operation, 'fail')).toBe('failItem');
	});

	it('never fails open on a server that is too old (a setup error), and fails the node on anything else', () => {
		for (const operation of ALL_OPERATIONS) {
			expect(onStoreFailure(tooOld, operation, 'passAsNew')).toBe('failItem');
			expect(onStoreFailure(new TypeError('bug'), operation, 'passAsNew')).toBe('failNode');
		}
	});

	it('says which failure it was, with what to do', () => {
		expect(storeFailureMessage(outage)).toEqual({
			message: 'Dedupe store unavailable: Redis at 127.0.0.1:1 (database 0) is unreachable: connection refused',
			description: expect.stringMatching(/^Nothing was recorded for this item\..*fail open/),
		});
		expect(storeFailureMessage(tooOld).message).toBe(
			'Dedupe store not supported: Redis at h:6379 (database 0) runs Redis 5.0.14; the Dedupe node needs Redis 6.0 or newer (or Valkey)',
		);
		expect(storeFailureMessage(tooOld).description).toMatch(/Failing open does not apply/);
	});

	it('every error class carries its own name', () => {
		expect(outage.name).toBe('DedupeStoreUnavailableError');
		expect(tooOld.name).toBe('UnsupportedRedisVersionError');
		expect(new DedupeConfigurationError('x').name).toBe('DedupeConfigurationError');
	});
});

describe('Continue On Fail', () => {
	it('sends a failed item to Duplicate with status error (never processed by accident); without it the node fails', () => {
		expect(failedItemRoute(true, 'k')).toEqual({ output: DUPLICATE_OUTPUT, info: { key: 'k', status: 'error' } });
		expect(failedItemRoute(true)).toEqual({ output: DUPLICATE_OUTPUT, info: { key: null, status: 'error' } });
		expect(failedItemRoute(false, 'k')).toBe('failNode');
	});
});

describe('windows, leases and scopes', () => {
	it('turns an amount and a unit into milliseconds, and refuses what is not a positive time', () => {
		expect(durationMs(24, 'hours', 'window')).toBe(86_400_000);
		expect(durationMs(1.5, 'seconds', 'lease')).toBe(1500);
		expect(durationMs(5, 'minutes', 'lease')).toBe(300_000);
		expect(durationMs(2, 'days', 'window')).toBe(172_800_000);
		expect(() => durationMs(0, 'hours', 'window')).toThrow(new DedupeConfigurationError('"window" must be a positive number of hours'));
		expect(() => durationMs(Number.NaN, 'hours', 'window')).toThrow(DedupeConfigurationError);
		expect(() => durationMs(1, 'weeks', 'window')).toThrow(DedupeConfigurationError);
	});

	it('keeps scopes apart: per node, per workflow, per named namespace', () => {
		const ids = { workflowId: 'w1', nodeId: 'n1', namespace: ' stripe-events ' };
		expect(dedupeScope('node', ids)).toEqual({ id: 'wf:w1:node:n1', staticDataType: 'node', staticDataProperty: 'dedupe' });
		expect(dedupeScope('workflow', ids)).toEqual({ id: 'wf:w1', staticDataType: 'global', staticDataProperty: 'dedupe:workflow' });
		expect(dedupeScope('namespace', ids)).toEqual({ id: 'ns:stripe-events', staticDataType: 'global', staticDataProperty: 'dedupe:ns:stripe-events' });
		expect(() => dedupeScope('namespace', { ...ids, namespace: '  ' })).toThrow(new DedupeConfigurationError('Scope "Named Namespace" needs a namespace name'));
	});

	it('never lets a namespace and a key share a stored key with another namespace and key', () => {
		const a = scopedStorageKey(dedupeScope('namespace', { workflowId: 'w', nodeId: 'n', namespace: 'orders:eu' }), 'evt_1');
		const b = scopedStorageKey(dedupeScope('namespace', { workflowId: 'w', nodeId: 'n', namespace: 'orders' }), 'eu:evt_1');
		expect(a).toBe('ns:orders%3Aeu:evt_1');
		expect(b).toBe('ns:orders:eu:evt_1');
		expect(a).not.toBe(b);
		// The escape itself is escaped: a name that looks escaped stays apart from the name it looks like.
		const ns = (namespace: string) => dedupeScope('namespace', { workflowId: 'w', nodeId: 'n', namespace }).id;
		expect(ns('a%3Ab')).toBe('ns:a%253Ab');
		expect(ns('a:b')).toBe('ns:a%3Ab');
		expect(scopedStorageKey({ id: 'wf:w1' }, 'x'.repeat(129))).toMatch(/^wf:w1:sha256:[0-9a-f]{64}$/);
	});
});
