/**
 * The dead-letter store and its replay (examples/dead-letter-store.json, examples/dead-letter-replay.json) in a real
 * n8n with a real Data Table, sending to the real receiver on 127.0.0.1 that fails on purpose, then recovers.
 *
 * 1. Two signed GitHub deliveries; the receiver answers 503 to everything: both items leave the Forward node on Failed
 *    and become two rows of the Data Table (idempotency key, reason, attempts, the item, the delivery with its state).
 * 2. The receiver accepts one key only; the replay runs: that row is delivered on attempt 4 with the same key and
 *    the attempt log of the first run, and its row is deleted; the other fails three more times and its row is
 *    updated with the six-attempt log.
 * 3. The receiver accepts everything; the replay runs again: the last row is delivered on attempt 7 and deleted.
 *
 * Both workflows are the shipped files, changed only where a test must: the target URL, short retry delays, three
 * attempts in the store, this test's credentials. They are created through n8n's REST API once the table exists (as
 * a user imports them after creating it); the store is published, the replay left unpublished (its hourly Schedule
 * Trigger must not fire during the test) and run as the editor's "Execute workflow" runs it.
 * N8N_E2E_VERSION=floor runs the same cases on n8n 1.123.81, whose Data Table node has no "By Name" table choice:
 * there the nodes name the table by its id, as picking it From List does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

import { send } from '../harness/http';
import { githubDelivery } from '../harness/deliveries';
import { repoRoot, startN8n, type ExecutionDetail, type N8nInstance } from '../harness/n8n';
import { respond, startReceiver, type ReceivedRequest, type Receiver } from '../harness/receiver';
import { credential, credentialRef } from '../harness/workflows';

jest.setTimeout(600_000);

const GITHUB_SECRET = randomBytes(24).toString('hex');
const SIGNING_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const githubSecret = credential('webhookSigningSecretApi', 'e2eDeadLetterGh1', 'e2e dead-letter github', { secret: GITHUB_SECRET });
const outgoingSecret = credential('outgoingWebhookSigningApi', 'e2eDeadLetterOut', 'e2e dead-letter signing', {
	scheme: 'standard-webhooks',
	secret: SIGNING_SECRET,
});
const version = process.env.N8N_E2E_VERSION ?? 'latest';
const TABLE_NAME = 'forward_dead_letters';
/** The columns the store's sticky note tells the user to create. */
const TABLE_COLUMNS = [
	{ name: 'idempotencyKey', type: 'string' },
	{ name: 'reason', type: 'string' },
	{ name: 'attempts', type: 'number' },
	{ name: 'item', type: 'string' },
	{ name: 'delivery', type: 'string' },
];

function example(file: string): any {
	return JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', file), 'utf8'));
}

/** The shipped Forward node pointed at the receiver, retrying after 100 ms (fixed) instead of seconds. */
function patchForward(wf: any, targetUrl: string): void {
	const forward = wf.nodes.find((n: any) => n.name === 'Forward');
	Object.assign(forward.parameters, { url: targetUrl, initialDelayMs: 100, multiplier: 1, maxDelayMs: 100, jitter: 'none' });
	forward.credentials = credentialRef(outgoingSecret);
}

/** On n8n 1.x the Data Table nodes name the table by id (what From List stores); 2.x finds it by name as shipped. */
function patchTable(wf: any, tableId: string | undefined): void {
	if (tableId === undefined) return;
	for (const node of wf.nodes.filter((n: any) => n.type === 'n8n-nodes-base.dataTable')) {
		node.parameters.dataTableId = { __rl: true, mode: 'id', value: tableId };
	}
}

function storeWorkflow(targetUrl: string, tableId: string | undefined): any {
	const wf = example('dead-letter-store.json');
	patchForward(wf, targetUrl);
	patchTable(wf, tableId);
	wf.nodes.find((n: any) => n.name === 'Forward').parameters.maxAttempts = 3;
	const trigger = wf.nodes.find((n: any) => n.name === 'Incoming Event');
	trigger.parameters.options = { ...trigger.parameters.options, rateLimitPerMinute: 0 };
	trigger.credentials = credentialRef(githubSecret);
	return wf;
}

function replayWorkflow(targetUrl: string, tableId: string | undefined): any {
	const wf = example('dead-letter-replay.json');
	patchForward(wf, targetUrl);
	patchTable(wf, tableId);
	return wf;
}

/**
 * Waits until n8n serves the webhook registered on activation: a method it does not serve gets 404 "not registered"
 * until then, and "Did you mean ...?" after (no execution either way), as the harness waits at start.
 */
