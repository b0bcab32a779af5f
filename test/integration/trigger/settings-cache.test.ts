/**
 * ADAPTER TEST (real Express server + n8n-core's WebhookContext, see webhookServer.ts): the trigger keeps its resolved
 * settings and secrets between requests. A secret changed inside the credential takes effect once the cache TTL has
 * passed (the cache's clock is replaced, nothing waits); an edited node takes effect on the next request; the cheap
 * rejections never read the credential. Each server here stands for one workflow; two servers with the same
 * workflow id and node id are the same node before and after an edit (n8n builds the node anew per request).
 */
import type * as NodeCrypto from 'node:crypto';
import { sign } from '../../../nodes/core/signatures';
import { triggerSettingsCache } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';
import { SETTINGS_TTL_MS } from '../../../nodes/SignedWebhookTrigger/settingsCache';
import { logLines, startTriggerServer, type TriggerServer } from './webhookServer';

/** node:crypto's own exports object (what the compiled core calls through), so a spy on it sees the core's calls. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof NodeCrypto;

const OLD_SECRET = 'cache-test-old-secret-5d1e';
const NEW_SECRET = 'cache-test-new-secret-9b7c';

let clock = Date.now();
beforeAll(() => triggerSettingsCache.useClock(() => clock));
afterAll(() => triggerSettingsCache.useClock(Date.now));

/** A credential store that counts how often n8n's credentials helper reads the signing secret. */
function countingCredentials(secret: string) {
	const state = { secret, loads: 0 };
	const credentials = {
		get webhookSigningSecretApi() {
			state.loads++;
			return { secret: state.secret };
		},
	};
	return { state, credentials };
}

const servers: TriggerServer[] = [];
afterAll(async () => {
	await Promise.all(servers.map((server) => server.close()));
});

async function serve(workflowId: string, parameters: Record<string, unknown>, credentials: Record<string, any>) {
	const server = await startTriggerServer({ workflowId, parameters, credentials });
	servers.push(server);
	return server;
}

async function post(url: string, body: string, headers: Record<string, string>) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers }, body });
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const signedWith = (secret: string, body: string) => sign({ provider: 'github', secret, body });

