import { NodeSettingsCache, nodeFingerprint, SETTINGS_TTL_MS } from '../../../nodes/SignedWebhookTrigger/settingsCache';

const node = {
	typeVersion: 1,
	parameters: { path: 'hooks', provider: 'github', options: {} },
	credentials: { webhookSigningSecretApi: { id: 'cred-1', name: 'GitHub secret' } },
};

describe('nodeFingerprint', () => {
	it('is stable for the same node and changes with any parameter, the credential it points to or the version', () => {
		const same = nodeFingerprint(JSON.parse(JSON.stringify(node)));
		expect(nodeFingerprint(node)).toBe(same);
		for (const edited of [
			{ ...node, parameters: { ...node.parameters, options: { ipAllowlist: '10.0.0.0/8' } } },
			{ ...node, parameters: { ...node.parameters, provider: 'stripe' } },
			{ ...node, credentials: { webhookSigningSecretApi: { id: 'cred-2', name: 'GitHub secret' } } },
			{ ...node, typeVersion: 2 },
		]) {
			expect(nodeFingerprint(edited)).not.toBe(same);
		}
	});
});

describe('NodeSettingsCache', () => {
	let now = 1_000_000;
	const clock = () => now;

	it('builds once per node within the TTL, again after it or when the fingerprint changes', () => {
		const cache = new NodeSettingsCache<number, string>({ now: clock });
		let builds = 0;
		const build = () => ++builds;
		expect(cache.resolve('wf:node', 'a', build).settings).toBe(1);
		now += SETTINGS_TTL_MS - 1;
		expect(cache.resolve('wf:node', 'a', build).settings).toBe(1);
		expect(cache.resolve('wf:node', 'b', build).settings).toBe(2);
		now += SETTINGS_TTL_MS;
		expect(cache.resolve('wf:node', 'b', build).settings).toBe(3);
		expect(cache.resolve('wf:other', 'b', build).settings).toBe(4);
		expect(cache.size).toBe(2);
	});

	it('drops expired entries of other nodes when it builds one, so their secrets do not linger', () => {
		const cache = new NodeSettingsCache<string, string>({ now: clock });
		cache.resolve('deleted workflow', 'f', () => 'old');
		now += SETTINGS_TTL_MS / 2;
		cache.resolve('recent', 'f', () => 'recent');
		now += SETTINGS_TTL_MS / 2;
		cache.resolve('another', 'f', () => 'another');
		expect(cache.size).toBe(2);
		expect(cache.resolve('recent', 'f', () => 'rebuilt').settings).toBe('recent');
	});

	it('a build that throws leaves no entry', () => {
		const cache = new NodeSettingsCache<number, string>({ now: clock });
		expect(() =>
			cache.resolve('wf:node', 'a', () => {
				throw new Error('bad parameter');
			}),
		).toThrow('bad parameter');
		expect(cache.size).toBe(0);
	});

	it('keeps at most maxNodes entries, dropping the least recently used', () => {
		const cache = new NodeSettingsCache<string, string>({ now: clock, maxNodes: 2 });
		cache.resolve('one', 'f', () => 'one');
		cache.resolve('two', 'f', () => 'two');
		cache.resolve('one', 'f', () => 'rebuilt one');
		cache.resolve('three', 'f', () => 'three');
		expect(cache.size).toBe(2);
		expect(cache.resolve('one', 'f', () => 'rebuilt one').settings).toBe('one');
		expect(cache.resolve('two', 'f', () => 'rebuilt two').settings).toBe('rebuilt two');
	});

	it('loads secrets once for concurrent requests and keeps them; a failed load is retried by the next request', async () => {
		const cache = new NodeSettingsCache<string, string[]>({ now: clock });
		const entry = cache.resolve('wf:node', 'f', () => 'settings');
		expect(entry.secrets).toBeUndefined();

		let loads = 0;
		const failing = async () => {
			loads++;
			throw new Error('credential missing');
		};
		await expect(Promise.all([entry.loadSecrets(failing), entry.loadSecrets(failing)])).rejects.toThrow('credential missing');
		expect(loads).toBe(1);
		expect(entry.secrets).toBeUndefined();

		const load = async () => {
			loads++;
			return ['current'];
		};
		const results = await Promise.all([entry.loadSecrets(load), entry.loadSecrets(load), entry.loadSecrets(load)]);
		expect(results).toEqual([['current'], ['current'], ['current']]);
		expect(loads).toBe(2);
		expect(entry.secrets).toEqual(['current']);
		expect(await entry.loadSecrets(load)).toEqual(['current']);
		expect(loads).toBe(2);

		// After the TTL the node gets a fresh entry without secrets: the credential is read again.
		now += SETTINGS_TTL_MS;
		expect(cache.resolve('wf:node', 'f', () => 'settings').secrets).toBeUndefined();
	});
});
