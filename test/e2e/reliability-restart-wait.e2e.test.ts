/**
 * Issue 15, item 3: n8n restarted while long-horizon deliveries wait in the Wait loop. The shipped example
 * (examples/long-horizon-retries.json: Signed Webhook Trigger → Dedupe → Reliable HTTP Forward → If scheduled →
 * Wait → back to the Forward), imported as users import it, sends several signed deliveries to a real receiver on
 * 127.0.0.1 that answers each one 503, then 429 with `Retry-After`, so the Forward hands every item over as
 * `scheduled` and the Wait node parks its execution in n8n's database. The receiver recovers, n8n is stopped and
 * started again (the harness's `restart()`: SIGTERM, the same user folder and database), and every delivery must
 * resume in its own execution and reach the receiver exactly once more, with the state it had before the restart:
 * the attempt count goes on, the log keeps its earlier attempts, the Idempotency-Key is the same, the request is
 * signed with the same credential.
 *
 * Why the wait is 75 s and not shorter: n8n's Wait node keeps a wait shorter than 65 s in memory (a timer in the
 * running execution, `Wait.node.ts`: "If wait time is shorter than 65 seconds leave execution active"); only a
 * longer one is written to the database as a `waiting` execution, which is what survives a restart. The test checks
 * that every execution is `waiting` in the database before it restarts n8n. Latest n8n only.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Webhook } from 'standardwebhooks';

import { githubDelivery } from '../harness/deliveries';
import { send } from '../harness/http';
import { repoRoot, startN8n, type ExecutionSummary, type N8nInstance } from '../harness/n8n';
import { respond, retryAfterSeconds, startReceiver, type ReceivedRequest, type Receiver, type ReceiverStep } from '../harness/receiver';
import { credential, nodeType } from '../harness/workflows';

jest.setTimeout(600_000);

/** Deliveries waiting in the loop when n8n restarts. */
const DELIVERIES = 5;
/**
 * The receiver's Retry-After (seconds): past the Forward's 60 s hand-over threshold and the Wait node's 65 s, with
 * 10 s to spare for the time between the Forward's last attempt and the Wait node on a loaded machine.
 */
const RETRY_AFTER_SECONDS = 75;
const WORKFLOW_ID = 'e2eRestartWaitLp';

const secrets = {
	github: `gh-${randomBytes(20).toString('hex')}`,
	outgoing: `whsec_${randomBytes(32).toString('base64')}`,
};
const credentials = [
	credential('webhookSigningSecretApi', 'exampleGithubSecret', 'GitHub webhook secret', { secret: secrets.github }),
	credential('outgoingWebhookSigningApi', 'exampleCiSigning', 'CI signing secret', { scheme: 'standard-webhooks', secret: secrets.outgoing }),
];

/**
 * The long-horizon example as shipped (Svix-style hand-over at 60 s, 8 attempts, Idempotency-Key from the GitHub
 * delivery id, signed), pointed at the receiver, with a 200 ms first backoff so the 503 is retried in place.
 */
function waitLoopWorkflow(receiverUrl: string) {
	const wf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', 'long-horizon-retries.json'), 'utf8'));
	wf.id = WORKFLOW_ID;
	const forward = wf.nodes.find((n: { type: string }) => n.type === nodeType.reliableHttpForward);
	Object.assign(forward.parameters, {
		url: `${receiverUrl}/restart-wait`,
		allowPlainHttp: true,
		schedule: 'exponential',
		initialDelayMs: 200,
		jitter: 'none',
	});
	expect(forward.parameters.options.handOverAfterSeconds).toBeLessThan(RETRY_AFTER_SECONDS);
	return wf;
}

/** The Forward node's output items in run `run` of a stored execution: [delivered, failed/scheduled]. */
async function forwardRun(n8n: N8nInstance, id: string, run: number): Promise<{ delivered: any[]; failed: any[]; runs: number; ran: string[] }> {
	const runData = (await n8n.execution(id)).data.resultData.runData;
	const [delivered, failed] = runData.Forward[run].data.main as Array<Array<{ json: any }> | null>;
	return { delivered: (delivered ?? []).map((i) => i.json), failed: (failed ?? []).map((i) => i.json), runs: runData.Forward.length, ran: Object.keys(runData) };
}