describe('Signed Webhook Trigger settings cache', () => {
	it('reads the credential once for many deliveries, and a changed secret verifies once the TTL has passed', async () => {
		const { state, credentials } = countingCredentials(OLD_SECRET);
		const server = await serve('wf-cache-rotation', { path: 'cache-rotation', provider: 'github' }, credentials);

		for (let i = 0; i < 5; i++) {
			const body = `{"n":${i}}`;
			expect((await post(server.url, body, signedWith(OLD_SECRET, body))).status).toBe(200);
		}
		expect(server.executions).toHaveLength(5);
		expect(state.loads).toBe(1);

		// The secret is rotated in the credential (same credential id): the cached secret answers until the TTL ends.
		state.secret = NEW_SECRET;
		const early = await post(server.url, '{"n":"early"}', signedWith(NEW_SECRET, '{"n":"early"}'));
		expect(early.status).toBe(401);
		expect(early.json.error).toBe('invalid_signature');
		expect(state.loads).toBe(1);

		clock += SETTINGS_TTL_MS;
		const late = await post(server.url, '{"n":"late"}', signedWith(NEW_SECRET, '{"n":"late"}'));
		expect(late.status).toBe(200);
		expect(state.loads).toBe(2);
		const [item] = server.executions[server.executions.length - 1];
		expect(item.json.body).toEqual({ n: 'late' });
		expect((item.json.verification as any).secretIndex).toBe(0);

		// The removed secret no longer verifies.
		const removed = await post(server.url, '{"n":"old"}', signedWith(OLD_SECRET, '{"n":"old"}'));
		expect(removed.status).toBe(401);
		expect(server.executions).toHaveLength(6);
		expect(state.loads).toBe(2);
	});

	it('an edited node takes effect on the next request, without waiting for the TTL', async () => {
		const { credentials } = countingCredentials(OLD_SECRET);
		const parameters = { path: 'cache-edit', provider: 'github' };
		const before = await serve('wf-cache-edit', parameters, credentials);
		const body = '{"edit":1}';
		expect((await post(before.url, body, signedWith(OLD_SECRET, body))).status).toBe(200);

		const edited = await serve('wf-cache-edit', { ...parameters, options: { ipAllowlist: '192.0.2.1' } }, credentials);
		const blocked = await post(edited.url, body, signedWith(OLD_SECRET, body));
		expect(blocked.status).toBe(403);
		expect(blocked.json.error).toBe('ip_not_allowed');
		expect(edited.executions).toHaveLength(0);

		// Edited back: accepted again at once.
		expect((await post(before.url, body, signedWith(OLD_SECRET, body))).status).toBe(200);
		expect(before.executions).toHaveLength(2);
	});

	it('method, IP, missing or malformed signature and missing timestamp are answered without reading the credential', async () => {
		const { state, credentials } = countingCredentials(OLD_SECRET);
		const body = '{"cheap":true}';

		const github = await serve('wf-cache-cheap', { path: 'cache-cheap', provider: 'github', options: { answerOtherMethods: true } }, credentials);
		expect((await fetch(github.url, { method: 'PUT', body })).status).toBe(405);
		expect((await post(github.url, body, {})).json.error).toBe('missing_signature');
		expect((await post(github.url, body, { 'x-hub-signature-256': 'sha256=not-hex' })).json.error).toBe('malformed_signature');
		const ipBlocked = await serve('wf-cache-cheap-ip', { path: 'cache-cheap-ip', provider: 'github', options: { ipAllowlist: '192.0.2.1' } }, credentials);
		expect((await post(ipBlocked.url, body, signedWith(OLD_SECRET, body))).status).toBe(403);

		const stripe = await serve('wf-cache-cheap-stripe', { path: 'cache-cheap-stripe', provider: 'stripe' }, credentials);
		const stripeSigned = sign({ provider: 'stripe', secret: 'whsec_unused', body });
		const [header, value] = Object.entries(stripeSigned)[0];
		expect(header.toLowerCase()).toBe('stripe-signature');
		const withoutTimestamp = value.replace(/t=\d+,/, '');
		expect(withoutTimestamp).toMatch(/^v1=[0-9a-f]{64}$/);
		expect((await post(stripe.url, body, { 'stripe-signature': withoutTimestamp })).json.error).toBe('missing_timestamp');
		expect(state.loads).toBe(0);

		// A well-formed but wrong signature needs the secret to be refused: one load, then it is kept.
		for (let i = 0; i < 3; i++) {
			expect((await post(github.url, body, signedWith('a guess', body))).json.error).toBe('invalid_signature');
		}
		expect(state.loads).toBe(1);
		expect(github.executions).toHaveLength(0);
	});

	it('a run of rejections writes one info line per node and minute, the others at debug level', async () => {
		const { credentials } = countingCredentials(OLD_SECRET);
		const server = await serve('wf-cache-log', { path: 'cache-log', provider: 'github' }, credentials);
		const before = logLines.length;
		for (let i = 0; i < 5; i++) expect((await post(server.url, '{}', signedWith('a guess', '{}'))).status).toBe(401);
		const lines = logLines.slice(before).filter((line) => line.includes('rejected a request'));
		expect(lines.map((line) => line.split(' ')[0])).toEqual(['info', 'debug', 'debug', 'debug', 'debug']);
		expect(lines.every((line) => line.includes('invalid_signature (401)'))).toBe(true);
	});

	it('parses a public key once per cached node, not on every delivery (Ed25519, Discord)', async () => {
		const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
		const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
		const seedHex = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex');
		const server = await serve('wf-cache-public-key', { path: 'cache-public-key', provider: 'discord' }, { webhookPublicKeyApi: { publicKey: publicHex } });
		// Signed up front: sign() checks the key too, and only the trigger's parses are counted.
		const deliveries = [0, 1, 2, 3, 4, 5].map((n) => {
			const body = JSON.stringify({ type: 2, id: `interaction-${n}` });
			return { body, headers: sign({ provider: 'discord', secret: seedHex, body }) };
		});
		const deliver = async (n: number) => await post(server.url, deliveries[n].body, deliveries[n].headers);
		expect((await deliver(0)).status).toBe(200);
		const parses = jest.spyOn(crypto, 'createPublicKey');
		try {
			for (let n = 1; n <= 4; n++) expect((await deliver(n)).status).toBe(200);
			expect(server.executions).toHaveLength(5);
			expect(parses).not.toHaveBeenCalled();
			// Once the cache entry expires, the key is read and parsed again (a rotated key takes effect).
			clock += SETTINGS_TTL_MS;
			expect((await deliver(5)).status).toBe(200);
			expect(parses).toHaveBeenCalled();
		} finally {
			parses.mockRestore();
		}
	});

	it('no secret appears in a log line', () => {
		const log = logLines.join('\n');
		expect(log).toContain('rejected a request');
		for (const secret of [OLD_SECRET, NEW_SECRET]) expect(log).not.toContain(secret);
	});
});