async function waitForWebhook(n8n: N8nInstance, webhookPath: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const res = await send(n8n.webhookUrl(webhookPath), { method: 'PATCH' }, { timeoutMs: 30_000 });
		if (res.status !== 404 || /did you mean/i.test(res.text)) return;
		if (Date.now() > deadline) throw new Error(`webhook ${webhookPath} never registered: ${res.status} ${res.text.slice(0, 200)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

interface Row {
	id: number;
	idempotencyKey: string;
	reason: string;
	attempts: number;
	item: string;
	delivery: string;
}

describe(`dead letters in an n8n Data Table, replayed through the Forward node (${version} n8n)`, () => {
	let n8n: N8nInstance;
	let receiver: Receiver;
	let tableUrl: string;
	let storeId: string;
	let replayId: string;
	const keyA = `dl-a-${randomBytes(6).toString('hex')}`;
	const keyB = `dl-b-${randomBytes(6).toString('hex')}`;
	const bodyA = JSON.stringify({ ref: 'refs/heads/main', note: 'first', n: 1 });
	const bodyB = JSON.stringify({ ref: 'refs/heads/dev', note: 'second, ünïcode', n: 2 });
	const byKey = (key: string) => receiver.requests.filter((r) => r.headers['idempotency-key'] === key);

	beforeAll(async () => {
		receiver = await startReceiver({ fallback: respond(503) });
		const target = `${receiver.url}/downstream`;
		n8n = await startN8n({ version, workflows: [], credentials: [githubSecret, outgoingSecret] });

		const project = await n8n.rest('GET', '/rest/projects/personal');
		expect(project.status).toBe(200);
		const projectId = (project.body.data ?? project.body).id;
		const table = await n8n.rest('POST', `/rest/projects/${projectId}/data-tables`, { name: TABLE_NAME, columns: TABLE_COLUMNS });
		expect(table.status).toBe(200);
		const tableId = (table.body.data ?? table.body).id;
		tableUrl = `/rest/projects/${projectId}/data-tables/${tableId}`;

		const byId = n8n.version.startsWith('1.') ? tableId : undefined;
		const create = async (wf: object) => {
			// n8n 1.x stores `active` as sent (NOT NULL); 2.x ignores it and publishes through /activate.
			const res = await n8n.rest('POST', '/rest/workflows', { ...wf, active: false });
			expect(res.status).toBe(200);
			return res.body.data ?? res.body;
		};
		const store = await create(storeWorkflow(target, byId));
		storeId = store.id;
		const published = await n8n.rest('POST', `/rest/workflows/${storeId}/activate`, { versionId: store.versionId });
		expect(published.status).toBe(200);
		await waitForWebhook(n8n, 'events-dead-letters');
		replayId = (await create(replayWorkflow(target, byId))).id;
	});
	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
	});

	const rows = async (): Promise<Row[]> => {
		const res = await n8n.rest('GET', `${tableUrl}/rows?take=100&skip=0`);
		expect(res.status).toBe(200);
		return ((res.body.data ?? res.body).data as Row[]).sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey));
	};

	/** Runs the replay workflow once, as the editor's "Execute workflow" does, and returns its finished execution. */
	const replay = async (): Promise<ExecutionDetail> => {
		const before = await n8n.countExecutions({ workflowId: replayId });
		const stored = await n8n.rest('GET', `/rest/workflows/${replayId}`);
		// n8n 1.x runs the workflow sent in the body; 2.x runs the stored one.
		const workflowData = stored.body.data ?? stored.body;
		const run = await n8n.rest('POST', `/rest/workflows/${replayId}/run`, { workflowData, triggerToStartFrom: { name: 'Every Hour' } });
		expect(run.status).toBe(200);
		const done = await n8n.waitForExecutions((r) => r.length === before + 1 && r.every((e) => e.done), { workflowId: replayId, timeoutMs: 120_000 });
		const detail = await n8n.execution(done[0].id);
		expect(detail.status).toBe('success');
		return detail;
	};

	const forwardOutputs = (detail: ExecutionDetail) => {
		const [delivered, failed] = detail.data.resultData.runData['Forward'][0].data.main as Array<Array<{ json: any }> | null>;
		return { delivered: (delivered ?? []).map((i) => i.json), failed: (failed ?? []).map((i) => i.json) };
	};

	/** Every request the receiver got is the original body, signed (Standard Webhooks) with the item's own key. */
	const expectSignedCopies = (requests: ReceivedRequest[], key: string, body: string) => {
		const library = new Webhook(SIGNING_SECRET);
		for (const request of requests) {
			const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
			expect(library.verify(request.body.toString('utf8'), headers)).toEqual(JSON.parse(body));
			expect(headers['webhook-id']).toBe(key);
		}
	};

	it('stores every Failed item as a row with its key, reason, item and resumable delivery state', async () => {
		for (const [key, body] of [[keyA, bodyA], [keyB, bodyB]]) {
			const res = await send(n8n.webhookUrl('events-dead-letters'), githubDelivery(body, GITHUB_SECRET, { 'x-github-delivery': key }));
			expect(res.status).toBe(200);
		}
		const runs = await n8n.waitForFinished(2, { workflowId: storeId, timeoutMs: 120_000 });
		for (const run of runs) expect(run.status).toBe('success');

		const stored = await rows();
		expect(stored.map((r) => [r.idempotencyKey, r.reason, r.attempts])).toEqual([
			[keyA, 'attempts_exhausted', 3],
			[keyB, 'attempts_exhausted', 3],
		]);
		for (const [row, body] of [[stored[0], bodyA], [stored[1], bodyB]] as const) {
			const item = JSON.parse(row.item);
			expect(item.body).toEqual(JSON.parse(body));
			expect(item.verification.deliveryId).toBe(row.idempotencyKey);
			expect(item).not.toHaveProperty('delivery');
			const delivery = JSON.parse(row.delivery);
			expect(delivery).toMatchObject({ outcome: 'failed', attempts: 3, status: 503, idempotencyKey: row.idempotencyKey });
			expect(delivery.state).toMatchObject({ version: 1, idempotencyKey: row.idempotencyKey, attempts: 3 });
			expect(delivery.state.log.map((e: any) => [e.attempt, e.status])).toEqual([[1, 503], [2, 503], [3, 503]]);
			expect(Date.parse(delivery.state.firstAttemptAt)).toBeLessThanOrEqual(Date.parse(delivery.state.lastAttemptAt));
		}
		expect(byKey(keyA)).toHaveLength(3);
		expect(byKey(keyB)).toHaveLength(3);
		expectSignedCopies(byKey(keyA), keyA, bodyA);
		expectSignedCopies(byKey(keyB), keyB, bodyB);
	});

	it('replay: the recovered key is delivered on attempt 4 with the same key and log, its row deleted; the other row keeps the longer log', async () => {
		receiver.handle((request) => (request.headers['idempotency-key'] === keyA ? respond(200) : undefined));
		const { delivered, failed } = forwardOutputs(await replay());

		expect(delivered).toHaveLength(1);
		expect(delivered[0].delivery).toMatchObject({ outcome: 'delivered', attempts: 4, status: 200, idempotencyKey: keyA });
		expect(delivered[0].delivery.log.map((e: any) => [e.attempt, e.status])).toEqual([[1, 503], [2, 503], [3, 503], [4, 200]]);
		expect(failed).toHaveLength(1);
		expect(failed[0].delivery).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 6, idempotencyKey: keyB });

		expect(byKey(keyA)).toHaveLength(4);
		expect(byKey(keyB)).toHaveLength(6);
		expectSignedCopies(byKey(keyA), keyA, bodyA);
		expectSignedCopies(byKey(keyB), keyB, bodyB);

		const stored = await rows();
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ idempotencyKey: keyB, reason: 'attempts_exhausted', attempts: 6 });
		const delivery = JSON.parse(stored[0].delivery);
		expect(delivery.state.log.map((e: any) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(delivery.state.idempotencyKey).toBe(keyB);
		expect(JSON.parse(stored[0].item).body).toEqual(JSON.parse(bodyB));
	});

	it('replay again once the receiver has recovered: delivered on attempt 7, the table is empty', async () => {
		receiver.handle(() => respond(200));
		const { delivered, failed } = forwardOutputs(await replay());

		expect(failed).toHaveLength(0);
		expect(delivered).toHaveLength(1);
		expect(delivered[0].delivery).toMatchObject({ outcome: 'delivered', attempts: 7, status: 200, idempotencyKey: keyB });
		expect(delivered[0].delivery.log.map((e: any) => e.status)).toEqual([503, 503, 503, 503, 503, 503, 200]);
		expect(byKey(keyA)).toHaveLength(4);
		expect(byKey(keyB)).toHaveLength(7);
		expectSignedCopies(byKey(keyB), keyB, bodyB);
		expect(await rows()).toEqual([]);
	});

	it('a replay with an empty table sends nothing', async () => {
		const before = receiver.requests.length;
		const detail = await replay();
		expect(detail.data.resultData.runData['Forward']).toBeUndefined();
		expect(receiver.requests).toHaveLength(before);
	});

	it('no secret in any stored execution or in n8n’s log', async () => {
		const { results } = await n8n.executions();
		for (const summary of results) {
			const detail = await n8n.execution(summary.id);
			expect(detail.rawData).not.toContain(GITHUB_SECRET);
			expect(detail.rawData).not.toContain(SIGNING_SECRET.slice(6));
		}
		expect(n8n.logs()).not.toContain(GITHUB_SECRET);
		expect(n8n.logs()).not.toContain(SIGNING_SECRET.slice(6));
	});
});
