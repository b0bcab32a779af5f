/** A provider that carries its secret in the body (Microsoft Graph's clientState): the output item never holds it. */
import { detectHandshake, providers, verify } from '../../../nodes/core/signatures';
import { runPipeline, type IncomingRequest, type PipelineSettings } from '../../../nodes/SignedWebhookTrigger/pipeline';
import { providerChoice } from '../../../nodes/SignedWebhookTrigger/providerChoices';

const SECRET = 'graph-client-state-0123456789abcdef';
const graph = providers.find((p) => p.id === 'microsoft-graph')!;
const body = JSON.stringify({
	value: [
		{ subscriptionId: 's-1', clientState: SECRET, changeType: 'created', resource: 'Users/u1/messages/m1' },
		{ subscriptionId: 's-1', clientState: SECRET, changeType: 'updated', resource: 'Users/u1/messages/m2' },
	],
});

const request = (text: string): IncomingRequest => ({
	method: 'POST',
	clientIp: '127.0.0.1',
	headers: { 'content-type': 'application/json' },
	query: {},
	url: 'http://127.0.0.1/webhook/graph',
	contentType: 'application/json',
	readBody: async () => Buffer.from(text),
});

const settings = (extra: Partial<PipelineSettings> = {}): PipelineSettings => ({
	provider: 'microsoft-graph',
	acceptedMethods: ['POST'],
	maxBodyBytes: 0,
	allowedEventTypes: [],
	providerOptions: {},
	secrets: [SECRET],
	redactHeaders: new Set(),
	redactBody: graph.redactBody,
	...extra,
});

describe('secrets carried in the body', () => {
	it('the provider declares redactBody, and the trigger\'s choice for it carries it', () => {
		expect(typeof graph.redactBody).toBe('function');
		expect(providerChoice('microsoft-graph')?.provider.redactBody).toBe(graph.redactBody);
	});

	it('a verified Graph notification runs with every clientState blanked and the rest of the body intact', async () => {
		const outcome = await runPipeline(settings(), request(body), { verify, detectHandshake });
		expect(outcome.type).toBe('emit');
		if (outcome.type !== 'emit') return;
		expect(JSON.stringify(outcome.json)).not.toContain(SECRET);
		expect(outcome.json.body).toEqual({
			value: [
				{ subscriptionId: 's-1', clientState: '[redacted]', changeType: 'created', resource: 'Users/u1/messages/m1' },
				{ subscriptionId: 's-1', clientState: '[redacted]', changeType: 'updated', resource: 'Users/u1/messages/m2' },
			],
		});
	});

	it('report-only: a notification with a wrong clientState runs unverified, and its clientState is blanked too', async () => {
		const wrong = body.split(SECRET).join('someone-elses-client-state-value');
		const outcome = await runPipeline(settings({ reportOnly: true }), request(wrong), { verify, detectHandshake });
		expect(outcome.type).toBe('emit');
		if (outcome.type !== 'emit') return;
		expect(outcome.json.verification).toMatchObject({ valid: false, reason: 'invalid_signature' });
		expect(JSON.stringify(outcome.json)).not.toContain('someone-elses-client-state-value');
	});

	it('only Microsoft Graph declares redactBody today (a new one is added here on purpose)', async () => {
		expect(providers.filter((p) => p.redactBody).map((p) => p.id)).toEqual(['microsoft-graph']);
	});
});
