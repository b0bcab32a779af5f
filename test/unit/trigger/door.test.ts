/**
 * The checks at the door, as pure decisions (core/door) and as pipeline steps with the real signature core and the
 * Dedupe node's real in-process store: repeat keys and verdicts, store failures, default windows and their notice,
 * conditions, report-only verification, and the counts by reason of the rejection log line.
 * Provider fact used: Stripe signs `id` into the body of every event and retries for up to 3 days in live mode
 * (docs.stripe.com/webhooks#retries); GitHub sends X-GitHub-Delivery (docs.github.com, "Webhook events and payloads").
 */
import {
	DedupeStoreUnavailableError,
	DedupeStoreWriteRefusedError,
	MemoryDedupeStore,
	MemoryStoreRegistry,
	UnsupportedRedisVersionError,
} from '../../../nodes/core/dedupe';
import {
	conditionHolds,
	DEFAULT_REPEAT_WINDOW_SECONDS,
	defaultRepeatWindowSeconds,
	doorAnswer,
	firstFailingCondition,
	formatReasonCounts,
	formatSeconds,
	parseConditions,
	repeatDecision,
	repeatKeyOf,
	repeatRequest,
	repeatStoreFailure,
	savedReason,
	shortWindowNotice,
	STORE_UNAVAILABLE_RETRY_AFTER_SECONDS,
	type DoorCondition,
} from '../../../nodes/core/door';
import { detectHandshake, sign, verify } from '../../../nodes/core/signatures';
import { runPipeline, type IncomingRequest, type PipelineSettings, type RepeatCheck } from '../../../nodes/SignedWebhookTrigger/pipeline';
import { RejectionLogThrottle } from '../../../nodes/SignedWebhookTrigger/rejectionLog';
import { BUILT_IN_REPEAT_STORE_IN_QUEUE_MODE, conditionsFrom, repeatsFrom } from '../../../nodes/SignedWebhookTrigger/triggerSettings';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const STRIPE_SECRET = 'whsec_doorUnitTest0123456789abcdef';
const verifier = { verify, detectHandshake };
const json = (value: unknown) => () => value;

describe('door answers', () => {
	it('duplicate and condition misses are 200 (acknowledged); in-progress and store-down are 503 with Retry-After in whole seconds ≥ 1', () => {
		expect(doorAnswer('duplicate_delivery')).toEqual({ status: 200, headers: {}, body: { error: 'duplicate_delivery', message: expect.any(String) } });
		expect(doorAnswer('condition_not_met').status).toBe(200);
		expect(doorAnswer('delivery_in_progress', 12.2)).toMatchObject({ status: 503, headers: { 'Retry-After': '13' } });
		expect(doorAnswer('delivery_in_progress', 0).headers['Retry-After']).toBe('1');
		expect(doorAnswer('repeat_store_unavailable').headers['Retry-After']).toBe(String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS));
	});
});

describe('repeatKeyOf', () => {
	const headers = { 'x-event-key': 'abc', 'x-multi': ['a', 'b'], 'x-empty': '  ' };
	it.each([
		['delivery id', { from: 'deliveryId' as const }, 'evt_1'],
		['header (any case)', { from: 'header' as const, name: 'X-Event-Key' }, 'abc'],
		['header with several values: joined as HTTP folds them', { from: 'header' as const, name: 'x-multi' }, 'a, b'],
		['empty header: no key', { from: 'header' as const, name: 'x-empty' }, undefined],
		['missing header: no key', { from: 'header' as const, name: 'x-none' }, undefined],
		['JSON path to text', { from: 'jsonPath' as const, path: 'data.object.id' }, 'in_1'],
		['JSON path to a number', { from: 'jsonPath' as const, path: 'data.n' }, '42'],
		['JSON path into an array', { from: 'jsonPath' as const, path: 'items.1' }, 'y'],
		['JSON path to an object: its canonical JSON', { from: 'jsonPath' as const, path: 'data.obj' }, '{"a":1,"b":2}'],
		['JSON path to null: no key', { from: 'jsonPath' as const, path: 'data.nothing' }, undefined],
		['missing JSON path: no key', { from: 'jsonPath' as const, path: 'data.missing.deeper' }, undefined],
	])('%s', (_name, source, expected) => {
		const body = { data: { object: { id: 'in_1' }, n: 42, obj: { b: 2, a: 1 }, nothing: null }, items: ['x', 'y'] };
		expect(repeatKeyOf(source, { deliveryId: 'evt_1', headers, json: json(body) })).toBe(expected);
	});
	it('no delivery id: no key; a body that is not JSON: no key', () => {
		expect(repeatKeyOf({ from: 'deliveryId' }, { deliveryId: undefined, headers: {}, json: json(undefined) })).toBeUndefined();
		expect(repeatKeyOf({ from: 'jsonPath', path: 'a' }, { deliveryId: undefined, headers: {}, json: json(undefined) })).toBeUndefined();
	});
});