describe('n8n restarted while long-horizon deliveries wait in the Wait loop', () => {
	let n8n: N8nInstance;
	let receiver: Receiver;
	/** Before the restart: 503 first, then 429 with Retry-After; once recovered: 200. */
	let recovered = false;

	beforeAll(async () => {
		receiver = await startReceiver();
		const seen = new Map<string, number>();
		receiver.handle((request): ReceiverStep => {
			if (recovered) return respond(200, { body: '{"ok":true}' });
			const key = String(request.headers['idempotency-key']);
			const n = (seen.get(key) ?? 0) + 1;
			seen.set(key, n);
			return n === 1 ? respond(503) : retryAfterSeconds(RETRY_AFTER_SECONDS);
		});
		n8n = await startN8n({ workflows: [waitLoopWorkflow(receiver.url)], credentials });
	});
	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
	});

	it('every waiting delivery resumes after the restart and arrives exactly once, with its state, attempt count and Idempotency-Key', async () => {
		const startedAt = Date.now();
		const keys = Array.from({ length: DELIVERIES }, (_, i) => `gh-restart-wait-${i + 1}-${randomBytes(4).toString('hex')}`);
		for (const key of keys) {
			const body = JSON.stringify({ ref: 'refs/heads/main', after: key });
			expect((await send(n8n.webhookUrl('events-long-retries'), githubDelivery(body, secrets.github, { 'x-github-delivery': key }))).status).toBe(200);
		}

		// Every execution parked in the database as `waiting`, its Wait node due at the Forward's nextAttemptAt.
		const waiting = await n8n.waitForExecutions((r) => r.length === DELIVERIES && r.every((e) => e.status === 'waiting'), {
			workflowId: WORKFLOW_ID,
			timeoutMs: 60_000,
		});
		const before = new Map<string, { execution: ExecutionSummary; delivery: any }>();
		for (const execution of waiting) {
			const { delivered, failed } = await forwardRun(n8n, execution.id, 0);
			expect(delivered).toHaveLength(0);
			expect(failed).toHaveLength(1);
			const { delivery } = failed[0];
			expect(delivery).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 2, status: 429 });
			expect(delivery.state).toMatchObject({ version: 1, idempotencyKey: delivery.idempotencyKey, attempts: 2, nextAttemptAt: delivery.nextAttemptAt });
			expect(delivery.state.log.map((e: any) => [e.attempt, e.status])).toEqual([[1, 503], [2, 429]]);
			expect(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.state.lastAttemptAt)).toBe(RETRY_AFTER_SECONDS * 1000);
			expect(Math.abs(Date.parse(String(execution.waitTill)) - Date.parse(delivery.nextAttemptAt))).toBeLessThan(1000);
			before.set(delivery.idempotencyKey, { execution, delivery });
		}
		expect([...before.keys()].sort()).toEqual([...keys].sort());
		expect(receiver.requests).toHaveLength(2 * DELIVERIES);

		// The receiver recovers while n8n is down; n8n stops (SIGTERM) and starts again on the same database.
		recovered = true;
		const restartedAt = Date.now();
		await n8n.restart();
		expect(n8n.logs()).toMatch(/\[harness\] n8n main exited/);

		const finished = await n8n.waitForFinished(DELIVERIES, { workflowId: WORKFLOW_ID, timeoutMs: 240_000 });
		// The same executions resumed (none started anew, none crashed), and each ended on Delivered.
		expect(finished.map((e) => e.id).sort()).toEqual(waiting.map((e) => e.id).sort());
		for (const execution of finished) {
			expect(execution.status).toBe('success');
			const { delivered, failed, runs, ran } = await forwardRun(n8n, execution.id, 1);
			expect(runs).toBe(2);
			expect(ran).toEqual(expect.arrayContaining(['Retry Later?', 'Wait Until Next Attempt', 'Delivered']));
			expect(ran).not.toContain('Dead Letter');
			expect(failed).toHaveLength(0);
			expect(delivered).toHaveLength(1);
			const { delivery } = delivered[0];
			const earlier = before.get(delivery.idempotencyKey);
			expect(earlier?.execution.id).toBe(execution.id);
			expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 3, status: 200, idempotencyKey: earlier!.delivery.idempotencyKey });
			// The log goes on from the stored state: the two attempts before the restart, unchanged, then the third.
			expect(delivery.log.slice(0, 2)).toEqual(earlier!.delivery.state.log);
			expect(delivery.log[2]).toMatchObject({ attempt: 3, status: 200 });
			// The first-attempt time too: the duration runs from the first attempt, before the restart.
			expect(delivery.durationMs).toBeGreaterThanOrEqual(Date.parse(earlier!.delivery.nextAttemptAt) - Date.parse(earlier!.delivery.state.firstAttemptAt));
		}

		// At the receiver: per delivery 503, 429, then exactly one accepted request, all with the same Idempotency-Key;
		// the resumed attempt came after the restart began, signed with the same credential.
		expect(receiver.requests).toHaveLength(3 * DELIVERIES);
		const library = new Webhook(secrets.outgoing);
		for (const key of keys) {
			const got: ReceivedRequest[] = receiver.requests.filter((r) => r.headers['idempotency-key'] === key);
			expect(got.map((r) => r.answer)).toEqual(['503', '429', '200']);
			expect(got[2].arrivedAt).toBeGreaterThan(restartedAt);
			const headers = Object.fromEntries(Object.entries(got[2].headers).map(([k, v]) => [k, String(v)]));
			expect(library.verify(got[2].body.toString('utf8'), headers)).toEqual({ ref: 'refs/heads/main', after: key });
		}

		// For the README's Reliability table (reported, never asserted).
		// eslint-disable-next-line no-console
		console.log(
			`restart-wait: ${DELIVERIES} deliveries, ${receiver.requests.length} requests at the receiver, restart took ${n8n.timings.restart}s ` +
				`(stop ${n8n.timings.restartStop}s), first send to last delivered ${(Date.now() - startedAt) / 1000}s`,
		);

		// No secret in the stored executions or n8n's log (across both runs of n8n).
		for (const execution of finished) {
			const { rawData } = await n8n.execution(execution.id);
			for (const secret of Object.values(secrets)) expect(rawData).not.toContain(secret);
		}
		for (const secret of Object.values(secrets)) expect(n8n.logs()).not.toContain(secret);
	});
});
