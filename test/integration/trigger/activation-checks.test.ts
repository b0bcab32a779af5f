/**
 * Activation (webhookMethods.default.create) through n8n-core's own HookContext, as n8n calls it when a workflow is
 * published or the editor listens for a test event (issue 10 follow-ups):
 *  - every provider's credential is checked with the core's checkProviderSecret (the rule verify() applies), so an
 *    un-prefixed Standard Webhooks secret that decodes to too few bytes, or a Discord key that is not Ed25519, is
 *    refused at activation with the field's name and never its value;
 *  - a custom tolerance of 0 or below (verify() throws a TypeError for it) is refused at activation, and a request
 *    to a node saved with one gets a 500 "misconfigured" whose log line names the field, no execution.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { logLines, startTriggerServer } from './webhookServer';

/* eslint-disable @typescript-eslint/no-require-imports */
const { HookContext } = require('n8n-core');
const { NodeHelpers, Workflow } = require('n8n-workflow');
/* eslint-enable @typescript-eslint/no-require-imports */

import type { INode, INodeType } from 'n8n-workflow';
import { SignedWebhookTrigger } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';

const nodeType: INodeType = new SignedWebhookTrigger();

async function activate(parameters: Record<string, unknown>, credentials: Record<string, Record<string, unknown>>): Promise<string | true> {
	const description = nodeType.description;
	const node: INode = {
		id: 'c0ffee00-0000-4000-8000-0000000000a1',
		name: 'Signed Webhook Trigger',
		type: 'n8n-nodes-reliable-webhooks.signedWebhookTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'f00dfeed-0000-4000-8000-0000000000b2',
		parameters: {},
		credentials: Object.fromEntries((description.credentials ?? []).map((c) => [c.name, { id: `cred-${c.name}`, name: c.name }])),
	};
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description);
	const workflow = new Workflow({
		id: 'wf-activation',
		name: 'activation',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) },
		settings: {},
	});
	const additionalData = {
		credentialsHelper: {
			isCredentialUsableByNode: () => true,
			getDecrypted: async (_additional: unknown, _nodeCredentials: unknown, type: string) => {
				const data = credentials[type];
				if (!data) throw new Error(`No credentials of type ${type}`);
				return { ...data };
			},
		},
		variables: {},
	};
	const context = new HookContext(workflow, node, additionalData, 'trigger', 'activate');
	try {
		return (await nodeType.webhookMethods!.default!.create!.call(context)) as true;
	} catch (error) {
		return (error as Error).message;
	}
}

describe('activation checks every provider with the core’s key rules', () => {
	it('refuses an un-prefixed Standard Webhooks secret that decodes to too few bytes, naming the field', async () => {
		const secret = 'c2hvcnQ'; // base64 of "short": 5 bytes
		const message = await activate({ provider: 'standard-webhooks' }, { webhookSigningSecretApi: { secret } });
		expect(message).toBe('Credential: Current Secret decodes to 5 bytes; at least 16 are needed');
		expect(String(message)).not.toContain(secret);
	});

	it('refuses a weak previous secret too (Svix), and accepts a sound one', async () => {
		const good = `whsec_${randomBytes(24).toString('base64')}`;
		const weak = 'whsec_QQ==';
		const message = await activate({ provider: 'svix' }, { webhookSigningSecretApi: { secret: good, previousSecret: weak } });
		expect(message).toBe('Credential: Previous Secret decodes to 1 byte; at least 16 are needed');
		await expect(activate({ provider: 'svix' }, { webhookSigningSecretApi: { secret: good } })).resolves.toBe(true);
	});

	it('refuses for Discord an ECDSA key that only SendGrid can use, and accepts it for SendGrid', async () => {
		const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
		const message = await activate({ provider: 'discord' }, { webhookPublicKeyApi: { publicKey: ec } });
		expect(message).toBe('Credential: Public Key is not an Ed25519 key (32 bytes)');
		await expect(activate({ provider: 'sendgrid' }, { webhookPublicKeyApi: { publicKey: ec } })).resolves.toBe(true);
	});

	it('a text secret stays usable as text where the provider uses it so (Stripe)', async () => {
		await expect(activate({ provider: 'stripe' }, { webhookSigningSecretApi: { secret: 'whsec_e2eStripeSecret0123456789abcd' } })).resolves.toBe(true);
	});
});

describe('a custom tolerance must be greater than 0', () => {
	const credentials = { webhookSigningSecretApi: { secret: 'whsec_stripe-test-secret' } };

	it.each([0, -5])('refuses %s at activation with a message naming the field', async (toleranceSeconds) => {
		const message = await activate({ provider: 'stripe', timestampCheck: 'custom', toleranceSeconds }, credentials);
		expect(message).toMatch(/^Tolerance \(Seconds\) must be a number of seconds greater than 0/);
	});

	it('accepts 1 and the provider default', async () => {
		await expect(activate({ provider: 'stripe', timestampCheck: 'custom', toleranceSeconds: 1 }, credentials)).resolves.toBe(true);
		await expect(activate({ provider: 'stripe' }, credentials)).resolves.toBe(true);
	});

	it('a request to a node saved with 0 gets 500 misconfigured, logged with the field name, and starts nothing', async () => {
		const server = await startTriggerServer({
			parameters: { path: 'zero-window', provider: 'stripe', timestampCheck: 'custom', toleranceSeconds: 0 },
			credentials,
		});
		try {
			const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' }, body: '{}' });
			expect(response.status).toBe(500);
			expect(await response.json()).toEqual({ error: 'misconfigured', message: 'The webhook is not configured correctly.' });
			expect(server.executions).toHaveLength(0);
			expect(logLines.some((line) => line.startsWith('error ') && line.includes('Tolerance (Seconds) must be'))).toBe(true);
		} finally {
			await server.close();
		}
	});
});
