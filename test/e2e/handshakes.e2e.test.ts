/**
 * Handshakes of the providers added in issue 12, answered by the Signed Webhook Trigger in a real n8n (pinned latest),
 * installed as a community package; executions are counted in n8n's own database through its REST API:
 *  - Dropbox's GET ?challenge (unsigned) → the challenge as text/plain with nosniff, no execution;
 *  - X's GET crc_token (unsigned) → {"response_token": "sha256=<base64 HMAC>"} with the consumer secret, no execution;
 *  - Okta's one-time verification GET → {"verification": …} only with the right Authorization header (else 401),
 *    no execution either way;
 *  - Microsoft Graph's POST ?validationToken= (unsigned) → the token as text/plain, no execution;
 *  - Trello's HEAD (unsigned) → 200, no execution;
 *  - Asana's X-Hook-Secret POST → echoed, no execution; the secret is kept (static data) and verifies later events,
 *    also after n8n restarts; a later handshake does not replace it;
 *  - a signed Dropbox notification after them is one execution (the handshakes did not break the trigger);
 *  - no secret appears in any stored execution or in n8n's log.
 */
import { createHmac } from 'node:crypto';
import { signedDelivery } from '../harness/deliveries';
import { send } from '../harness/http';
import { N8nInstance, startN8n } from '../harness/n8n';
import { credential, signedWebhookTrigger, workflow } from '../harness/workflows';

jest.setTimeout(600_000);

const DROPBOX_SECRET = 'e2e-dropbox-app-secret-6c1e';
const X_SECRET = 'e2e-x-consumer-secret-0b9f44';
const OKTA_SECRET = 'e2e-okta-authorization-value-93';
const GRAPH_SECRET = 'e2e-graph-client-state-d2a7';
const TRELLO_SECRET = 'e2e-trello-oauth-secret-41c0';
const ASANA_PLACEHOLDER = 'e2e-asana-credential-placeholder-77';
const ASANA_ISSUED = 'e2e-asana-issued-secret-3d9f1c5a';
const ASANA_LATER = 'e2e-asana-later-handshake-8b2e';
const SECRETS = [DROPBOX_SECRET, X_SECRET, OKTA_SECRET, GRAPH_SECRET, TRELLO_SECRET, ASANA_PLACEHOLDER, ASANA_ISSUED, ASANA_LATER];

const signingSecret = (id: string, secret: string) => credential('webhookSigningSecretApi', id, `e2e ${id}`, { secret });
const credentials = [
	signingSecret('e2eDropboxSecret', DROPBOX_SECRET),
	signingSecret('e2eXConsumerSec1', X_SECRET),
	signingSecret('e2eOktaAuthValue', OKTA_SECRET),
	signingSecret('e2eGraphClientSt', GRAPH_SECRET),
	signingSecret('e2eTrelloSecret1', TRELLO_SECRET),
	signingSecret('e2eAsanaPlaceho1', ASANA_PLACEHOLDER),
];

const FLOWS = {
	dropbox: { id: 'e2eDropboxFlow01', credential: 'e2eDropboxSecret', path: 'e2e-dropbox' },
	x: { id: 'e2eXCrcFlow00001', credential: 'e2eXConsumerSec1', path: 'e2e-x' },
	okta: { id: 'e2eOktaFlow00001', credential: 'e2eOktaAuthValue', path: 'e2e-okta' },
	'microsoft-graph': { id: 'e2eGraphFlow0001', credential: 'e2eGraphClientSt', path: 'e2e-graph' },
	trello: { id: 'e2eTrelloFlow001', credential: 'e2eTrelloSecret1', path: 'e2e-trello' },
	asana: { id: 'e2eAsanaFlow0001', credential: 'e2eAsanaPlaceho1', path: 'e2e-asana' },
};

const workflows = Object.entries(FLOWS).map(([provider, flow]) =>
	workflow(flow.id, `e2e ${flow.id}`, [
		signedWebhookTrigger({ path: flow.path, provider }, { credential: credentials.find((item) => item.id === flow.credential)! }),
	]),
);

