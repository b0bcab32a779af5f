/**
 * Backpressure at the door: the pure decision (core/circuit/backpressure.ts), the pipeline step with the real
 * signature core and the real in-process circuit store, the parameters, and the providers' `retries` facts.
 * Sources of the facts tested here: Stripe retries for up to 3 days (docs.stripe.com/webhooks#retries); GitHub does
 * not redeliver failed deliveries (docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries).
 */
import {
	admit,
	backpressureDecision,
	destinationKeyOf,
	HELD_OPEN_RETRY_AFTER_SECONDS,
	MemoryDestinationStore,
	type CircuitSettings,
} from '../../../nodes/core/circuit';
import { buildRejection, REJECTION_STATUS } from '../../../nodes/core/http';
import { detectHandshake, providers, sign, verify } from '../../../nodes/core/signatures';
import { runPipeline, type IncomingRequest, type PipelineSettings } from '../../../nodes/SignedWebhookTrigger/pipeline';
import { backpressureFrom, BUILT_IN_STORE_IN_QUEUE_MODE } from '../../../nodes/SignedWebhookTrigger/triggerSettings';
import { renderProviderTable, retriesText } from '../../tools/provider-table';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const SETTINGS: CircuitSettings = { consecutiveFailures: 2, failureRatePercent: 100, minimumRequests: 100, windowMs: 60_000, openMs: 30_000, probes: 1 };
const STRIPE_SECRET = 'whsec_backpressureUnitTest0123456789';
const GITHUB_SECRET = 'gh-backpressure-unit-secret';

describe('backpressureDecision', () => {
	it.each([
		['closed, retrying sender', { state: 'closed' as const }, true, { hold: false }],
		['half-open: the probes decide, deliveries pass', { state: 'half-open' as const }, true, { hold: false }],
		['open, 29.001 s left → 30 s', { state: 'open' as const, retryAt: T0 + 29_001 }, true, { hold: true, retryAfterSeconds: 30, state: 'open' }],
		['open, 1 ms left → at least 1 s', { state: 'open' as const, retryAt: T0 + 1 }, true, { hold: true, retryAfterSeconds: 1, state: 'open' }],
		['open but its time is up (next admission half-opens)', { state: 'open' as const, retryAt: T0 }, true, { hold: false }],
		['held open by a 410', { state: 'held-open' as const }, true, { hold: true, retryAfterSeconds: HELD_OPEN_RETRY_AFTER_SECONDS, state: 'held-open' }],
		['open, sender does not retry', { state: 'open' as const, retryAt: T0 + 10_000 }, false, { hold: false }],
		['held open, sender does not retry', { state: 'held-open' as const }, false, { hold: false }],
	])('%s', (_name, view, retries, expected) => {
		expect(backpressureDecision(view, retries, T0)).toEqual(expected);
	});
});

describe('destinationKeyOf (the Forward node key: a Destination Name, or a URL origin)', () => {
	it.each([
		['https://api.example.com/hooks/in?x=1', 'https://api.example.com'],
		['http://127.0.0.1:8080/a', 'http://127.0.0.1:8080'],
		['HTTPS://Example.COM:443/', 'https://example.com'],
		['  crm  ', 'crm'],
		['billing-api', 'billing-api'],
	])('%s → %s', (input, key) => expect(destinationKeyOf(input)).toBe(key));
	it('refuses an empty destination', () => expect(() => destinationKeyOf('  ')).toThrow(RangeError));
});

describe('the rejection table', () => {
	it('destination_unavailable is a 503 with Retry-After in whole seconds, at least 1', () => {
		expect(REJECTION_STATUS.destination_unavailable).toBe(503);
		expect(buildRejection('destination_unavailable', { retryAfterSeconds: 29.2 })).toEqual({
			status: 503,
			headers: { 'Retry-After': '30' },
			body: { error: 'destination_unavailable', message: expect.stringContaining('retry later') },
		});
		expect(buildRejection('destination_unavailable', { retryAfterSeconds: 0 }).headers['Retry-After']).toBe('1');
	});
});

