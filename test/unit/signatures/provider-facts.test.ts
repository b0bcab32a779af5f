/** Every scheme's declared facts equal the documented ones in provider-facts.ts (issue 10, kind 5). */
import { providerIds, providers } from '../../../nodes/core';
import { CONFIGURED_SCHEMES, PROVIDER_FACTS } from './provider-facts';

describe('provider facts match the providers’ documentation', () => {
	test('every provider has a facts row with at least one https source', () => {
		expect([...Object.keys(PROVIDER_FACTS), ...CONFIGURED_SCHEMES].sort()).toEqual([...providerIds].sort());
		for (const facts of Object.values(PROVIDER_FACTS)) {
			expect(facts.sources.length).toBeGreaterThan(0);
			for (const source of facts.sources) expect(source).toMatch(/^https:\/\//);
		}
	});

	test.each(Object.entries(PROVIDER_FACTS))('%s', (id, facts) => {
		const info = providers.find((provider) => provider.id === id);
		expect({
			deliveryId: info?.deliveryIdSource ?? null,
			eventType: info?.eventTypeSource ?? null,
			timestamp: info?.timestampSource
				? { source: info.timestampSource, unit: info.timestampUnit, toleranceSeconds: info.defaultToleranceSeconds, direction: info.toleranceDirection }
				: null,
		}).toEqual({ deliveryId: facts.deliveryId, eventType: facts.eventType, timestamp: facts.timestamp });
	});

	test('schemes without a signed timestamp have no default window', () => {
		for (const info of providers) if (!info.timestampSource) expect(info.defaultToleranceSeconds).toBeNull();
	});
});

/**
 * Retry horizons in seconds, as the providers' pages state them (each scheme cites its page in `retries.source`):
 * the trigger's default window for dropping repeats. Where delays are listed one after another they are added up.
 */
const RETRY_HORIZON_SECONDS: Record<string, number> = {
	stripe: 3 * 86_400, // "up to three days" (live mode)
	paddle: 3 * 86_400, // "over 3 days"
	shopify: 4 * 3_600, // 8 retries over 4 hours
	slack: 60 + 300, // at once, after 1 minute, after 5 minutes
	svix: 5 + 300 + 1_800 + 7_200 + 18_000 + 36_000 + 36_000, // Svix's schedule
	resend: 5 + 300 + 1_800 + 7_200 + 18_000 + 36_000 + 36_000, // the same schedule, on Resend's page
	zoom: (5 + 20 + 60) * 60, // after 5, 20 and 60 minutes
	dropbox: 600, // "over the course of about ten minutes"
	sanity: 30 + 30, // twice, 30 seconds apart
};

describe('retry facts', () => {
	test('horizonSeconds is what each provider documents, and only providers that retry declare one', () => {
		const declared = Object.fromEntries(providers.filter((info) => info.retries?.horizonSeconds !== undefined).map((info) => [info.id, info.retries!.horizonSeconds]));
		expect(declared).toEqual(RETRY_HORIZON_SECONDS);
		for (const info of providers) {
			if (!info.retries) continue;
			expect(info.retries.source).toMatch(/^https:\/\//);
			if (info.retries.horizonSeconds !== undefined) {
				expect(info.retries.retries).toBe(true);
				expect(Number.isInteger(info.retries.horizonSeconds) && info.retries.horizonSeconds > 0).toBe(true);
				expect(info.retries.horizon).toEqual(expect.any(String));
			}
		}
	});
});