describe('repeatDecision on the Dedupe store (record and claim)', () => {
	const options = { now: T0, windowMs: 3_600_000, leaseMs: 60_000 };
	let clock = T0;
	const store = () => new MemoryDedupeStore({ maxKeys: 100, now: () => clock, newToken: () => 'token-1' });

	it('record: the first runs (recorded, window in the item), a repeat is duplicate_delivery (200)', () => {
		clock = T0;
		const s = store();
		const [first] = s.applySync([repeatRequest('record', 'wf:1:evt', options.windowMs, options.leaseMs)]);
		expect(repeatDecision(first, 'evt', options)).toEqual({
			run: true,
			info: { key: 'evt', status: 'recorded', firstSeenAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + 3_600_000).toISOString(), windowSeconds: 3600 },
		});
		const [again] = s.applySync([repeatRequest('record', 'wf:1:evt', options.windowMs, options.leaseMs)]);
		expect(repeatDecision(again, 'evt', options)).toMatchObject({ run: false, code: 'duplicate_delivery', response: { status: 200 } });
	});

	it('claim: the first runs with the claim token; a repeat during the lease is 503 with the rest of the lease; confirmed → 200 duplicate; lapsed → runs', () => {
		clock = T0;
		const s = store();
		const [first] = s.applySync([repeatRequest('claim', 'k', options.windowMs, options.leaseMs)]);
		expect(repeatDecision(first, 'evt', options)).toMatchObject({ run: true, info: { status: 'claimed', claimToken: 'token-1', key: 'evt' } });

		clock = T0 + 20_500;
		const [during] = s.applySync([repeatRequest('claim', 'k', options.windowMs, options.leaseMs)]);
		expect(repeatDecision(during, 'evt', { ...options, now: clock })).toMatchObject({
			run: false,
			code: 'delivery_in_progress',
			response: { status: 503, headers: { 'Retry-After': '40' } },
		});

		// Lapsed unconfirmed: the next redelivery claims again and runs.
		clock = T0 + 60_000;
		const [lapsed] = s.applySync([repeatRequest('claim', 'k', options.windowMs, options.leaseMs)]);
		expect(repeatDecision(lapsed, 'evt', { ...options, now: clock }).run).toBe(true);

		// Confirmed (the Dedupe node's Confirm): repeats are duplicates for the window.
		s.applySync([{ op: 'confirm', key: 'k', token: 'token-1', ttlMs: options.windowMs }]);
		const [after] = s.applySync([repeatRequest('claim', 'k', options.windowMs, options.leaseMs)]);
		expect(repeatDecision(after, 'evt', { ...options, now: clock })).toMatchObject({ run: false, code: 'duplicate_delivery' });
	});
});

