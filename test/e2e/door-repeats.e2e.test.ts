/**
 * Drop Repeated Deliveries in a real n8n (pinned latest and the floor), the package installed as a community package,
 * executions counted in n8n's own database through its REST API:
 *  - Record on Arrival, built-in store: 50 concurrent deliveries of one Stripe event id give exactly 1 execution; the
 *    other 49 get 200 duplicate_delivery and no execution is stored for them; the keys are in the workflow's saved
 *    static data (the Dedupe node's key space); on latest, after an n8n restart a repeat within the window is still
 *    dropped (one restart only, to keep the suite short: n8n 2.x is where saving needs care, see the README);
 *  - Claim Until Confirmed (latest only, to keep the suite short; the claim logic is the same code on both): the first
 *    run fails before its Dedupe Confirm node; a redelivery during the lease gets 503 delivery_in_progress with
 *    Retry-After and starts nothing; after the lease the redelivery runs and confirms; a later redelivery is dropped.
 * Queue mode (two webhook processes sharing Redis): test/e2e/queue-mode.e2e.test.ts.
 */
import { signedDelivery } from '../harness/deliveries';
import { send } from '../harness/http';
import { outputItem, startN8n, type N8nInstance } from '../harness/n8n';
import { connect, credential, node, nodeType, signedWebhookTrigger, workflow } from '../harness/workflows';

jest.setTimeout(600_000);

const STRIPE_SECRET = 'whsec_e2eDoorStripeSecret0123456789';
const stripeSecret = credential('webhookSigningSecretApi', 'e2eDoorStripe001', 'e2e door stripe', { secret: STRIPE_SECRET });

const recordFlow = workflow('e2eDoorRecord001', 'e2e door record', [
	signedWebhookTrigger({ path: 'door-record', provider: 'stripe', dropRepeats: true }, { credential: stripeSecret }),
]);

/** A lease long enough for the first run to fail and the redelivery to arrive within it on a busy machine. */
const LEASE_SECONDS = 10;

/**
 * Trigger (claim) → If the delivery carries x-e2e-fail → Stop and Error (the run fails before Confirm);
 * otherwise → Dedupe Confirm with the trigger's key and claim token (Scope Workflow, built-in store).
 */
const claimFlow = workflow(
	'e2eDoorClaim0001',
	'e2e door claim',
	[
		signedWebhookTrigger(
			{ path: 'door-claim', provider: 'stripe', dropRepeats: true, repeatMode: 'claim', repeatLeaseAmount: LEASE_SECONDS, repeatLeaseUnit: 'seconds' },
			{ credential: stripeSecret },
		),
		node(
			'n8n-nodes-base.if',
			{ conditions: { boolean: [{ value1: "={{ !$json.headers['x-e2e-fail'] }}", value2: true }] } },
			{ name: 'Should Work', position: [200, 0] },
		),
		node(
			nodeType.dedupe,
			{
				operation: 'confirm',
				store: 'builtIn',
				scope: 'workflow',
				key: '={{ $json.dedupe.key }}',
				claimToken: '={{ $json.dedupe.claimToken }}',
				window: 1,
				windowUnit: 'hours',
			},
			{ name: 'Confirm', position: [400, -100] },
		),
		node('n8n-nodes-base.stopAndError', { errorMessage: 'e2e: the work failed before Confirm' }, { name: 'Work Failed', position: [400, 100] }),
	],
	{
		'Signed Webhook Trigger': connect('Should Work'),
		'Should Work': connect('Confirm', 'Work Failed'),
	},
);

function stripeEvent(id: string, headers: Record<string, string> = {}) {
	return signedDelivery('stripe', STRIPE_SECRET, JSON.stringify({ id, object: 'event', type: 'invoice.paid' }), { headers });
}

