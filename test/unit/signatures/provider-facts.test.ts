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
