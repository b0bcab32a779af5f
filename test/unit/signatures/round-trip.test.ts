import { providerIds, providers, verify } from '../../../nodes/core';
import { PROVIDER_ROWS, signedRequest } from './provider-table';

describe('sign → verify round trip, every provider', () => {
	test('the table has a row for every registered provider', () => {
		const covered = new Set(PROVIDER_ROWS.map((row) => row.provider));
		expect(providerIds.filter((id) => !covered.has(id))).toEqual([]);
	});

	test.each(PROVIDER_ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
		const request = signedRequest(row);
		const result = verify(request);
		expect(result).toMatchObject({ valid: true, provider: row.provider, secretIndex: 0 });
		if (row.expect) expect(result).toMatchObject(row.expect);
		if (row.timestamp || row.provider === 'mailgun') expect(result).toMatchObject({ timestamp: Math.floor(request.now / 1000) * 1000 });

		// Rotation: the matching secret is reported by position, whichever position it holds.
		const rotated = verify({ ...request, secrets: ['previous-secret-that-does-not-match', request.secrets[0]] });
		expect(rotated).toMatchObject({ valid: true, secretIndex: 1 });
		expect(JSON.stringify(rotated)).not.toContain(request.secrets[0]);

		// And no secret that matches → invalid_signature.
		expect(verify({ ...request, secrets: ['previous-secret-that-does-not-match'] })).toMatchObject({
			valid: false,
			reason: 'invalid_signature',
		});
	});
});

describe('providers list', () => {
	test('every entry is complete and ids are kebab-case and unique', () => {
		expect(new Set(providerIds).size).toBe(providers.length);
		for (const provider of providers) {
			expect(provider.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
			expect(provider.displayName.length).toBeGreaterThan(0);
			expect(provider.secretLabel.length).toBeGreaterThan(0);
			expect(['hmac', 'token', 'ed25519', 'ecdsa']).toContain(provider.kind);
			expect(provider.defaultToleranceSeconds === null || provider.defaultToleranceSeconds > 0).toBe(true);
		}
	});

	test('documented defaults', () => {
		const byId = Object.fromEntries(providers.map((provider) => [provider.id, provider]));
		expect(byId.stripe).toMatchObject({ defaultToleranceSeconds: 300, signatureHeader: 'Stripe-Signature', secretLabel: 'Signing secret' });
		expect(byId.paddle.defaultToleranceSeconds).toBe(5);
		expect(byId.linear.defaultToleranceSeconds).toBe(60);
		expect(byId.twitch.defaultToleranceSeconds).toBe(600);
		expect(byId.github.defaultToleranceSeconds).toBeNull();
		expect(byId.discord.kind).toBe('ed25519');
		expect(byId.sendgrid.kind).toBe('ecdsa');
		expect(byId.meta.secretLabel).toBe('App secret');
		expect(providers.filter((provider) => provider.supportsHandshake).map((provider) => provider.id).sort()).toEqual(
			['asana', 'discord', 'dropbox', 'meta', 'microsoft-graph', 'okta', 'slack', 'trello', 'twitch', 'websub', 'x', 'zoom'],
		);
		expect(byId.github.deliveryIdSource).toBe('header X-GitHub-Delivery');
		expect(byId.stripe.eventTypeSource).toBe('body type');
	});
});