describe('new handshakes in a real n8n (latest)', () => {
	let n8n: N8nInstance;
	const count = async (workflowId: string) => (await n8n.executions({ workflowId })).count;

	beforeAll(async () => {
		n8n = await startN8n({ version: 'latest', workflows, credentials });
		// eslint-disable-next-line no-console
		console.log(`n8n start phases (s): ${JSON.stringify(n8n.timings)}`);
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it("Dropbox's GET ?challenge is echoed as text/plain with nosniff on the POST trigger's path, with no execution", async () => {
		const answer = await send(`${n8n.webhookUrl(FLOWS.dropbox.path)}?challenge=e2e-dropbox-challenge-abc123`, { method: 'GET' });
		expect(answer.status).toBe(200);
		expect(answer.text).toBe('e2e-dropbox-challenge-abc123');
		expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
		expect(await count(FLOWS.dropbox.id)).toBe(0);
	});

	it("X's GET crc_token is answered with sha256= base64 HMAC-SHA256(consumer secret, crc_token), with no execution", async () => {
		const token = 'e2e-crc-9b4507b3-9040-4669-9ca3-6b94edb50553';
		const answer = await send(`${n8n.webhookUrl(FLOWS.x.path)}?crc_token=${token}`, { method: 'GET' });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ response_token: `sha256=${createHmac('sha256', X_SECRET).update(token).digest('base64')}` });
		// A token shaped like an event body is not answered (the answer would sign that body): the GET is then an
		// ordinary call without a signature.
		const bodyLike = await send(`${n8n.webhookUrl(FLOWS.x.path)}?crc_token=${encodeURIComponent('{"for_user_id":"1"}')}`, { method: 'GET' });
		expect(bodyLike.status).toBe(401);
		expect(bodyLike.json.error).toBe('missing_signature');
		expect(await count(FLOWS.x.id)).toBe(0);
	});

	it("Okta's verification GET is answered only with the configured Authorization value, with no execution", async () => {
		const url = n8n.webhookUrl(FLOWS.okta.path);
		const challenge = 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg';
		const good = await send(url, { method: 'GET', headers: { 'x-okta-verification-challenge': challenge, authorization: OKTA_SECRET } });
		expect(good.status).toBe(200);
		expect(good.json).toEqual({ verification: challenge });
		const wrong = await send(url, { method: 'GET', headers: { 'x-okta-verification-challenge': challenge, authorization: 'guess' } });
		expect(wrong.status).toBe(401);
		expect(wrong.json.error).toBe('invalid_signature');
		expect(wrong.text).not.toContain(challenge);
		expect(await count(FLOWS.okta.id)).toBe(0);
	});

	it("Microsoft Graph's POST ?validationToken= is echoed as text/plain, with no execution", async () => {
		const token = 'Validation: Testing client application reachability for subscription Request-Id: e2e-1';
		const answer = await send(`${n8n.webhookUrl(FLOWS['microsoft-graph'].path)}?validationToken=${encodeURIComponent(token)}`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: '',
		});
		expect(answer.status).toBe(200);
		expect(answer.text).toBe(token);
		expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await count(FLOWS['microsoft-graph'].id)).toBe(0);
	});

	it("Trello's HEAD at webhook creation gets 200 with no body, with no execution", async () => {
		const answer = await send(n8n.webhookUrl(FLOWS.trello.path), { method: 'HEAD' });
		expect(answer.status).toBe(200);
		expect(answer.text).toBe('');
		expect(await count(FLOWS.trello.id)).toBe(0);
	});

	it('after the handshakes, a signed Dropbox notification is one execution', async () => {
		const body = '{"list_folder":{"accounts":["dbid:e2e"]},"delta":{"users":[1]}}';
		const answer = await send(n8n.webhookUrl(FLOWS.dropbox.path), signedDelivery('dropbox', DROPBOX_SECRET, body));
		expect(answer.status).toBe(200);
		const results = await n8n.waitForFinished(1, { workflowId: FLOWS.dropbox.id });
		expect(results[0].status).toBe('success');
		const forged = await send(n8n.webhookUrl(FLOWS.dropbox.path), signedDelivery('dropbox', 'not-the-secret', body));
		expect(forged.status).toBe(401);
		expect(await count(FLOWS.dropbox.id)).toBe(1);
	});

	it("Asana's X-Hook-Secret is echoed with no execution and kept: events signed with it verify, also after a restart; a later handshake does not replace it", async () => {
		const url = n8n.webhookUrl(FLOWS.asana.path);
		const body = '{"events":[{"action":"changed","resource":{"gid":"1201","resource_type":"task"}}]}';
		const before = await send(url, signedDelivery('asana', ASANA_ISSUED, body));
		expect(before.status).toBe(401);
		const answer = await send(url, { method: 'POST', headers: { 'x-hook-secret': ASANA_ISSUED }, body: '' });
		expect(answer.status).toBe(200);
		expect(answer.headers.get('x-hook-secret')).toBe(ASANA_ISSUED);
		expect(await count(FLOWS.asana.id)).toBe(0);
		expect((await send(url, signedDelivery('asana', ASANA_ISSUED, body))).status).toBe(200);
		await n8n.waitForFinished(1, { workflowId: FLOWS.asana.id });

		await n8n.restart();
		const later = await send(url, { method: 'POST', headers: { 'x-hook-secret': ASANA_LATER }, body: '' });
		expect(later.status).toBe(200);
		expect((await send(url, signedDelivery('asana', ASANA_LATER, body))).status).toBe(401);
		expect((await send(url, signedDelivery('asana', ASANA_ISSUED, body))).status).toBe(200);
		const results = await n8n.waitForFinished(2, { workflowId: FLOWS.asana.id });
		expect(results.every((result) => result.status === 'success')).toBe(true);
	});

	it("no secret appears in any stored execution or in n8n's log", async () => {
		const all = await n8n.executions();
		expect(all.count).toBe(3);
		for (const summary of all.results) {
			const detail = await n8n.execution(summary.id);
			for (const secret of SECRETS) expect(detail.rawData).not.toContain(secret);
		}
		const log = n8n.logs();
		for (const secret of SECRETS) expect(log).not.toContain(secret);
	});
});