describe.each(['latest', 'floor'])('Drop Repeated Deliveries in a real n8n (%s)', (version) => {
	let n8n: N8nInstance;
	const count = async (workflowId: string) => (await n8n.executions({ workflowId })).count;

	beforeAll(async () => {
		n8n = await startN8n({ version, workflows: version === 'latest' ? [recordFlow, claimFlow] : [recordFlow], credentials: [stripeSecret] });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it(`50 concurrent deliveries of one id: 1 execution, 49 duplicate answers, none stored${version === 'latest' ? '; still dropped after a restart' : ''}`, async () => {
		const delivery = stripeEvent('evt_door_concurrent');
		const answers = await Promise.all(Array.from({ length: 50 }, () => send(n8n.webhookUrl('door-record'), delivery)));
		expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
		const duplicates = answers.filter((a) => (a.json as { error?: string } | undefined)?.error === 'duplicate_delivery');
		expect(duplicates).toHaveLength(49);

		const [execution] = await n8n.waitForFinished(1, { workflowId: recordFlow.id });
		expect(execution.status).toBe('success');
		const item = outputItem(await n8n.execution(execution.id), 'Signed Webhook Trigger');
		expect(item.dedupe).toMatchObject({ key: 'evt_door_concurrent', status: 'recorded' });
		expect(item.verification).toMatchObject({ provider: 'stripe', deliveryId: 'evt_door_concurrent' });

		// Another id runs: its execution is stored after every answer above, so a stored execution for one of the 49
		// would show up in this count.
		expect((await send(n8n.webhookUrl('door-record'), stripeEvent('evt_door_other'))).json).not.toHaveProperty('error');
		await n8n.waitForFinished(2, { workflowId: recordFlow.id });

		// A repeat of the other id: an answer without an execution, after which n8n saves the static data (n8n 2.x skips
		// the save after a call that starts an execution: it resets the change flag when it creates the execution).
		expect((await send(n8n.webhookUrl('door-record'), stripeEvent('evt_door_other'))).json).toMatchObject({ error: 'duplicate_delivery' });

		// The keys are in the workflow's saved static data, in the Dedupe node's key space.
		const savedKeys = async () => {
			const saved = await n8n.rest('GET', `/rest/workflows/${recordFlow.id}`);
			const persisted = (saved.body.data ?? saved.body).staticData?.global?.['dedupe:workflow'];
			return persisted ? (JSON.parse(persisted.entries) as Array<[string]>).map((row) => row[0]).sort() : [];
		};
		const expected = [`wf:${recordFlow.id}:evt_door_concurrent`, `wf:${recordFlow.id}:evt_door_other`];
		let keys = await savedKeys();
		for (let attempt = 0; attempt < 20 && keys.length < expected.length; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			keys = await savedKeys();
		}
		// eslint-disable-next-line no-console
		console.log(`n8n ${version}: saved repeat keys`, keys);
		expect(keys).toEqual(expected);

		// One restart (latest, where the save after a call that starts an execution is skipped) keeps the suite short.
		if (version !== 'latest') return;
		await n8n.restart();

		for (const id of ['evt_door_concurrent', 'evt_door_other']) {
			const after = await send(n8n.webhookUrl('door-record'), stripeEvent(id));
			expect(after.status).toBe(200);
			expect(after.json).toMatchObject({ error: 'duplicate_delivery' });
		}
		expect((await send(n8n.webhookUrl('door-record'), stripeEvent('evt_door_after_restart'))).json).not.toHaveProperty('error');
		await n8n.waitForFinished(3, { workflowId: recordFlow.id });
		expect(await count(recordFlow.id)).toBe(3);
	});

	// Registered for latest only (not a skipped test): the floor's boot carries only the record workflow.
	if (version !== 'latest') return;
	it('Claim Until Confirmed: failed run → retryable answer during the lease → runs and confirms after it → dropped', async () => {
		const url = n8n.webhookUrl('door-claim');
		const first = await send(url, stripeEvent('evt_door_claim', { 'x-e2e-fail': '1' }));
		expect(first.status).toBe(200);
		const [failed] = await n8n.waitForFinished(1, { workflowId: claimFlow.id });
		expect(failed.status).toBe('error');

		const during = await send(url, stripeEvent('evt_door_claim'));
		expect(during.status).toBe(503);
		expect(during.json).toMatchObject({ error: 'delivery_in_progress' });
		const retryAfter = Number(during.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(LEASE_SECONDS);
		expect(await count(claimFlow.id)).toBe(1);

		// The sender's retry: until the lease lapses it keeps getting the retryable answer, then it runs.
		let retried = during;
		for (let attempt = 0; attempt < 120 && retried.status === 503; attempt++) {
			expect(retried.json).toMatchObject({ error: 'delivery_in_progress' });
			await new Promise((resolve) => setTimeout(resolve, 500));
			retried = await send(url, stripeEvent('evt_door_claim'));
		}
		expect(retried.status).toBe(200);
		expect(retried.json).not.toHaveProperty('error');
		const executions = await n8n.waitForFinished(2, { workflowId: claimFlow.id });
		const succeeded = executions.find((execution) => execution.status === 'success')!;
		expect(succeeded).toBeDefined();
		expect(outputItem(await n8n.execution(succeeded.id), 'Confirm').dedupe).toMatchObject({ key: 'evt_door_claim', status: 'confirmed' });

		const later = await send(url, stripeEvent('evt_door_claim'));
		expect(later.status).toBe(200);
		expect(later.json).toMatchObject({ error: 'duplicate_delivery' });
		expect(await count(claimFlow.id)).toBe(2);
	});
});
