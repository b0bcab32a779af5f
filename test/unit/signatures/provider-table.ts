/**
 * One row per provider (and per mode): how to make a valid signed request with sign().
 * Every registered provider needs a row (README, "Adding a provider").
 */
import { createHash, createHmac, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { sign } from '../../../nodes/core';
import type { HeaderBag, ProviderOptions } from '../../../nodes/core';

export type Part = 'body' | 'signature' | 'timestamp';

export interface ProviderRow {
	name: string;
	provider: string;
	/** What sign() gets (a private key for Ed25519). */
	secret: string;
	/** What verify() gets when it differs (public keys). */
	verifySecret?: string;
	body: string | Buffer;
	method?: string;
	url?: string;
	options?: ProviderOptions;
	/** Headers the provider sends besides the signature (ids, event names). */
	extraHeaders?: Record<string, string>;
	signatureHeader: string;
	/** Restricts signature flips to the value part where a label is legitimately variable (Convoy `v1`/`v2`, `Bearer`). */
	signaturePattern?: RegExp;
	/** Where the timestamp travels, for the byte-flip property: a header, or a `t=`-style part of the signature header. */
	timestamp?: { header: string; pattern?: RegExp };
	/** What the scheme authenticates (token schemes do not sign the body; Mailgun signs only timestamp + token). */
	authenticates: Part[];
	expect?: { deliveryId?: string; eventType?: string };
	/** Builds the request when sign() alone does not (ECDSA is verify-only, Mailgun signs inside the body). */
	build?: (row: ProviderRow, nowMs: number) => { headers: HeaderBag; body: string | Buffer };
}

export interface SignedRequest {
	provider: string;
	secrets: string[];
	headers: HeaderBag;
	body: string | Buffer;
	method?: string;
	url?: string;
	options?: ProviderOptions;
	now: number;
}

export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function ed25519Pair() {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
	const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
	return { seed, pub };
}

const discordKeys = ed25519Pair();
const standardKeys = ed25519Pair();
export const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const sendgridPublicKey = sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const JSON_BODY = '{\n  "id": "evt_1",\n  "type": "customer.created",\n  "data": { "name": "Zoë" }\n}\n';
const jsonUrl = (body: string) =>
	`https://hooks.example.com/twilio/json?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;

export const PROVIDER_ROWS: ProviderRow[] = [
	{
		name: 'github',
		provider: 'github',
		secret: "It's a Secret to Everybody",
		body: 'Hello, World!',
		signatureHeader: 'X-Hub-Signature-256',
		extraHeaders: { 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-GitHub-Event': 'push' },
		expect: { deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', eventType: 'push' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'gitlab (secret token)',
		provider: 'gitlab',
		secret: 'glpat-like-secret-token',
		body: '{"object_kind":"push"}',
		signatureHeader: 'X-Gitlab-Token',
		extraHeaders: { 'X-Gitlab-Event': 'Push Hook', 'Idempotency-Key': 'idem-1' },
		expect: { deliveryId: 'idem-1', eventType: 'Push Hook' },
		authenticates: ['signature'],
	},
	{
		name: 'gitlab (signing token)',
		provider: 'gitlab',
		secret: WHSEC,
		body: '{"object_kind":"push"}',
		options: { mode: 'signing-token' },
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		extraHeaders: { 'X-Gitlab-Event': 'Push Hook' },
		expect: { eventType: 'Push Hook' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'stripe',
		provider: 'stripe',
		secret: 'whsec_test_secret',
		body: JSON_BODY,
		signatureHeader: 'Stripe-Signature',
		timestamp: { header: 'Stripe-Signature', pattern: /t=(\d+)/ },
		expect: { deliveryId: 'evt_1', eventType: 'customer.created' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'slack',
		provider: 'slack',
		secret: '8f742231b10e8888abcd99yyyzzz85a5',
		body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070',
		signatureHeader: 'X-Slack-Signature',
		timestamp: { header: 'X-Slack-Request-Timestamp' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'shopify',
		provider: 'shopify',
		secret: 'shpss_client_secret',
		body: '{"id":820982911946154508}',
		signatureHeader: 'X-Shopify-Hmac-Sha256',
		// Shopify: duplicates share X-Shopify-Event-Id; X-Shopify-Webhook-Id differs per subscription (issue 10, kind 5).
		extraHeaders: {
			'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
			'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
			'X-Shopify-Topic': 'orders/create',
		},
		expect: { deliveryId: '98880550-7158-44d4-b7cd-2c97c8a091b5', eventType: 'orders/create' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'standard-webhooks (v1 HMAC)',
		provider: 'standard-webhooks',
		secret: WHSEC,
		body: '{"type":"invoice.paid","data":{}}',
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		expect: { eventType: 'invoice.paid' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'standard-webhooks (v1a Ed25519)',
		provider: 'standard-webhooks',
		secret: `whsk_${standardKeys.seed.toString('base64')}`,
		verifySecret: `whpk_${standardKeys.pub.toString('base64')}`,
		body: '{"type":"invoice.paid","data":{}}',
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'svix',
		provider: 'svix',
		secret: WHSEC,
		body: '{"type":"user.created","data":{"id":"user_1"}}',
		signatureHeader: 'svix-signature',
		timestamp: { header: 'svix-timestamp' },
		expect: { eventType: 'user.created' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'twilio (form)',
		provider: 'twilio',
		secret: '12345',
		body: 'CallSid=CA1234567890ABCDE&Caller=14158675309&Digits=1234&From=14158675309&To=18005551212',
		url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
		signatureHeader: 'X-Twilio-Signature',
		// Twilio signs the decoded parameters, not the raw bytes (`+` and `%20` are the same parameter).
		authenticates: ['signature'],
	},
	{
		// A Webhook Setting's SharedKey with X-Twilio-Webhooks-Signature-Settings: algorithm=HMAC_SHA256 (issue 10, kind 6).
		name: 'twilio (form, HMAC-SHA256)',
		provider: 'twilio',
		secret: 'webhooks-shared-key-secret',
		body: 'CallSid=CA1234567890ABCDE&Caller=14158675309&Digits=1234&From=14158675309&To=18005551212',
		url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
		options: { algorithm: 'sha256', keyId: 'webhooks_sharedkey_01' },
		signatureHeader: 'X-Twilio-Signature',
		authenticates: ['signature'],
	},
	{
		name: 'twilio (JSON, bodySHA256)',
		provider: 'twilio',
		secret: '12345',
		body: '{"event":"status","sid":"SM1"}',
		url: jsonUrl('{"event":"status","sid":"SM1"}'),
		signatureHeader: 'X-Twilio-Signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'linear',
		provider: 'linear',
		secret: 'lin_wh_secret',
		body: `{"action":"create","type":"Issue","webhookTimestamp":${NOW}}`,
		signatureHeader: 'Linear-Signature',
		extraHeaders: { 'Linear-Delivery': 'f6d1a7b2', 'Linear-Event': 'Issue' },
		expect: { deliveryId: 'f6d1a7b2', eventType: 'Issue' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'paddle',
		provider: 'paddle',
		secret: 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI',
		body: '{"event_id":"evt_01","event_type":"transaction.paid","notification_id":"ntf_01"}',
		signatureHeader: 'Paddle-Signature',
		timestamp: { header: 'Paddle-Signature', pattern: /ts=(\d+)/ },
		// event_id: Paddle's deduplication key; notification_id differs per destination (issue 10, kind 5).
		expect: { deliveryId: 'evt_01', eventType: 'transaction.paid' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'zoom',
		provider: 'zoom',
		secret: 'zoom_secret_token',
		body: '{"event":"meeting.started","payload":{}}',
		signatureHeader: 'x-zm-signature',
		timestamp: { header: 'x-zm-request-timestamp' },
		expect: { eventType: 'meeting.started' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'twitch',
		provider: 'twitch',
		secret: 'twitch-secret-0123456789',
		body: '{"subscription":{"type":"channel.follow"},"event":{}}',
		signatureHeader: 'Twitch-Eventsub-Message-Signature',
		timestamp: { header: 'Twitch-Eventsub-Message-Timestamp' },
		extraHeaders: { 'Twitch-Eventsub-Subscription-Type': 'channel.follow' },
		expect: { eventType: 'channel.follow' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'discord',
		provider: 'discord',
		secret: discordKeys.seed.toString('hex'),
		verifySecret: discordKeys.pub.toString('hex'),
		body: '{"type":2,"id":"int_1","data":{"name":"ping"}}',
		signatureHeader: 'X-Signature-Ed25519',
		timestamp: { header: 'X-Signature-Timestamp' },
		expect: { deliveryId: 'int_1', eventType: '2' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'bitbucket',
		provider: 'bitbucket',
		secret: 'bb-secret',
		body: '{"push":{}}',
		signatureHeader: 'X-Hub-Signature',
		extraHeaders: { 'X-Request-UUID': 'req-1', 'X-Event-Key': 'repo:push' },
		expect: { deliveryId: 'req-1', eventType: 'repo:push' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'jira',
		provider: 'jira',
		secret: 'jira-secret',
		body: '{"webhookEvent":"jira:issue_created"}',
		signatureHeader: 'X-Hub-Signature',
		extraHeaders: { 'X-Atlassian-Webhook-Identifier': '1234' },
		expect: { deliveryId: '1234', eventType: 'jira:issue_created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'meta',
		provider: 'meta',
		secret: 'app-secret',
		body: '{"object":"whatsapp_business_account","entry":[]}',
		signatureHeader: 'X-Hub-Signature-256',
		expect: { eventType: 'whatsapp_business_account' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'intercom',
		provider: 'intercom',
		secret: 'intercom-client-secret',
		body: '{"type":"notification_event","id":"notif_1","topic":"conversation.user.created"}',
		signatureHeader: 'X-Hub-Signature',
		expect: { deliveryId: 'notif_1', eventType: 'conversation.user.created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'typeform',
		provider: 'typeform',
		secret: 'typeform-secret',
		body: '{"event_id":"01H","event_type":"form_response"}',
		signatureHeader: 'Typeform-Signature',
		expect: { deliveryId: '01H', eventType: 'form_response' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'calendly',
		provider: 'calendly',
		secret: 'calendly-signing-key',
		body: '{"event":"invitee.created","payload":{}}',
		signatureHeader: 'Calendly-Webhook-Signature',
		timestamp: { header: 'Calendly-Webhook-Signature', pattern: /t=(\d+)/ },
		expect: { eventType: 'invitee.created' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'hubspot',
		provider: 'hubspot',
		secret: 'hubspot-client-secret',
		body: '[{"eventId":100,"subscriptionType":"contact.creation"}]',
		method: 'POST',
		url: 'https://hooks.example.com/hubspot?x=%3A',
		signatureHeader: 'X-HubSpot-Signature-v3',
		timestamp: { header: 'X-HubSpot-Request-Timestamp' },
		expect: { deliveryId: '100', eventType: 'contact.creation' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'square',
		provider: 'square',
		secret: 'square-signature-key',
		body: '{"event_id":"evt-sq","type":"payment.updated"}',
		url: 'https://example.com/webhooks/square',
		signatureHeader: 'x-square-hmacsha256-signature',
		expect: { deliveryId: 'evt-sq', eventType: 'payment.updated' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'zendesk',
		provider: 'zendesk',
		secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
		body: '{"type":"zen:event-type:ticket.created"}',
		signatureHeader: 'X-Zendesk-Webhook-Signature',
		timestamp: { header: 'X-Zendesk-Webhook-Signature-Timestamp' },
		extraHeaders: { 'X-Zendesk-Webhook-Invocation-Id': 'inv-1' },
		expect: { deliveryId: 'inv-1', eventType: 'zen:event-type:ticket.created' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'mailgun',
		provider: 'mailgun',
		secret: 'key-mailgun-signing',
		body: '',
		signatureHeader: 'body',
		// Mailgun signs timestamp + token only; the event data is not covered by its scheme.
		authenticates: ['signature'],
		expect: { deliveryId: 'ev-1', eventType: 'delivered' },
		build: (row, nowMs) => {
			const signature = sign({ provider: 'mailgun', secret: row.secret, body: '', timestamp: nowMs });
			return { headers: {}, body: JSON.stringify({ signature, 'event-data': { id: 'ev-1', event: 'delivered' } }) };
		},
	},
	{
		// Legacy webhooks and inbound Routes: the same three values as form fields (issue 10, kind 6).
		name: 'mailgun (form)',
		provider: 'mailgun',
		secret: 'key-mailgun-signing',
		body: '',
		signatureHeader: 'body',
		authenticates: ['signature'],
		expect: { eventType: 'opened' },
		build: (row, nowMs) => {
			const signature = sign({ provider: 'mailgun', secret: row.secret, body: '', timestamp: nowMs });
			const body = new URLSearchParams({ event: 'opened', recipient: 'a@example.com', ...signature }).toString();
			return { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body };
		},
	},
	{
		name: 'sendgrid',
		provider: 'sendgrid',
		secret: 'unused (ECDSA is verify-only)',
		verifySecret: sendgridPublicKey,
		body: '[{"email":"a@example.com","event":"processed","sg_event_id":"sg-1"}]\r\n',
		signatureHeader: 'X-Twilio-Email-Event-Webhook-Signature',
		timestamp: { header: 'X-Twilio-Email-Event-Webhook-Timestamp' },
		expect: { deliveryId: 'sg-1', eventType: 'processed' },
		authenticates: ['body', 'signature', 'timestamp'],
		build: (row, nowMs) => {
			const timestamp = String(Math.floor(nowMs / 1000));
			const content = Buffer.concat([Buffer.from(timestamp), Buffer.from(row.body)]);
			const signature = cryptoSign('sha256', content, sendgridKeys.privateKey).toString('base64');
			return {
				headers: { 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp },
				body: row.body,
			};
		},
	},
	{
		name: 'convoy (simple)',
		provider: 'convoy',
		secret: 'convoy-secret',
		body: '{"event":"x"}',
		signatureHeader: 'X-Convoy-Signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'convoy (advanced, sha512 base64)',
		provider: 'convoy',
		secret: 'convoy-secret',
		body: '{"event":"x"}',
		options: { mode: 'advanced', algorithm: 'sha512', encoding: 'base64' },
		signatureHeader: 'X-Convoy-Signature',
		signaturePattern: /v1=(.+)$/,
		timestamp: { header: 'X-Convoy-Signature', pattern: /t=(\d+)/ },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	// Issue 12: senders on Standard Webhooks / Svix under their own names, then plain HMAC and token senders.
	{
		name: 'openai',
		provider: 'openai',
		secret: WHSEC,
		body: '{"id":"evt_1","object":"event","type":"response.completed","data":{"id":"resp_123"}}',
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		expect: { eventType: 'response.completed' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'resend',
		provider: 'resend',
		secret: WHSEC,
		body: '{"type":"email.delivered","data":{"email_id":"e1"}}',
		signatureHeader: 'svix-signature',
		timestamp: { header: 'svix-timestamp' },
		expect: { eventType: 'email.delivered' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'clerk',
		provider: 'clerk',
		secret: WHSEC,
		body: '{"type":"user.created","object":"event","data":{"id":"user_1"}}',
		signatureHeader: 'svix-signature',
		timestamp: { header: 'svix-timestamp' },
		expect: { eventType: 'user.created' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'replicate',
		provider: 'replicate',
		secret: WHSEC,
		body: '{"id":"ufawqhfynnddngldkgtslldrkq","status":"succeeded","output":null}',
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		// Polar's key is the secret's UTF-8 bytes, so a secret that is not base64 at all must work.
		name: 'polar',
		provider: 'polar',
		secret: 'polar_whs_Test-Secret.not/base64!',
		body: '{"type":"order.paid","data":{"id":"order_1"}}',
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		expect: { eventType: 'order.paid' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'liveblocks',
		provider: 'liveblocks',
		secret: WHSEC,
		body: '{"data":{"roomId":"room-1"},"type":"storageUpdated"}',
		signatureHeader: 'webhook-signature',
		timestamp: { header: 'webhook-timestamp' },
		expect: { eventType: 'storageUpdated' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'mux',
		provider: 'mux',
		secret: 'SuperSecret123',
		body: '{"type":"video.asset.ready","id":"3a56ac3d-33da-4366-855b-f592d898409d","data":{}}',
		signatureHeader: 'Mux-Signature',
		timestamp: { header: 'Mux-Signature', pattern: /t=(\d+)/ },
		expect: { deliveryId: '3a56ac3d-33da-4366-855b-f592d898409d', eventType: 'video.asset.ready' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'paystack',
		provider: 'paystack',
		secret: 'sk_test_paystack_secret_key',
		body: '{"event":"charge.success","data":{"id":302961,"reference":"qTPrJoy9Bx"}}',
		signatureHeader: 'x-paystack-signature',
		expect: { eventType: 'charge.success' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'lemon-squeezy',
		provider: 'lemon-squeezy',
		secret: 'lemon-signing-secret',
		body: '{"meta":{"event_name":"order_created"},"data":{"id":"1"}}',
		signatureHeader: 'X-Signature',
		extraHeaders: { 'X-Event-Name': 'order_created' },
		expect: { eventType: 'order_created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'woocommerce',
		provider: 'woocommerce',
		secret: 'wc-webhook-secret',
		body: '{"id":727,"status":"processing"}',
		signatureHeader: 'X-WC-Webhook-Signature',
		extraHeaders: { 'X-WC-Webhook-Delivery-ID': '42', 'X-WC-Webhook-Topic': 'order.created' },
		expect: { deliveryId: '42', eventType: 'order.created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'vercel',
		provider: 'vercel',
		secret: 'vercel-webhook-secret',
		body: '{"id":"evt_v1","type":"deployment.succeeded","payload":{}}',
		signatureHeader: 'x-vercel-signature',
		expect: { deliveryId: 'evt_v1', eventType: 'deployment.succeeded' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'cal-com',
		provider: 'cal-com',
		secret: 'cal-webhook-secret',
		body: '{"triggerEvent":"BOOKING_CREATED","createdAt":"2025-01-15T12:00:00.000Z","payload":{}}',
		signatureHeader: 'X-Cal-Signature-256',
		expect: { eventType: 'BOOKING_CREATED' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'telegram',
		provider: 'telegram',
		secret: 'tg_secret-Token_0123456789',
		body: '{"update_id":10000,"message":{"text":"hi"}}',
		signatureHeader: 'X-Telegram-Bot-Api-Secret-Token',
		expect: { deliveryId: '10000' },
		authenticates: ['signature'],
	},
	{
		name: 'razorpay',
		provider: 'razorpay',
		secret: 'rzp-webhook-secret',
		body: '{"entity":"event","event":"payment.captured","payload":{}}',
		signatureHeader: 'X-Razorpay-Signature',
		extraHeaders: { 'x-razorpay-event-id': 'LrbC8B8bqkFjGC' },
		expect: { deliveryId: 'LrbC8B8bqkFjGC', eventType: 'payment.captured' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'coinbase-commerce',
		provider: 'coinbase-commerce',
		secret: '30291a20-0bd1-4267-9b0f-e6e7b123c0bf',
		body: '{"id":1,"attempt_number":1,"event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","type":"charge:created","data":{}}}',
		signatureHeader: 'X-CC-Webhook-Signature',
		expect: { deliveryId: '24934862-d980-46cb-9402-43c81b0cdba6', eventType: 'charge:created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'gocardless',
		provider: 'gocardless',
		secret: 'ED7D658C-D8EB-4941-948B-3973214F2D49',
		body: '{"events":[{"id":"EV00BD05S5VM2T","resource_type":"subscriptions","action":"created"}]}',
		signatureHeader: 'Webhook-Signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'sentry',
		provider: 'sentry',
		secret: 'sentry-client-secret',
		body: '{"action":"created","data":{"issue":{"id":"1"}},"installation":{"uuid":"u1"}}',
		signatureHeader: 'Sentry-Hook-Signature',
		extraHeaders: { 'Sentry-Hook-Resource': 'issue', 'Request-ID': 'req-sentry-1' },
		expect: { deliveryId: 'req-sentry-1', eventType: 'issue' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'help-scout',
		provider: 'help-scout',
		secret: 'helpscout-secret-key',
		body: '{"id":123,"number":42,"subject":"Hello"}',
		signatureHeader: 'X-HelpScout-Signature',
		extraHeaders: { 'X-HelpScout-Event': 'convo.created' },
		expect: { eventType: 'convo.created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'clickup',
		provider: 'clickup',
		secret: 'CLICKUP-WEBHOOK-SECRET',
		body: '{"event":"taskCreated","task_id":"1vj37mc","webhook_id":"7fa3ec74"}',
		signatureHeader: 'X-Signature',
		expect: { eventType: 'taskCreated' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'checkout-com',
		provider: 'checkout-com',
		secret: 'cko-webhook-secret-key',
		body: '{"id":"evt_az5sblvku4ge3dwpztvyizgcau","type":"payment_approved","data":{}}',
		signatureHeader: 'Cko-Signature',
		expect: { deliveryId: 'evt_az5sblvku4ge3dwpztvyizgcau', eventType: 'payment_approved' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'webflow',
		provider: 'webflow',
		secret: 'webflow-client-secret',
		body: '{"triggerType":"form_submission","payload":{"name":"Contact"}}',
		signatureHeader: 'x-webflow-signature',
		timestamp: { header: 'x-webflow-timestamp' },
		expect: { eventType: 'form_submission' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'workos',
		provider: 'workos',
		secret: 'workos-webhook-secret',
		body: '{"id":"wh_123","event":"dsync.user.created","data":{}}',
		signatureHeader: 'WorkOS-Signature',
		timestamp: { header: 'WorkOS-Signature', pattern: /t=(\d+)/ },
		expect: { deliveryId: 'wh_123', eventType: 'dsync.user.created' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'elevenlabs',
		provider: 'elevenlabs',
		secret: 'wsec_0123456789abcdef0123456789abcdef',
		body: '{"type":"post_call_transcription","event_timestamp":1736942400,"data":{}}',
		signatureHeader: 'ElevenLabs-Signature',
		timestamp: { header: 'ElevenLabs-Signature', pattern: /t=(\d+)/ },
		expect: { eventType: 'post_call_transcription' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'pagerduty',
		provider: 'pagerduty',
		secret: 'pd-webhook-signing-secret',
		body: '{"event":{"id":"01BZ3Z","event_type":"incident.triggered","data":{}}}',
		signatureHeader: 'X-PagerDuty-Signature',
		expect: { deliveryId: '01BZ3Z', eventType: 'incident.triggered' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'authorize-net',
		provider: 'authorize-net',
		secret: '0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9',
		body: '{"notificationId":"d0e8e7fe-c3e7-4add-a480-27bc5ce28934","eventType":"net.authorize.payment.authcapture.created"}',
		signatureHeader: 'X-ANET-Signature',
		expect: { deliveryId: 'd0e8e7fe-c3e7-4add-a480-27bc5ce28934', eventType: 'net.authorize.payment.authcapture.created' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'tally',
		provider: 'tally',
		secret: 'tally-signing-secret',
		body: '{"eventId":"a4cb511e-d513-4fa5-baee-b815d718dfd1","eventType":"FORM_RESPONSE","data":{}}',
		signatureHeader: 'Tally-Signature',
		expect: { deliveryId: 'a4cb511e-d513-4fa5-baee-b815d718dfd1', eventType: 'FORM_RESPONSE' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'xero',
		provider: 'xero',
		secret: 'xero-webhooks-key',
		body: '{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}',
		signatureHeader: 'x-xero-signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'intuit-quickbooks',
		provider: 'intuit-quickbooks',
		secret: 'intuit-verifier-token',
		body: '{"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[]}}]}',
		signatureHeader: 'intuit-signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'segment',
		provider: 'segment',
		secret: 'segment-shared-secret',
		body: '{"messageId":"ajs-1","type":"track","event":"Signed Up"}',
		signatureHeader: 'X-Signature',
		expect: { deliveryId: 'ajs-1', eventType: 'track' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'customer-io',
		provider: 'customer-io',
		secret: 'cio-webhook-signing-key',
		body: '{"event_id":"01E4C4C6P79C12J5A6KPE6XNFD","metric":"sent","data":{}}',
		signatureHeader: 'X-CIO-Signature',
		timestamp: { header: 'X-CIO-Timestamp' },
		expect: { deliveryId: '01E4C4C6P79C12J5A6KPE6XNFD', eventType: 'sent' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'airtable',
		provider: 'airtable',
		secret: 'LzI3K0ZkNHRQZmJjNHpQZmJjNHpQZmJjNHpQZmI=',
		body: '{"base":{"id":"appA"},"webhook":{"id":"achW"},"timestamp":"2025-01-15T12:00:00.000Z"}',
		signatureHeader: 'X-Airtable-Content-MAC',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'sanity',
		provider: 'sanity',
		secret: 'sanity-webhook-secret',
		body: '{"_id":"resume","_type":"post"}',
		signatureHeader: 'sanity-webhook-signature',
		// The value is base64url; only its characters after v1= are the signature (t= is the timestamp part).
		signaturePattern: /v1=(.+)$/,
		timestamp: { header: 'sanity-webhook-signature', pattern: /t=(\d+)/ },
		extraHeaders: { 'idempotency-key': 'idem-sanity-1', 'sanity-operation': 'update' },
		expect: { deliveryId: 'idem-sanity-1', eventType: 'update' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		// Brex hands out the base64 secret without a whsec_ prefix.
		name: 'brex',
		provider: 'brex',
		secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
		body: '{"event_type":"REFERRAL_CREATED","referral_id":"ref_1"}',
		signatureHeader: 'Webhook-Signature',
		timestamp: { header: 'Webhook-Timestamp' },
		expect: { eventType: 'REFERRAL_CREATED' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'generic-hmac (defaults)',
		provider: 'generic-hmac',
		secret: 'generic-secret',
		body: '{"a":1}',
		signatureHeader: 'X-Signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'generic-hmac (template, ms timestamp, sha512 base64, prefix)',
		provider: 'generic-hmac',
		secret: 'generic-secret',
		body: '{"a":1}',
		method: 'PUT',
		url: 'https://example.com/in',
		options: {
			header: 'X-Sig',
			algorithm: 'sha512',
			encoding: 'base64',
			prefix: 'v1=',
			template: '{timestamp}.{id}.{method}.{url}.{body}',
			timestampHeader: 'X-Ts',
			timestampUnit: 'ms',
			idHeader: 'X-Id',
		},
		signatureHeader: 'X-Sig',
		timestamp: { header: 'X-Ts' },
		authenticates: ['body', 'signature', 'timestamp'],
	},
	{
		name: 'dropbox',
		provider: 'dropbox',
		secret: 'dropbox-app-secret',
		body: '{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},"delta":{"users":[12345678]}}',
		signatureHeader: 'X-Dropbox-Signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'trello',
		provider: 'trello',
		secret: 'trello-oauth-secret',
		body: '{"action":{"id":"51f9424bcd6e040f3c002412","type":"updateCard"},"model":{"id":"4d5ea62fd76aa1136000000c"}}',
		url: 'https://hooks.example.com/trello?board=1',
		signatureHeader: 'X-Trello-Webhook',
		expect: { deliveryId: '51f9424bcd6e040f3c002412', eventType: 'updateCard' },
		authenticates: ['body', 'signature'],
	},
	{
		name: 'x',
		provider: 'x',
		secret: 'x-consumer-secret-0123456789',
		body: '{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1"}]}',
		signatureHeader: 'x-twitter-webhooks-signature',
		signaturePattern: /^sha256=(.+)$/,
		authenticates: ['body', 'signature'],
	},
	{
		name: 'okta',
		provider: 'okta',
		secret: 'okta-shared-header-value',
		body: '{"eventType":"com.okta.event_hook","eventId":"b5a188b9-5ece-4636-b041-482ffda96311","data":{"events":[{"eventType":"user.session.start"}]}}',
		signatureHeader: 'Authorization',
		expect: { deliveryId: 'b5a188b9-5ece-4636-b041-482ffda96311', eventType: 'user.session.start' },
		authenticates: ['signature'],
	},
	{
		name: 'asana',
		provider: 'asana',
		secret: 'b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81',
		body: '{"events":[{"action":"changed","resource":{"gid":"1","resource_type":"task"}}]}',
		signatureHeader: 'X-Hook-Signature',
		authenticates: ['body', 'signature'],
	},
	{
		name: 'microsoft-graph',
		provider: 'microsoft-graph',
		secret: 'graph-client-state-0123456789',
		// The token travels in the body (sign() adds no header and checks that every clientState is the secret).
		body: JSON.stringify({
			value: [
				{ subscriptionId: 's1', clientState: 'graph-client-state-0123456789', changeType: 'created', resource: 'Users/1/Messages/2' },
				{ subscriptionId: 's1', clientState: 'graph-client-state-0123456789', changeType: 'updated', resource: 'Users/1/Messages/3' },
			],
		}),
		signatureHeader: 'body',
		signaturePattern: /"clientState":"([^"]+)"/,
		// A token in the body: the rest of the body is not authenticated.
		authenticates: ['signature'],
		expect: { eventType: 'created' },
	},
	{
		name: 'websub (sha256)',
		provider: 'websub',
		secret: 'hub-secret-chosen-by-subscriber',
		body: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
		signatureHeader: 'X-Hub-Signature',
		signaturePattern: /^sha256=(.+)$/,
		authenticates: ['body', 'signature'],
	},
	{
		name: 'websub (sha384)',
		provider: 'websub',
		secret: 'hub-secret-chosen-by-subscriber',
		body: '{"items":[1]}',
		signatureHeader: 'X-Hub-Signature',
		signaturePattern: /^sha384=(.+)$/,
		authenticates: ['body', 'signature'],
		build: (row) => ({
			headers: { 'X-Hub-Signature': `sha384=${createHmac('sha384', row.secret).update(String(row.body)).digest('hex')}` },
			body: row.body,
		}),
	},
	{
		name: 'generic-token (Bearer)',
		provider: 'generic-token',
		secret: 'tok_0123456789',
		body: '{}',
		signatureHeader: 'Authorization',
		signaturePattern: /^Bearer (.+)$/, // the scheme word is case-insensitive (RFC 6750), the token is what counts
		authenticates: ['signature'],
	},
	{
		name: 'generic-token (own header)',
		provider: 'generic-token',
		secret: 'tok_0123456789',
		body: '{}',
		options: { header: 'X-Api-Key' },
		signatureHeader: 'X-Api-Key',
		authenticates: ['signature'],
	},
];

/** A valid request for the row, signed at `nowMs`, verified with `secrets` (default: the row's own). */
export function signedRequest(row: ProviderRow, nowMs = NOW, secrets?: string[]): SignedRequest {
	const built = row.build
		? row.build(row, nowMs)
		: {
				headers: sign({
					provider: row.provider,
					secret: row.secret,
					body: row.body,
					timestamp: nowMs,
					method: row.method,
					url: row.url,
					options: row.options,
				}),
				body: row.body,
			};
	return {
		provider: row.provider,
		secrets: secrets ?? [row.verifySecret ?? row.secret],
		headers: { ...row.extraHeaders, ...built.headers },
		body: built.body,
		method: row.method,
		url: row.url,
		options: row.options,
		now: nowMs,
	};
}

export const rowNamed = (name: string) => {
	const row = PROVIDER_ROWS.find((candidate) => candidate.name === name);
	if (!row) throw new Error(`no row ${name}`);
	return row;
};