describe('providers retries facts', () => {
	it('Stripe retries (3 days), GitHub does not; each fact names an https source', () => {
		const byId = Object.fromEntries(providers.map((provider) => [provider.id, provider]));
		expect(byId.stripe.retries).toMatchObject({ retries: true, horizon: expect.stringContaining('3 days') });
		expect(byId.github.retries).toMatchObject({ retries: false });
		for (const provider of providers) {
			if (provider.retries) expect(provider.retries.source).toMatch(/^https:\/\//);
		}
	});
	it('the README table shows the fact, and says "not known" when a provider has none', () => {
		const byId = Object.fromEntries(providers.map((provider) => [provider.id, provider]));
		expect(retriesText(byId.stripe)).toMatch(/^yes, 3 days .*\(\[docs\]\(https:\/\/docs\.stripe\.com\//);
		expect(retriesText(byId.github)).toMatch(/^no \(\[docs\]/);
		expect(retriesText({ ...byId.github, retries: undefined })).toBe('not known (treated as no)');
		expect(renderProviderTable()).toContain('| retries failed deliveries |');
	});
});

describe('backpressureFrom (the trigger parameters)', () => {
	const reader = (values: Record<string, unknown>) => (name: string, fallback?: unknown) => (name in values ? values[name] : fallback);
	it('is off unless switched on', () => {
		expect(backpressureFrom('stripe', reader({ backpressureDestination: 'x' }), false)).toBeUndefined();
	});
	it('keys a URL by its origin and reads the provider fact', () => {
		expect(backpressureFrom('stripe', reader({ backpressure: true, backpressureDestination: 'https://crm.example.com/in' }), false)).toEqual({
			destinationKey: 'https://crm.example.com',
			store: 'builtIn',
			senderRetries: true,
		});
		expect(backpressureFrom('github', reader({ backpressure: true, backpressureDestination: 'crm', backpressureStore: 'redis' }), true)).toEqual({
			destinationKey: 'crm',
			store: 'redis',
			senderRetries: false,
		});
	});
	it('refuses an empty destination, and the built-in store in queue mode', () => {
		expect(() => backpressureFrom('stripe', reader({ backpressure: true, backpressureDestination: '' }), false)).toThrow(/Destination is empty/);
		expect(() => backpressureFrom('stripe', reader({ backpressure: true, backpressureDestination: 'crm' }), true)).toThrow(BUILT_IN_STORE_IN_QUEUE_MODE);
	});
});

describe('the pipeline step', () => {
	async function openCircuit(store: MemoryDestinationStore, key: string, at: number) {
		for (let i = 0; i < SETTINGS.consecutiveFailures; i++) {
			const admission = await store.admit(key, SETTINGS, at);
			expect(admission.allowed).toBe(true);
			await store.record(key, SETTINGS, 'fail', false, false, at);
		}
		expect(await store.peek(key)).toBe('open');
	}

	function settings(provider: string, secret: string, store: MemoryDestinationStore | undefined, retries: boolean, extra: Partial<PipelineSettings> = {}): PipelineSettings {
		const inspect = jest.fn(async () => store!.inspect('crm'));
		return {
			provider,
			acceptedMethods: ['POST'],
			maxBodyBytes: 0,
			allowedEventTypes: [],
			providerOptions: {},
			secrets: [secret],
			redactHeaders: new Set(),
			...(store && { backpressure: { destination: 'crm', senderRetries: retries, inspect } }),
			...extra,
		};
	}

	function request(provider: string, secret: string, body: string, now = T0, extraHeaders: Record<string, string> = {}): IncomingRequest {
		const headers = { 'content-type': 'application/json', 'x-github-event': 'push', ...sign({ provider, secret, body, timestamp: now }), ...extraHeaders };
		return { method: 'POST', clientIp: '127.0.0.1', headers, query: {}, url: 'http://127.0.0.1/webhook/x', contentType: 'application/json', readBody: async () => Buffer.from(body), now };
	}

	const stripeBody = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', object: 'event' });
	const verifier = { verify, detectHandshake };

	it('open circuit, retrying sender (Stripe): 503 with Retry-After until half-open, no item', async () => {
		const store = new MemoryDestinationStore();
		await openCircuit(store, 'crm', T0 - 1000); // opens until T0 + 29 s
		const outcome = await runPipeline(settings('stripe', STRIPE_SECRET, store, true), request('stripe', STRIPE_SECRET, stripeBody), verifier);
		expect(outcome).toEqual({
			type: 'reject',
			detail: 'destination crm circuit open',
			response: { status: 503, headers: { 'Retry-After': '29' }, body: expect.objectContaining({ error: 'destination_unavailable' }) },
		});
	});

	it('reading the circuit changes nothing: an open circuit past its time stays open until the Forward node admits', async () => {
		const store = new MemoryDestinationStore();
		await openCircuit(store, 'crm', T0 - 40_000); // until T0 - 10 s: due to half-open
		const outcome = await runPipeline(settings('stripe', STRIPE_SECRET, store, true), request('stripe', STRIPE_SECRET, stripeBody), verifier);
		expect(outcome.type).toBe('emit');
		expect(await store.inspect('crm')).toEqual({ state: 'open', retryAt: T0 - 10_000 });
		expect((await store.admit('crm', SETTINGS, T0)).state).toBe('half-open');
	});

	it('a sender that does not retry (GitHub) is accepted as usual, and the store is not read', async () => {
		const store = new MemoryDestinationStore();
		await openCircuit(store, 'crm', T0);
		const pipelineSettings = settings('github', GITHUB_SECRET, store, false);
		const outcome = await runPipeline(pipelineSettings, request('github', GITHUB_SECRET, '{"ref":"main"}'), verifier);
		expect(outcome.type).toBe('emit');
		expect(pipelineSettings.backpressure!.inspect).not.toHaveBeenCalled();
	});

	it('runs after verification: a bad signature gets its 401 and learns nothing about the destination', async () => {
		const store = new MemoryDestinationStore();
		await openCircuit(store, 'crm', T0);
		const pipelineSettings = settings('stripe', STRIPE_SECRET, store, true);
		const outcome = await runPipeline(pipelineSettings, request('stripe', 'whsec_someoneElse0123456789abcdef', stripeBody), verifier);
		expect(outcome).toMatchObject({ type: 'reject', response: { status: 401, body: { error: 'invalid_signature' } } });
		expect(pipelineSettings.backpressure!.inspect).not.toHaveBeenCalled();
	});

	it('an event the trigger ignores is still acknowledged with 200 (nothing to hold)', async () => {
		const store = new MemoryDestinationStore();
		await openCircuit(store, 'crm', T0);
		const outcome = await runPipeline(settings('stripe', STRIPE_SECRET, store, true, { allowedEventTypes: ['customer.*'] }), request('stripe', STRIPE_SECRET, stripeBody), verifier);
		expect(outcome).toMatchObject({ type: 'reject', response: { status: 200, body: { error: 'event_not_allowed' } } });
	});

	it('closed circuit: the output item is exactly the one without backpressure', async () => {
		const store = new MemoryDestinationStore();
		admit({ state: 'closed', until: 0, held: false, consecutive: 0, probes: 0, probeSuccesses: 0, buckets: [] }, SETTINGS, T0);
		const withIt = await runPipeline(settings('stripe', STRIPE_SECRET, store, true), request('stripe', STRIPE_SECRET, stripeBody), verifier);
		const without = await runPipeline(settings('stripe', STRIPE_SECRET, undefined, true), request('stripe', STRIPE_SECRET, stripeBody), verifier);
		expect(withIt.type).toBe('emit');
		expect(withIt).toEqual(without);
	});

	it('held open by a 410: held with the fixed Retry-After', async () => {
		const store = new MemoryDestinationStore();
		await store.admit('crm', SETTINGS, T0);
		await store.record('crm', SETTINGS, 'gone', false, true, T0);
		const outcome = await runPipeline(settings('stripe', STRIPE_SECRET, store, true), request('stripe', STRIPE_SECRET, stripeBody), verifier);
		expect(outcome).toMatchObject({ type: 'reject', response: { status: 503, headers: { 'Retry-After': String(HELD_OPEN_RETRY_AFTER_SECONDS) } } });
	});
});
