import { NodeHelpers, type INodeProperties } from 'n8n-workflow';
import { providers } from '../../../nodes/core/signatures';
import { decodeBody, eventTypeAllowed, parseBody, redactHeaders, REDACTED } from '../../../nodes/SignedWebhookTrigger/pipeline';
import { acceptedMethods } from '../../../nodes/SignedWebhookTrigger/methods';
import { coreProviderId, PUBLIC_KEY_CHOICES as PUBLIC_KEY_PROVIDERS, SECRET_CHOICES as SECRET_PROVIDERS } from '../../../nodes/SignedWebhookTrigger/providerChoices';
import { headersToRedact } from '../../../nodes/SignedWebhookTrigger/redaction';
import { SignedWebhookTrigger } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';

const node = new SignedWebhookTrigger();
const { description } = node;

describe('node description', () => {
	it('follows the trigger conventions', () => {
		expect(description.name).toBe('signedWebhookTrigger');
		expect(description.displayName).toContain('Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		expect(description.subtitle).toBeTruthy();
		expect(description.icon).toEqual({ light: 'file:signedWebhookTrigger.svg', dark: 'file:signedWebhookTrigger.dark.svg' });
		expect(description.webhooks?.[0]).toMatchObject({ name: 'default', isFullPath: true });
		expect(Object.keys(node.webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
	});

	it('offers every provider of the signature core, plus Standard Webhooks with a public key', () => {
		const providerProperty = description.properties.find((p) => p.name === 'provider')!;
		const values = (providerProperty.options as Array<{ value: string }>).map((o) => o.value);
		for (const provider of providers) expect(values).toContain(provider.id);
		expect(values).toContain('standard-webhooks-v1a');
		expect(providerProperty.default).toBe('github');
		expect(coreProviderId('standard-webhooks-v1a')).toBe('standard-webhooks');
	});

	it('every provider shows exactly one credential: a public key for Ed25519/ECDSA, a secret otherwise', () => {
		for (const provider of providers) {
			const wantsKey = provider.kind === 'ed25519' || provider.kind === 'ecdsa';
			expect(PUBLIC_KEY_PROVIDERS.includes(provider.id)).toBe(wantsKey);
			expect(SECRET_PROVIDERS.includes(provider.id)).toBe(!wantsKey);
		}
		expect(PUBLIC_KEY_PROVIDERS).toEqual(expect.arrayContaining(['discord', 'sendgrid', 'standard-webhooks-v1a']));
	});

	it('saved with defaults, a fresh node uses POST, onReceived with 200, and the provider default window', () => {
		const parameters = NodeHelpers.getNodeParameters(description.properties as INodeProperties[], {}, true, false, null, description);
		expect(parameters).toMatchObject({ httpMethod: 'POST', provider: 'github', responseMode: 'onReceived', responseCode: 200, timestampCheck: 'providerDefault' });
	});
});

describe('pipeline helpers', () => {
	it.each([
		[undefined, [], true],
		['push', [], true],
		['push', ['push'], true],
		['push', ['pull_request'], false],
		['customer.subscription.updated', ['customer.subscription.*'], true],
		['customer.created', ['customer.subscription.*'], false],
		[undefined, ['push'], false],
		['Push', ['push'], false],
	])('event %s against %j → %s', (eventType, allowed, expected) => {
		expect(eventTypeAllowed(eventType as string | undefined, allowed as string[])).toBe(expected);
	});

	it('parses JSON, +json, form and text bodies from the verified bytes', () => {
		expect(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8', undefined)).toEqual({ a: 1 });
		expect(parseBody(Buffer.from('\uFEFF{"a":1}'), 'application/cloudevents+json', undefined)).toEqual({ a: 1 });
		expect(parseBody(Buffer.from('a=1&b=x+y&b=z'), 'application/x-www-form-urlencoded', undefined)).toEqual({ a: '1', b: ['x y', 'z'] });
		expect(parseBody(Buffer.from('hello'), 'text/plain', undefined)).toBe('hello');
		expect(parseBody(Buffer.from('{broken'), 'application/json', undefined)).toBe('{broken');
		expect(parseBody(Buffer.from('<a>1</a>'), 'application/xml', { a: '1' })).toEqual({ a: '1' });
		expect(parseBody(Buffer.from('{"x":true}'), undefined, undefined)).toEqual({ x: true });
		expect(parseBody(Buffer.alloc(0), 'application/json', undefined)).toEqual({});
	});

	// Issue 10, kind 3: the order ids of the report. JSON.parse gives both 8202522731445526000.
	it('keeps every digit of integers beyond 2^53, as strings, for every way a JSON body can arrive', () => {
		const first = '{"order_id":8202522731445525542,"amount":12.5,"n":9007199254740991}';
		const second = '{"order_id":8202522731445525543,"amount":12.5,"n":9007199254740991}';
		const rounded = JSON.parse(first);
		for (const contentType of ['application/json', 'application/vnd.api+json; charset=utf-8', 'text/json', undefined, 'application/octet-stream']) {
			// n8n's own (rounding) parse is handed in as parsedBody, and must lose to the exact parse of the bytes.
			const a = parseBody(Buffer.from(first), contentType, rounded) as Record<string, unknown>;
			const b = parseBody(Buffer.from(second), contentType, JSON.parse(second)) as Record<string, unknown>;
			expect(a).toEqual({ order_id: '8202522731445525542', amount: 12.5, n: 9007199254740991 });
			expect(b.order_id).toBe('8202522731445525543');
			expect(a.order_id).not.toBe(b.order_id);
		}
		expect(parseBody(Buffer.from('[8202522731445525542, -8202522731445525542]'), 'application/json', undefined)).toEqual([
			'8202522731445525542',
			'-8202522731445525542',
		]);
		// JSON null stays null (not the text "null"); form values and text stay strings with every digit.
		expect(parseBody(Buffer.from('null'), 'application/json', undefined)).toBeNull();
		expect(parseBody(Buffer.from('order_id=8202522731445525542'), 'application/x-www-form-urlencoded', { order_id: '8202522731445525542' })).toEqual({
			order_id: '8202522731445525542',
		});
		expect(parseBody(Buffer.from('8202522731445525542'), 'text/plain', undefined)).toBe('8202522731445525542');
	});

	it('decodes text by the declared charset (as n8n does), UTF-8 otherwise, so the verified text is not changed', () => {
		const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1
		expect(decodeBody(latin1, 'text/plain; charset=ISO-8859-1')).toBe('café');
		expect(parseBody(latin1, 'text/plain; charset="iso-8859-1"', undefined)).toBe('café');
		expect(decodeBody(Buffer.from('café'), 'text/plain; charset=utf-8')).toBe('café');
		expect(decodeBody(Buffer.from('\uFEFFcafé'), 'text/plain')).toBe('café');
		expect(decodeBody(Buffer.from('café'), 'text/plain; charset=no-such-charset')).toBe('café');
		expect(parseBody(Buffer.from('{"name":"Zoë"}', 'utf16le'), 'application/json; charset=utf-16le', undefined)).toEqual({ name: 'Zoë' });
	});

	it('redacts signature and token headers, keeps the rest', () => {
		const redact = headersToRedact(['X-My-Token']);
		const headers = redactHeaders(
			{ 'x-gitlab-token': 'tok', authorization: 'Bearer t', 'x-my-token': 'v', 'x-github-event': 'push', 'stripe-signature': 't=1,v1=ab', skipped: undefined },
			redact,
		);
		expect(headers).toEqual({ 'x-gitlab-token': REDACTED, authorization: REDACTED, 'x-my-token': REDACTED, 'x-github-event': 'push', 'stripe-signature': REDACTED });
		for (const provider of providers) expect(redact.has(provider.signatureHeader.toLowerCase())).toBe(true);
	});

	it('redacts every header the old hand-written list named (now read from the providers’ facts)', () => {
		const before = ['authorization', 'proxy-authorization', 'x-hub-signature', 'x-hub-signature-256', 'x-gitlab-token', 'stripe-signature',
			'x-slack-signature', 'x-shopify-hmac-sha256', 'shopify-hmac-sha256', 'webhook-signature', 'svix-signature', 'x-twilio-signature',
			'linear-signature', 'paddle-signature', 'x-zm-signature', 'twitch-eventsub-message-signature', 'x-signature-ed25519', 'typeform-signature',
			'calendly-webhook-signature', 'x-hubspot-signature', 'x-hubspot-signature-v3', 'x-square-hmacsha256-signature', 'x-square-signature',
			'x-zendesk-webhook-signature', 'x-twilio-email-event-webhook-signature', 'x-convoy-signature'];
		const redact = headersToRedact([]);
		for (const name of before) expect(redact.has(name)).toBe(true);
	});

	it('accepts the configured method, plus GET for Meta', () => {
		expect(acceptedMethods('POST', 'github')).toEqual(['POST']);
		expect(acceptedMethods('post', 'meta')).toEqual(['POST', 'GET']);
		expect(acceptedMethods('GET', 'meta')).toEqual(['GET']);
	});
});

describe('activation checks (webhookMethods.create)', () => {
	function hookContext(parameters: Record<string, unknown>, credentials: Record<string, unknown>) {
		return {
			getNode: () => ({ name: 'Signed Webhook Trigger', type: 'signedWebhookTrigger', typeVersion: 1, parameters }),
			getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
			getCredentials: async () => credentials,
		} as never;
	}

	it('refuses an IP allowlist entry that does not parse, naming it', async () => {
		const context = hookContext({ provider: 'github', options: { ipAllowlist: '10.0.0.0/8, 10.0.0.0/40' } }, { secret: 's' });
		await expect(node.webhookMethods.default.create.call(context)).rejects.toThrow('10.0.0.0/40');
	});

	it('refuses a malformed whsec_ secret without showing it', async () => {
		const context = hookContext({ provider: 'standard-webhooks', options: {} }, { secret: 'whsec_!!hidden!!' });
		const error = await node.webhookMethods.default.create.call(context).catch((e: Error) => e);
		expect((error as Error).message).toMatch(/Current Secret starts with whsec_/);
		expect((error as Error).message).not.toContain('hidden');
	});

	it('accepts a whsec_ secret that is not base64 for Stripe, which uses it as text', async () => {
		const context = hookContext({ provider: 'stripe', options: {} }, { secret: 'whsec_e2eStripeSecret0123456789abcd' });
		await expect(node.webhookMethods.default.create.call(context)).resolves.toBe(true);
	});

	it('refuses an event filter for a provider that names no events', async () => {
		const context = hookContext({ provider: 'twilio', options: { allowedEventTypes: 'sms' } }, { secret: 's' });
		await expect(node.webhookMethods.default.create.call(context)).rejects.toThrow(/does not name its events/);
	});

	// Issue 10 follow-up: activation runs the core's checkProviderSecret for every provider.
	it('refuses an un-prefixed Standard Webhooks secret that decodes to too few bytes, naming the field, not the value', async () => {
		const context = hookContext({ provider: 'standard-webhooks', options: {} }, { secret: 'c2hvcnQ' });
		const error = await node.webhookMethods.default.create.call(context).catch((e: Error) => e);
		expect((error as Error).message).toBe('Credential: Current Secret decodes to 5 bytes; at least 16 are needed');
	});

	it.each([0, -1])('refuses a custom tolerance of %s, naming the field', async (toleranceSeconds) => {
		const context = hookContext({ provider: 'stripe', timestampCheck: 'custom', toleranceSeconds, options: {} }, { secret: 's' });
		await expect(node.webhookMethods.default.create.call(context)).rejects.toThrow(/^Tolerance \(Seconds\) must be a number of seconds greater than 0/);
	});

	it('accepts a sound configuration', async () => {
		const context = hookContext({ provider: 'github', options: { ipAllowlist: '192.0.2.0/24' } }, { secret: 's', previousSecret: '', olderSecret: 'o' });
		await expect(node.webhookMethods.default.create.call(context)).resolves.toBe(true);
		await expect(node.webhookMethods.default.checkExists.call(context)).resolves.toBe(false);
		await expect(node.webhookMethods.default.delete.call(context)).resolves.toBe(true);
	});

	it("unpublishing clears a kept issued secret (Asana's X-Hook-Secret), so the next webhook's handshake is taken", async () => {
		const staticData: Record<string, unknown> = { issuedSecret: 'kept-asana-secret-0123456789', other: 1 };
		const context = Object.assign(hookContext({ provider: 'asana', options: {} }, { secret: 's' }), { getWorkflowStaticData: () => staticData });
		await expect(node.webhookMethods.default.delete.call(context)).resolves.toBe(true);
		expect(staticData).toEqual({ other: 1 });
	});
});
