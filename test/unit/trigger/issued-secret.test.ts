/** Asana hands its signing secret over in the handshake (X-Hook-Secret): the trigger keeps the first one and verifies with it. */
import { detectHandshake, providers, sign, verify } from '../../../nodes/core/signatures';
import { runPipeline, type IncomingRequest, type IssuedSecretStore, type PipelineSettings } from '../../../nodes/SignedWebhookTrigger/pipeline';

const ISSUED = 'asana-issued-secret-5f0c2d8e7a914b6c';
const OTHER = 'someone-elses-secret-0a1b2c3d4e5f6071';
const PLACEHOLDER = 'credential-placeholder-never-shared-1';
const body = JSON.stringify({ events: [{ action: 'changed', resource: { gid: '1', resource_type: 'task' } }] });
const verifier = { verify, detectHandshake };

function memoryStore(): IssuedSecretStore & { value?: string } {
	const store: IssuedSecretStore & { value?: string } = {
		current: () => store.value,
		keep: (secret) => {
			if (store.value !== undefined) return false;
			store.value = secret;
			return true;
		},
	};
	return store;
}

const handshake = (secret: string): IncomingRequest => ({
	method: 'POST',
	clientIp: '127.0.0.1',
	headers: { 'x-hook-secret': secret },
	query: {},
	url: 'http://127.0.0.1/webhook/asana',
	contentType: undefined,
	readBody: async () => Buffer.alloc(0),
});

const event = (secret: string): IncomingRequest => ({
	method: 'POST',
	clientIp: '127.0.0.1',
	headers: { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(sign({ provider: 'asana', secret, body })).map(([k, v]) => [k.toLowerCase(), v])) },
	query: {},
	url: 'http://127.0.0.1/webhook/asana',
	contentType: 'application/json',
	readBody: async () => Buffer.from(body),
});

const settings = (issuedSecrets?: IssuedSecretStore): PipelineSettings => ({
	provider: 'asana',
	acceptedMethods: ['POST'],
	maxBodyBytes: 0,
	allowedEventTypes: [],
	providerOptions: {},
	secrets: [PLACEHOLDER],
	redactHeaders: new Set(['x-hook-signature', 'x-hook-secret']),
	...(issuedSecrets && { issuedSecrets }),
});

describe("Asana's issued secret", () => {
	it('only Asana declares issuesSecret, so no other trigger reads static data per request', () => {
		expect(providers.filter((p) => p.issuesSecret).map((p) => p.id)).toEqual(['asana']);
	});

	it('the handshake is echoed and its secret kept; later events signed with it verify', async () => {
		const store = memoryStore();
		const answer = await runPipeline(settings(store), handshake(ISSUED), verifier);
		expect(answer).toMatchObject({ type: 'respond', status: 200, headers: { 'X-Hook-Secret': ISSUED }, detail: 'asana-hook-secret (issued secret kept)' });
		expect(store.value).toBe(ISSUED);
		const delivered = await runPipeline(settings(store), event(ISSUED), verifier);
		expect(delivered.type).toBe('emit');
		if (delivered.type === 'emit') expect(delivered.json.verification.secretIndex).toBe(0);
	});

	it('first wins: a later handshake is echoed but never replaces the kept secret, and events signed with its secret are refused', async () => {
		const store = memoryStore();
		await runPipeline(settings(store), handshake(ISSUED), verifier);
		const second = await runPipeline(settings(store), handshake(OTHER), verifier);
		expect(second).toMatchObject({ type: 'respond', status: 200, detail: 'asana-hook-secret (a secret is kept already; not replaced)' });
		expect(store.value).toBe(ISSUED);
		const forged = await runPipeline(settings(store), event(OTHER), verifier);
		expect(forged).toMatchObject({ type: 'reject', response: { status: 401, body: { error: 'invalid_signature' } } });
	});

	it("the credential's secret still verifies after it (secretIndex 1), and before any handshake an event signed with the issued secret is refused", async () => {
		const store = memoryStore();
		expect(await runPipeline(settings(store), event(ISSUED), verifier)).toMatchObject({ type: 'reject', response: { status: 401 } });
		await runPipeline(settings(store), handshake(ISSUED), verifier);
		const withCredential = await runPipeline(settings(store), event(PLACEHOLDER), verifier);
		expect(withCredential.type).toBe('emit');
		if (withCredential.type === 'emit') expect(withCredential.json.verification.secretIndex).toBe(1);
	});

	it('neither the handshake answer detail nor the output item holds the secret', async () => {
		const store = memoryStore();
		const answer = await runPipeline(settings(store), handshake(ISSUED), verifier);
		if (answer.type === 'respond') expect(answer.detail).not.toContain(ISSUED);
		const delivered = await runPipeline(settings(store), event(ISSUED), verifier);
		expect(JSON.stringify(delivered.type === 'emit' ? delivered.json : delivered)).not.toContain(ISSUED);
	});
});
