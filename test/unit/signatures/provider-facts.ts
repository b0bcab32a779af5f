/**
 * Issue 10, kind 5: each provider's delivery id (the value to deduplicate on: the same for every delivery of one
 * event), event type, signed timestamp (source and unit) and default window, as the provider's current documentation
 * or official SDK states them, with the source of each. provider-facts.test.ts compares them with what every scheme
 * declares (`providers` in nodes/core/signatures). `null` = the provider documents none.
 * A window marked "no published window" is the package's 300 s default (DEFAULT_TOLERANCE_WITHOUT_PUBLISHED_WINDOW).
 */
export interface ProviderFacts {
	deliveryId: string | null;
	eventType: string | null;
	timestamp: { source: string; unit: 's' | 'ms' | 'rfc3339'; toleranceSeconds: number; direction: 'past-only' | 'both' } | null;
	sources: string[];
	note?: string;
}

export const PROVIDER_FACTS: Record<string, ProviderFacts> = {
	github: {
		deliveryId: 'header X-GitHub-Delivery',
		eventType: 'header X-GitHub-Event',
		timestamp: null,
		sources: ['https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers'],
	},
	gitlab: {
		deliveryId: 'header Idempotency-Key, then header X-Gitlab-Event-UUID',
		eventType: 'header X-Gitlab-Event',
		timestamp: null,
		sources: ['https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers'],
		note: 'Idempotency-Key stays the same across retries; the signing-token mode adds webhook-timestamp (seconds, 300 s), see standard-webhooks.',
	},
	stripe: {
		deliveryId: 'body id',
		eventType: 'body type',
		timestamp: { source: 'signature header t=', unit: 's', toleranceSeconds: 300, direction: 'past-only' },
		sources: ['https://docs.stripe.com/webhooks#verify-manually', 'https://github.com/stripe/stripe-node/blob/master/src/Webhooks.ts (DEFAULT_TOLERANCE = 300, past only)'],
	},
	slack: {
		deliveryId: 'body event_id',
		eventType: 'body event.type | type',
		timestamp: { source: 'header X-Slack-Request-Timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://api.slack.com/authentication/verifying-requests-from-slack', 'https://api.slack.com/apis/events-api#callback-field'],
	},
	shopify: {
		deliveryId: 'header X-Shopify-Event-Id, then header Shopify-Event-Id, then header X-Shopify-Webhook-Id, then header Shopify-Webhook-Id',
		eventType: 'header X-Shopify-Topic, then header Shopify-Topic',
		timestamp: null,
		sources: ['https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates', 'https://shopify.dev/docs/apps/build/events/verify-deliveries'],
		note: 'X-Shopify-Triggered-At is not signed. The webhook id differs per subscription, so it is only a fallback.',
	},
	'standard-webhooks': {
		deliveryId: 'header webhook-id',
		eventType: 'body type',
		timestamp: { source: 'header webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md'],
	},
	svix: {
		deliveryId: 'header svix-id',
		eventType: 'body type',
		timestamp: { source: 'header svix-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://docs.svix.com/receiving/verifying-payloads/how-manual'],
	},
	twilio: {
		deliveryId: 'header I-Twilio-Idempotency-Token',
		eventType: null,
		timestamp: null,
		sources: ['https://www.twilio.com/docs/usage/webhooks/webhooks-faq', 'https://www.twilio.com/docs/usage/webhooks/webhooks-security'],
	},
	linear: {
		deliveryId: 'header Linear-Delivery',
		eventType: 'header Linear-Event',
		timestamp: { source: 'body webhookTimestamp', unit: 'ms', toleranceSeconds: 60, direction: 'both' },
		sources: ['https://linear.app/developers/webhooks#securing-webhooks'],
	},
	paddle: {
		deliveryId: 'body event_id | notification_id',
		eventType: 'body event_type',
		timestamp: { source: 'signature header ts=', unit: 's', toleranceSeconds: 5, direction: 'past-only' },
		sources: ['https://developer.paddle.com/webhooks/about/how-webhooks-work', 'https://developer.paddle.com/webhooks/signature-verification'],
		note: 'event_id is the deduplication key; each destination gets its own notification_id for the same event.',
	},
	zoom: {
		deliveryId: null,
		eventType: 'body event',
		timestamp: { source: 'header x-zm-request-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://developers.zoom.us/docs/api/webhooks/'],
		note: 'No published window and no delivery id (headers: x-zm-request-timestamp, x-zm-signature, x-zm-trackingid).',
	},
	twitch: {
		deliveryId: 'header Twitch-Eventsub-Message-Id',
		eventType: 'header Twitch-Eventsub-Subscription-Type',
		timestamp: { source: 'header Twitch-Eventsub-Message-Timestamp', unit: 'rfc3339', toleranceSeconds: 600, direction: 'past-only' },
		sources: ['https://dev.twitch.tv/docs/eventsub/handling-webhook-events/'],
	},
	discord: {
		deliveryId: 'body id',
		eventType: 'body event.type | type',
		timestamp: { source: 'header X-Signature-Timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers', 'https://discord.com/developers/docs/events/webhook-events'],
		note: 'No published window.',
	},
	bitbucket: {
		deliveryId: 'header X-Request-UUID',
		eventType: 'header X-Event-Key',
		timestamp: null,
		sources: ['https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/'],
	},
	jira: {
		deliveryId: 'header X-Atlassian-Webhook-Identifier',
		eventType: 'body webhookEvent',
		timestamp: null,
		sources: ['https://developer.atlassian.com/cloud/jira/platform/webhooks/'],
	},
	meta: {
		deliveryId: null,
		eventType: 'body object',
		timestamp: null,
		sources: ['https://developers.facebook.com/docs/graph-api/webhooks/getting-started'],
	},
	intercom: {
		deliveryId: 'body id',
		eventType: 'body topic',
		timestamp: null,
		sources: ['https://developers.intercom.com/docs/webhooks/webhook-models'],
	},
	typeform: {
		deliveryId: 'body event_id',
		eventType: 'body event_type',
		timestamp: null,
		sources: ['https://www.typeform.com/developers/webhooks/example-payload/', 'https://www.typeform.com/developers/webhooks/secure-your-webhooks/'],
	},
	calendly: {
		deliveryId: null,
		eventType: 'body event',
		timestamp: { source: 'signature header t=', unit: 's', toleranceSeconds: 180, direction: 'past-only' },
		sources: ['https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures'],
	},
	hubspot: {
		deliveryId: 'body 0.eventId | eventId',
		eventType: 'body 0.subscriptionType | subscriptionType',
		timestamp: { source: 'header X-HubSpot-Request-Timestamp', unit: 'ms', toleranceSeconds: 300, direction: 'past-only' },
		sources: ['https://developers.hubspot.com/docs/api/webhooks/validating-requests'],
	},
	square: {
		deliveryId: 'body event_id',
		eventType: 'body type',
		timestamp: null,
		sources: ['https://developer.squareup.com/docs/webhooks/step3validate', 'https://developer.squareup.com/docs/webhooks/overview'],
	},
	zendesk: {
		deliveryId: 'header X-Zendesk-Webhook-Invocation-Id',
		eventType: 'body type',
		timestamp: { source: 'header X-Zendesk-Webhook-Signature-Timestamp', unit: 'rfc3339', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/', 'https://developer.zendesk.com/documentation/webhooks/verifying/'],
		note: 'No published window.',
	},
	mailgun: {
		deliveryId: 'body event-data.id, then the signature token (body signature.token or form field token)',
		eventType: 'body event-data.event, then form field event',
		timestamp: { source: 'body signature.timestamp, or form field timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks'],
		note: 'No published window; legacy webhooks and inbound Routes send the three values as form fields.',
	},
	sendgrid: {
		deliveryId: 'body 0.sg_event_id',
		eventType: 'body 0.event',
		timestamp: { source: 'header X-Twilio-Email-Event-Webhook-Timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features', 'https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event'],
		note: 'No published window.',
	},
	convoy: {
		deliveryId: null,
		eventType: null,
		timestamp: null,
		sources: ['https://docs.getconvoy.io/product-manual/signatures'],
		note: 'Simple mode signs no timestamp; advanced mode carries t= (seconds, 300 s) in the signature header.',
	},
	openai: {
		deliveryId: 'header webhook-id',
		eventType: 'body type',
		timestamp: { source: 'header webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://platform.openai.com/docs/guides/webhooks', 'https://github.com/openai/openai-python/blob/main/src/openai/resources/webhooks.py (tolerance: int = 300)'],
		note: 'Standard Webhooks under its own name; secret label from the OpenAI dashboard ("Webhook signing secret").',
	},
	resend: {
		deliveryId: 'header svix-id',
		eventType: 'body type',
		timestamp: { source: 'header svix-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests', 'https://docs.svix.com/receiving/verifying-payloads/how-manual'],
		note: 'Delivered by Svix: svix-* headers, whsec_ signing secret, Svix window of 5 minutes.',
	},
	clerk: {
		deliveryId: 'header svix-id',
		eventType: 'body type',
		timestamp: { source: 'header svix-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://clerk.com/docs/webhooks/sync-data', 'https://docs.svix.com/receiving/verifying-payloads/how-manual'],
		note: 'Delivered by Svix: svix-* headers, whsec_ signing secret, Svix window of 5 minutes.',
	},
	replicate: {
		deliveryId: 'header webhook-id',
		eventType: null,
		timestamp: { source: 'header webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://replicate.com/docs/topics/webhooks/verify-webhook'],
		note: 'webhook-id stays the same when a webhook is resent; the body is the prediction, with no event type field.',
	},
	polar: {
		deliveryId: 'header webhook-id',
		eventType: 'body type',
		timestamp: { source: 'header webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://polar.sh/docs/integrate/webhooks/endpoints', 'https://github.com/polarsource/polar-js/blob/main/src/webhooks/index.ts'],
		note: 'Standard Webhooks headers, but the HMAC key is the secret as UTF-8 text (the SDK base64-encodes it for the standardwebhooks library).',
	},
	liveblocks: {
		deliveryId: 'header webhook-id',
		eventType: 'body type',
		timestamp: { source: 'header webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://liveblocks.io/docs/platform/webhooks#Security-verification', 'https://github.com/liveblocks/liveblocks/blob/main/packages/liveblocks-node/src/webhooks.ts'],
	},
	mux: {
		deliveryId: 'body id',
		eventType: 'body type',
		timestamp: { source: 'signature header t=', unit: 's', toleranceSeconds: 300, direction: 'past-only' },
		sources: ['https://docs.mux.com/guides/listen-for-webhooks#verify-webhook-signatures', 'https://github.com/muxinc/mux-node-sdk/blob/master/tests/api-resources/webhooks.test.ts (6 minutes old is refused)'],
	},
	paystack: {
		deliveryId: null,
		eventType: 'body event',
		timestamp: null,
		sources: ['https://paystack.com/docs/payments/webhooks/#verify-event-origin'],
	},
	'lemon-squeezy': {
		deliveryId: null,
		eventType: 'header X-Event-Name',
		timestamp: null,
		sources: ['https://docs.lemonsqueezy.com/help/webhooks/signing-requests', 'https://docs.lemonsqueezy.com/help/webhooks/webhook-requests'],
	},
	woocommerce: {
		deliveryId: 'header X-WC-Webhook-Delivery-ID',
		eventType: 'header X-WC-Webhook-Topic',
		timestamp: null,
		sources: ['https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks'],
	},
	vercel: {
		deliveryId: 'body id',
		eventType: 'body type',
		timestamp: null,
		sources: ['https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks'],
	},
	'cal-com': {
		deliveryId: null,
		eventType: 'body triggerEvent',
		timestamp: null,
		sources: ['https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload'],
	},
	telegram: {
		deliveryId: 'body update_id',
		eventType: null,
		timestamp: null,
		sources: ['https://core.telegram.org/bots/api#setwebhook', 'https://core.telegram.org/bots/api#update'],
		note: 'A secret token echoed in a header, not a signature: the body is not authenticated.',
	},
	razorpay: {
		deliveryId: 'header x-razorpay-event-id',
		eventType: 'body event',
		timestamp: null,
		sources: ['https://razorpay.com/docs/webhooks/validate-test/', 'https://razorpay.com/docs/webhooks/best-practices/#idempotency'],
		note: 'x-razorpay-event-id is the same for every retry of one event.',
	},
	'coinbase-commerce': {
		deliveryId: 'body event.id',
		eventType: 'body event.type',
		timestamp: null,
		sources: ['https://docs.cdp.coinbase.com/commerce/docs/webhooks-security', 'https://github.com/coinbase/coinbase-commerce-node/blob/master/lib/Webhook.js'],
		note: 'The top-level id and attempt_number describe the delivery attempt; event.id is the event.',
	},
	gocardless: {
		deliveryId: null,
		eventType: null,
		timestamp: null,
		sources: ['https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks'],
		note: 'One delivery carries several events, each with its own id and resource_type/action.',
	},
	sentry: {
		deliveryId: 'header Request-ID',
		eventType: 'header Sentry-Hook-Resource',
		timestamp: null,
		sources: ['https://docs.sentry.io/organization/integrations/integration-platform/webhooks/'],
		note: 'Sentry-Hook-Timestamp is sent but not signed.',
	},
	'help-scout': {
		deliveryId: null,
		eventType: 'header X-HelpScout-Event',
		timestamp: null,
		sources: ['https://developer.helpscout.com/webhooks/'],
	},
	clickup: {
		deliveryId: null,
		eventType: 'body event',
		timestamp: null,
		sources: ['https://developer.clickup.com/docs/webhooksignature', 'https://developer.clickup.com/docs/webhooks'],
	},
	'checkout-com': {
		deliveryId: 'body id',
		eventType: 'body type',
		timestamp: null,
		sources: ['https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks#Verify_webhook_signatures'],
	},
	webflow: {
		deliveryId: null,
		eventType: 'body triggerType',
		timestamp: { source: 'header x-webflow-timestamp', unit: 'ms', toleranceSeconds: 300, direction: 'past-only' },
		sources: ['https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures'],
	},
	workos: {
		deliveryId: 'body id',
		eventType: 'body event',
		timestamp: { source: 'signature header t=', unit: 'ms', toleranceSeconds: 180, direction: 'past-only' },
		sources: ['https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually', 'https://github.com/workos/workos-node/blob/main/src/webhooks/webhooks.ts (tolerance = 180, compared with Date.now())'],
	},
	elevenlabs: {
		deliveryId: null,
		eventType: 'body type',
		timestamp: { source: 'signature header t=', unit: 's', toleranceSeconds: 1800, direction: 'past-only' },
		sources: ['https://elevenlabs.io/docs/product-guides/administration/webhooks'],
		note: 'The docs example refuses timestamps older than 30 minutes.',
	},
	pagerduty: {
		deliveryId: 'body event.id',
		eventType: 'body event.event_type',
		timestamp: null,
		sources: ['https://developer.pagerduty.com/docs/webhooks-v3-overview#verifying-signatures', 'https://developer.pagerduty.com/docs/webhooks-v3-overview#webhook-payload'],
	},
	'authorize-net': {
		deliveryId: 'body notificationId',
		eventType: 'body eventType',
		timestamp: null,
		sources: ['https://developer.authorize.net/api/reference/features/webhooks.html'],
	},
	tally: {
		deliveryId: 'body eventId',
		eventType: 'body eventType',
		timestamp: null,
		sources: ['https://tally.so/help/webhooks'],
	},
	xero: {
		deliveryId: null,
		eventType: null,
		timestamp: null,
		sources: ['https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/'],
		note: 'A delivery carries a batch of events; the intent-to-receive check expects 401 for a bad signature.',
	},
	'intuit-quickbooks': {
		deliveryId: null,
		eventType: null,
		timestamp: null,
		sources: ['https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications'],
		note: 'A delivery carries a batch of eventNotifications.',
	},
	segment: {
		deliveryId: 'body messageId',
		eventType: 'body type',
		timestamp: null,
		sources: ['https://segment.com/docs/connections/destinations/catalog/webhooks/#authentication', 'https://segment.com/docs/connections/spec/common/'],
	},
	'customer-io': {
		deliveryId: 'body event_id',
		eventType: 'body metric',
		timestamp: { source: 'header X-CIO-Timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://docs.customer.io/journeys/webhooks/#securely-verify-requests'],
		note: 'No published window: the package default of 300 s both ways applies.',
	},
	airtable: {
		deliveryId: null,
		eventType: null,
		timestamp: null,
		sources: ['https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery'],
		note: 'The notification is a ping; its timestamp field is not checked by the scheme.',
	},
	sanity: {
		deliveryId: 'header idempotency-key',
		eventType: 'header sanity-operation',
		timestamp: { source: 'signature header t=', unit: 'ms', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://www.sanity.io/docs/webhooks', 'https://github.com/sanity-io/webhook-toolkit/blob/main/src/signature.ts'],
		note: 'No published window (the toolkit checks none): the package default of 300 s both ways applies.',
	},
	brex: {
		deliveryId: 'header webhook-id',
		eventType: 'body event_type',
		timestamp: { source: 'header webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
		sources: ['https://developer.brex.com/docs/webhooks', 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md'],
		note: 'Standard Webhooks scheme with a base64 secret without the whsec_ prefix; window from the specification.',
	},
};

/** Configured by the user, not a provider's published facts. */
export const CONFIGURED_SCHEMES = ['generic-hmac', 'generic-token'];
