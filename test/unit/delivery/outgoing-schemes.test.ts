/**
 * Issue 11: the outgoing signing credential reads its schemes and Generic HMAC's fields from the provider files,
 * and every error class says its name. Expected signatures are computed here with node:crypto, not by our signer.
 */
import { createHmac } from 'node:crypto';
import type { INodeProperties } from 'n8n-workflow';
import * as core from '../../../nodes/core';
import { verify } from '../../../nodes/core/signatures';
import { OutgoingSignatureError, OUTGOING_SCHEMES, signOutgoingRequest, type SignableRequest } from '../../../nodes/core/delivery/outgoing-signature';
import { OutgoingWebhookSigningApi } from '../../../credentials/OutgoingWebhookSigningApi.credentials';
import { WebhookSigningSecretApi } from '../../../credentials/WebhookSigningSecretApi.credentials';
import { triggerProperties } from '../../../nodes/SignedWebhookTrigger/description';

const SECRET = 'outgoing-secret-0123456789';
const NOW = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));
const request: SignableRequest = { url: 'https://example.com/hook', method: 'POST', headers: {}, body: { a: 1 } };
const BODY = '{"a":1}';
const headersOf = (signed: SignableRequest) => signed.headers as Record<string, string>;

describe('the credential reads the provider files', () => {
	const credential = new OutgoingWebhookSigningApi();
	const property = (name: string) => credential.properties.find((item) => item.name === name) as INodeProperties;

	test('Signature Scheme offers every outgoing scheme, by id, with the declared default', () => {
		const scheme = property('scheme');
		expect((scheme.options as Array<{ value: string }>).map((option) => option.value)).toEqual(OUTGOING_SCHEMES.map((item) => item.id));
		expect(scheme.default).toBe(OUTGOING_SCHEMES.find((item) => item.credentialDefault)?.id);
	});

	test("a scheme's settings are the trigger's own fields (names, types, defaults, options), shown only for that scheme", () => {
		for (const outgoing of OUTGOING_SCHEMES.filter((item) => item.settings)) {
			const collection = triggerProperties.find((item) => item.name === outgoing.settings!.parameter)!;
			const triggerFields = collection.options as INodeProperties[];
			const credentialFields = credential.properties.filter((item) => (item.displayOptions?.show?.scheme as string[] | undefined)?.includes(outgoing.id) && item.type !== 'notice');
			expect(credentialFields.map(({ displayOptions, ...rest }) => rest)).toEqual(triggerFields);
			for (const field of credentialFields) expect(field.displayOptions).toEqual({ show: { scheme: [outgoing.id] } });
		}
	});

	test('the saved field names are the ones existing credentials hold', () => {
		// Saved credentials keep working: these names and option values were the credential's before issue 11.
		const names = credential.properties.map((item) => item.name);
		for (const name of ['scheme', 'secret', 'previousSecret', 'previousValidUntil', 'header', 'algorithm', 'encoding', 'prefix', 'template', 'timestampHeader', 'timestampUnit']) {
			expect(names).toContain(name);
		}
		const values = (name: string) => (property(name).options as Array<{ value: string }>).map((option) => option.value);
		expect(values('scheme')).toEqual(expect.arrayContaining(['github', 'standard-webhooks', 'generic-hmac']));
		expect(values('algorithm')).toEqual(['sha1', 'sha256', 'sha512']);
		expect(values('encoding')).toEqual(['hex', 'base64']);
		expect(values('timestampUnit')).toEqual(['s', 'ms']);
	});
});

describe('Generic HMAC ID Header (a trigger field, now offered by the credential too)', () => {
	const settings = { scheme: 'generic-hmac', secret: SECRET, idHeader: 'X-Webhook-ID', template: '{id}.{body}' };
	const expected = (id: string) => createHmac('sha256', SECRET).update(`${id}.${BODY}`).digest('hex');

	test("the request's Idempotency-Key is the id: written to the ID header and signed as {id}; the trigger's verify() accepts it", () => {
		const signed = signOutgoingRequest(settings, { ...request, headers: { 'Idempotency-Key': 'key-1' } }, NOW);
		const headers = headersOf(signed);
		expect(headers['X-Webhook-ID']).toBe('key-1');
		expect(headers['X-Signature']).toBe(expected('key-1'));
		const options = { idHeader: 'X-Webhook-ID', template: '{id}.{body}' };
		expect(verify({ provider: 'generic-hmac', secrets: [SECRET], headers, body: signed.body as Buffer, method: 'POST', now: NOW, options }).valid).toBe(true);
	});

	test('a request that already carries the ID header keeps its value (case-insensitive), and it is what is signed', () => {
		const signed = signOutgoingRequest(settings, { ...request, headers: { 'x-webhook-id': 'own-id', 'Idempotency-Key': 'key-1' } }, NOW);
		const headers = headersOf(signed);
		expect(headers['X-Webhook-ID']).toBe('own-id');
		expect(headers['x-webhook-id']).toBeUndefined();
		expect(headers['X-Signature']).toBe(expected('own-id'));
	});

	test('without any id a msg_ id is made up, written and signed', () => {
		const headers = headersOf(signOutgoingRequest(settings, request, NOW));
		expect(headers['X-Webhook-ID']).toMatch(/^msg_[0-9a-f]{32}$/);
		expect(headers['X-Signature']).toBe(expected(headers['X-Webhook-ID']));
	});

	test('without an ID header nothing changes: no id header is written', () => {
		const headers = headersOf(signOutgoingRequest({ scheme: 'generic-hmac', secret: SECRET }, { ...request, headers: { 'Idempotency-Key': 'key-1' } }, NOW));
		expect(Object.keys(headers).sort()).toEqual(['Idempotency-Key', 'X-Signature', 'content-type']);
		expect(headers['X-Signature']).toBe(createHmac('sha256', SECRET).update(BODY).digest('hex'));
	});
});

describe('a scheme no provider file offers for outgoing signing', () => {
	test.each(['stripe', 'no-such-scheme', '', undefined])('%s is refused naming the field, with the schemes offered', (scheme) => {
		const run = () => signOutgoingRequest({ scheme: scheme as string, secret: SECRET }, request, NOW);
		expect(run).toThrow(OutgoingSignatureError);
		expect(run).toThrow(`Could not sign the request: Signature Scheme must be one of ${OUTGOING_SCHEMES.map((item) => item.id).join(', ')}`);
	});
});

describe('Verify Token in the signing-secret credential', () => {
	const field = new WebhookSigningSecretApi().properties.find((item) => item.name === 'verifyToken')!;

	test('has a neutral label and help generated from the providers whose handshake compares a verify token', () => {
		expect(field.displayName).toBe('Verify Token (Subscription Handshake)');
		expect(field.description).toBe(
			'Meta (Facebook, Instagram, WhatsApp) only: the verify token you entered in the app dashboard, checked on the subscription GET (hub.challenge)',
		);
	});
});

describe('every error class says its name', () => {
	const classes = Object.entries(core).filter(
		([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error,
	) as Array<[string, new (message: string) => Error]>;

	test('the core exports its error classes (OutgoingSignatureError among them)', () => {
		expect(classes.map(([name]) => name)).toEqual(expect.arrayContaining(['OutgoingSignatureError', 'DeliveryStateError', 'DedupeStoreUnavailableError']));
	});

	test.each(classes.map(([name, type]) => [name, type] as const))('%s', (name, type) => {
		const error = new type('message');
		expect(error.name).toBe(name);
		expect(String(error)).toBe(`${name}: message`);
	});
});