describe('repeatStoreFailure', () => {
	const down = new DedupeStoreUnavailableError('Redis 127.0.0.1:6379 (database 0) is unreachable');
	it('fail closed (default): 503 repeat_store_unavailable with Retry-After', () => {
		expect(repeatStoreFailure(down, 'k', false)).toMatchObject({ run: false, code: 'repeat_store_unavailable', response: { status: 503 } });
	});
	it('fail open: runs, the item says failOpen with the store message', () => {
		expect(repeatStoreFailure(down, 'k', true)).toEqual({ run: true, info: { key: 'k', status: 'failOpen', storeError: down.message } });
		expect(repeatStoreFailure(new DedupeStoreWriteRefusedError('full', 'full'), 'k', true).run).toBe(true);
		// A failed-open claim carries a fresh token (a UUID, different each time), so the workflow's Confirm can record the key.
		const claimed = repeatStoreFailure(down, 'k', true, true);
		const again = repeatStoreFailure(down, 'k', true, true);
		expect(claimed).toEqual({ run: true, info: { key: 'k', status: 'failOpen', storeError: down.message, claimToken: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
		expect(claimed.run && again.run && claimed.info.status === 'failOpen' && again.info.status === 'failOpen' && claimed.info.claimToken !== again.info.claimToken).toBe(true);
	});
	it('a server too old never fails open; any other error is rethrown (the misconfiguration path)', () => {
		expect(repeatStoreFailure(new UnsupportedRedisVersionError('Redis 5.0 < 6.0'), 'k', true)).toMatchObject({ run: false, code: 'repeat_store_unavailable' });
		expect(() => repeatStoreFailure(new TypeError('bug'), 'k', true)).toThrow(TypeError);
	});
});

describe('default window and its notice', () => {
	it('the provider horizon, else 3 days', () => {
		expect(defaultRepeatWindowSeconds(259_200)).toBe(259_200);
		expect(defaultRepeatWindowSeconds(14_400)).toBe(14_400);
		expect(defaultRepeatWindowSeconds(undefined)).toBe(DEFAULT_REPEAT_WINDOW_SECONDS);
		expect(DEFAULT_REPEAT_WINDOW_SECONDS).toBe(3 * 86_400);
	});
	it('a notice only when the window is shorter than the horizon, naming both', () => {
		const stripe = { displayName: 'Stripe', horizonSeconds: 259_200, horizon: '3 days' };
		expect(shortWindowNotice(259_200, stripe)).toBeUndefined();
		expect(shortWindowNotice(86_400, stripe)).toMatch(/window \(1 day\) is shorter than the sender's retries \(Stripe retries for up to 3 days\)/);
		expect(shortWindowNotice(3600, { displayName: 'Acme' })).toMatch(/Acme publishes no retry horizon; the default assumes 3 days/);
		expect(shortWindowNotice(3 * 86_400, { displayName: 'Acme' })).toBeUndefined();
	});
	it.each([[259_200, '3 days'], [3600, '1 hour'], [5400, '90 minutes'], [45, '45 seconds'], [1, '1 second']])('formatSeconds(%s) = %s', (s, text) =>
		expect(formatSeconds(s)).toBe(text),
	);
});

describe('conditions', () => {
	const headers = { 'x-shop': 'acme.myshopify.com' };
	const body = { type: 'invoice.paid', livemode: true, amount: 0, data: { tags: ['a'] } };
	const holds = (c: Partial<DoorCondition>) => conditionHolds({ source: 'jsonPath', name: 'type', operator: 'equals', value: '', ...c }, headers, json(body));
	it.each([
		[{ value: 'invoice.paid' }, true],
		[{ value: 'Invoice.paid' }, false],
		[{ name: 'livemode', value: 'true' }, true],
		[{ name: 'amount', value: '0' }, true],
		[{ operator: 'startsWith' as const, value: 'invoice.' }, true],
		[{ operator: 'startsWith' as const, value: 'customer.' }, false],
		[{ operator: 'isOneOf' as const, value: 'charge.succeeded, invoice.paid' }, true],
		[{ operator: 'isOneOf' as const, value: 'charge.succeeded,invoice' }, false],
		[{ operator: 'exists' as const, name: 'data.tags' }, true],
		[{ operator: 'exists' as const, name: 'data.missing' }, false],
		[{ source: 'header' as const, name: 'x-shop', operator: 'equals' as const, value: 'acme.myshopify.com' }, true],
		[{ source: 'header' as const, name: 'x-other', operator: 'exists' as const }, false],
	])('%j → %s', (condition, expected) => expect(holds(condition)).toBe(expected));

	it('all must hold: the first failing one is named by index', () => {
		const conditions = parseConditions([
			{ source: 'jsonPath', name: 'type', operator: 'startsWith', value: 'invoice.' },
			{ source: 'header', name: 'X-Shop', operator: 'equals', value: 'other' },
		]);
		expect(conditions[1].name).toBe('x-shop');
		expect(firstFailingCondition(conditions, headers, json(body))).toBe(1);
		expect(firstFailingCondition(conditions.slice(0, 1), headers, json(body))).toBe(-1);
		expect(firstFailingCondition([], headers, json(body))).toBe(-1);
	});

	it('a row without a name or with an unknown operator is refused, naming the row', () => {
		expect(() => parseConditions([{ source: 'jsonPath', name: ' ', operator: 'equals' }])).toThrow('Conditions: row 1 names no JSON path.');
		expect(() => parseConditions([{ name: 'a' }, { source: 'header', name: 'b', operator: 'matches' }])).toThrow('row 2 has an unknown operator');
		expect(() => conditionsFrom((name, fallback) => (name === 'conditions' ? { condition: [{ source: 'header', name: '' }] } : fallback))).toThrow(/row 1 names no header/);
	});
});

describe('Drop Repeated Deliveries parameters (repeatsFrom)', () => {
	const read = (values: Record<string, unknown>) => (name: string, fallback?: unknown) => (name in values ? values[name] : fallback);
	it('off unless switched on', () => {
		expect(repeatsFrom('stripe', read({}), { workflowId: 'w' }, false)).toBeUndefined();
	});
	it('defaults: record, delivery id, workflow scope (the Dedupe node\'s), the provider horizon (3 days without one), built-in, fail closed', () => {
		const settings = repeatsFrom('stripe', read({ dropRepeats: true }), { workflowId: 'w1' }, false)!;
		expect(settings).toMatchObject({ mode: 'record', keySource: { from: 'deliveryId' }, store: 'builtIn', failOpen: false, leaseMs: 300_000 });
		expect(settings.scope.id).toBe('wf:w1');
		expect(settings.windowMs).toBeGreaterThan(0);
	});
	it('custom window shorter than the horizon carries the notice; namespace scope; claim with a lease', () => {
		const settings = repeatsFrom(
			'stripe',
			read({ dropRepeats: true, repeatMode: 'claim', repeatWindow: 'custom', repeatWindowAmount: 2, repeatWindowUnit: 'hours', repeatScope: 'namespace', repeatNamespace: 'billing', repeatLeaseAmount: 30, repeatLeaseUnit: 'seconds', backpressureStore: 'redis', repeatStoreDown: 'failOpen' }),
			{ workflowId: 'w1' },
			true,
		)!;
		expect(settings).toMatchObject({ mode: 'claim', windowMs: 7_200_000, leaseMs: 30_000, store: 'redis', failOpen: true, scope: { id: 'ns:billing' } });
		expect(settings.shortWindowNotice).toMatch(/window \(2 hours\) is shorter/);
	});
	it('refusals name the parameter: built-in in queue mode, empty header or path, no delivery id, bad window', () => {
		expect(() => repeatsFrom('stripe', read({ dropRepeats: true }), { workflowId: 'w' }, true)).toThrow(BUILT_IN_REPEAT_STORE_IN_QUEUE_MODE);
		expect(() => repeatsFrom('stripe', read({ dropRepeats: true, repeatKey: 'header', repeatKeyHeader: ' ' }), { workflowId: 'w' }, false)).toThrow(/Key Header is empty/);
		expect(() => repeatsFrom('stripe', read({ dropRepeats: true, repeatKey: 'jsonPath' }), { workflowId: 'w' }, false)).toThrow(/Key JSON Path is empty/);
		expect(() => repeatsFrom('generic-token', read({ dropRepeats: true }), { workflowId: 'w' }, false)).toThrow(/sends no delivery id/);
		expect(() => repeatsFrom('stripe', read({ dropRepeats: true, repeatWindow: 'custom', repeatWindowAmount: 0 }), { workflowId: 'w' }, false)).toThrow(/Drop Repeated Deliveries: "Window" must be a positive/);
		expect(() => repeatsFrom('stripe', read({ dropRepeats: true, repeatScope: 'namespace' }), { workflowId: 'w' }, false)).toThrow(/needs a namespace name/);
	});
});

describe('MemoryStoreRegistry.getKeepingSize (the trigger never resizes a Dedupe node\'s store)', () => {
	it('keeps the size a Dedupe node set; creates with the given size when new', () => {
		const registry = new MemoryStoreRegistry();
		registry.get('wf:1', 50_000);
		expect(registry.getKeepingSize('wf:1', 10_000).maxKeys).toBe(50_000);
		expect(registry.getKeepingSize('wf:2', 10_000).maxKeys).toBe(10_000);
		expect(registry.hasMerged('wf:1', 'w')).toBe(false);
		registry.hydrateOnce('wf:1', 'w', undefined);
		expect(registry.hasMerged('wf:1', 'w')).toBe(true);
	});
});

describe('pipeline order: conditions and repeats after verification, repeats last', () => {
	const body = JSON.stringify({ id: 'evt_p1', object: 'event', type: 'invoice.paid', livemode: false });
	const request = (secret = STRIPE_SECRET): IncomingRequest => ({
		method: 'POST',
		clientIp: '127.0.0.1',
		headers: { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(sign({ provider: 'stripe', secret, body })).map(([k, v]) => [k.toLowerCase(), v])) },
		query: {},
		url: 'http://127.0.0.1/webhook/x',
		contentType: 'application/json',
		readBody: async () => Buffer.from(body),
	});
	const base = (extra: Partial<PipelineSettings> = {}): PipelineSettings => ({
		provider: 'stripe',
		acceptedMethods: ['POST'],
		maxBodyBytes: 0,
		allowedEventTypes: [],
		providerOptions: {},
		secrets: [STRIPE_SECRET],
		redactHeaders: new Set(['stripe-signature']),
		...extra,
	});
	const counting = (): RepeatCheck & { keys: string[] } => {
		const store = new MemoryDedupeStore({ maxKeys: 10 });
		const keys: string[] = [];
		return {
			keys,
			keySource: { from: 'deliveryId' },
			decide: async (key, now) => {
				keys.push(key);
				const [outcome] = store.applySync([repeatRequest('record', key, 60_000, 60_000)]);
				return repeatDecision(outcome, key, { now, windowMs: 60_000, leaseMs: 60_000 });
			},
		};
	};

	it('a forged delivery is 401 and never reaches the repeat store; a repeat of a verified one is 200 duplicate', async () => {
		const repeats = counting();
		expect(await runPipeline(base({ repeats }), request('whsec_wrongWrongWrong0123456789ab'), verifier)).toMatchObject({ type: 'reject', response: { status: 401 } });
		expect(repeats.keys).toEqual([]);
		const first = await runPipeline(base({ repeats }), request(), verifier);
		expect(first).toMatchObject({ type: 'emit', json: { dedupe: { key: 'evt_p1', status: 'recorded' } } });
		expect(await runPipeline(base({ repeats }), request(), verifier)).toMatchObject({ type: 'reject', response: { status: 200, body: { error: 'duplicate_delivery' } } });
	});

	it('a condition miss is answered before the repeat store is touched (nothing recorded for a delivery that does not run)', async () => {
		const repeats = counting();
		const conditions = parseConditions([{ source: 'jsonPath', name: 'livemode', operator: 'equals', value: 'true' }]);
		expect(await runPipeline(base({ repeats, conditions }), request(), verifier)).toMatchObject({
			type: 'reject',
			response: { status: 200, body: { error: 'condition_not_met' } },
			detail: 'condition 1 does not hold',
		});
		expect(repeats.keys).toEqual([]);
	});

	it('report-only: a forged delivery is emitted with the verdict and skips the repeat store; a valid one says valid', async () => {
		const repeats = counting();
		const forged = await runPipeline(base({ repeats, reportOnly: true }), request('whsec_wrongWrongWrong0123456789ab'), verifier);
		expect(forged).toMatchObject({ type: 'emit', json: { verification: { valid: false, reason: 'invalid_signature', provider: 'stripe', secretIndex: null } } });
		expect(JSON.stringify(forged)).not.toContain(STRIPE_SECRET);
		expect(repeats.keys).toEqual([]);
		const unsigned = await runPipeline(base({ reportOnly: true, secrets: undefined, loadCredential: async () => { throw new Error('not needed'); } }), { ...request(), headers: { 'content-type': 'application/json' } }, verifier);
		expect(unsigned).toMatchObject({ type: 'emit', json: { verification: { valid: false, reason: 'missing_signature' } } });
		expect(await runPipeline(base({ reportOnly: true }), request(), verifier)).toMatchObject({ type: 'emit', json: { verification: { valid: true, deliveryId: 'evt_p1' } } });
	});

	it('without the options the item is unchanged (no valid, no dedupe)', async () => {
		const outcome = await runPipeline(base(), request(), verifier);
		expect(outcome.type).toBe('emit');
		if (outcome.type === 'emit') {
			expect(outcome.json.verification).not.toHaveProperty('valid');
			expect(outcome.json).not.toHaveProperty('dedupe');
		}
	});
});

describe('counts by reason in the rejection log line', () => {
	it.each([
		['invalid_signature', 'forged'],
		['missing_signature', 'forged'],
		['timestamp_out_of_tolerance', 'stale'],
		['duplicate_delivery', 'repeat'],
		['delivery_in_progress', 'claimed'],
		['event_not_allowed', 'filtered'],
		['condition_not_met', 'condition'],
		['rate_limited', 'rate-limited'],
		['body_too_large', 'too large'],
		['ip_not_allowed', 'other'],
	])('%s → %s', (code, reason) => expect(savedReason(code)).toBe(reason));

	it('the info line after a quiet minute carries the suppressed answers by reason, largest first', () => {
		const throttle = new RejectionLogThrottle(60_000);
		expect(throttle.next('n', T0, 'repeat')).toEqual({ info: true, suppressedSince: 0 });
		for (let i = 1; i <= 3; i++) throttle.next('n', T0 + i, 'repeat');
		throttle.next('n', T0 + 10, 'forged');
		const line = throttle.next('n', T0 + 60_000, 'stale');
		expect(line.info).toBe(true);
		expect(line.suppressedSince).toBe(4);
		expect(formatReasonCounts(line.byReason!)).toBe('repeat 3, forged 1');
		// Counting starts again after an info line.
		throttle.next('n', T0 + 60_001, 'condition');
		expect(formatReasonCounts(throttle.next('n', T0 + 120_001, 'x').byReason!)).toBe('condition 1');
	});
});

describe('the editor description', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { backpressureCredential, triggerProperties } = require('../../../nodes/SignedWebhookTrigger/description') as typeof import('../../../nodes/SignedWebhookTrigger/description');
	const byName = (name: string) => triggerProperties.filter((property) => property.name === name);

	it('every door option is off by default: the trigger behaves as before until one is switched on', () => {
		expect(byName('dropRepeats')[0].default).toBe(false);
		expect(byName('reportOnly')[0].default).toBe(false);
		expect(byName('conditions')[0].default).toEqual({});
		expect(byName('repeatStoreDown')[0].default).toBe('failClosed');
	});

	it('key, header and path take no expressions (a repeat costs no expression evaluation)', () => {
		for (const name of ['repeatKey', 'repeatKeyHeader', 'repeatKeyPath', 'repeatMode', 'repeatScope']) expect(byName(name)[0].noDataExpression).toBe(true);
	});

	it('one state store parameter for backpressure and repeats, and the Redis credential whenever it is Redis', () => {
		const stores = byName('backpressureStore');
		expect(stores).toHaveLength(2);
		expect(stores[1].displayOptions).toEqual({ show: { dropRepeats: [true] }, hide: { backpressure: [true] } });
		expect(backpressureCredential.displayOptions).toEqual({ show: { backpressureStore: ['redis'] } });
	});

	it('report-only and fail-open keep a warning notice on the node while on', () => {
		expect(byName('reportOnlyNotice')[0]).toMatchObject({ type: 'notice', displayOptions: { show: { reportOnly: [true] } } });
		expect(byName('repeatFailOpenNotice')[0].displayOptions?.show).toMatchObject({ repeatStoreDown: ['failOpen'] });
	});
});

describe('the retry-horizon notices under a custom window', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { triggerProperties } = require('../../../nodes/SignedWebhookTrigger/description') as typeof import('../../../nodes/SignedWebhookTrigger/description');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { PROVIDER_CHOICES } = require('../../../nodes/SignedWebhookTrigger/providerChoices') as typeof import('../../../nodes/SignedWebhookTrigger/providerChoices');
	it('every editor choice gets exactly one: its provider\'s horizon, or the 3-day default', () => {
		const notices = triggerProperties.filter((property) => property.name.startsWith('repeatHorizonNotice'));
		for (const choice of PROVIDER_CHOICES) {
			const shown = notices.filter((notice) => (notice.displayOptions?.show?.provider as string[]).includes(choice.value));
			expect(shown).toHaveLength(1);
			const horizon = choice.provider.retries?.horizonSeconds;
			expect(shown[0].displayName).toContain(horizon ? `${choice.provider.displayName} retries for up to` : 'the default window is 3 days');
		}
	});
});
