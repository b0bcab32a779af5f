/**
 * The URL a sender signed (Twilio, Square, HubSpot v3, Generic HMAC `{url}`), for the request the trigger received.
 *
 * It is never rebuilt from the Host header plus the path n8n saw: behind a reverse proxy under a path
 * (`WEBHOOK_URL=https://host/n8n/`) n8n sees `/webhook/<path>` while the sender called and signed
 * `https://host/n8n/webhook/<path>`. The only URL that holds the prefix is the one n8n itself shows for the node,
 * for the mode the request came in on (production `…/webhook/…` or test `…/webhook-test/…`), so that URL is used
 * exactly, with the query string exactly as received.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

/** What the signed URL is built from; the first that is set wins. */
export interface SignedUrlSources {
	/** The node's Public URL option ('' = unset): the URL exactly as entered at the sender. */
	publicUrl: string;
	/** The webhook URL n8n shows for the node in the request's mode; undefined when n8n could not give one. */
	webhookUrl: string | undefined;
	/** Path and query as n8n received them (Express `req.originalUrl`), e.g. `/webhook/twilio?a=1`. */
	requestTarget: string;
	/** The Host header, for the last resort when n8n gave no URL. */
	host: string | undefined;
}

/** The query string of a request target as received, with its `?`; '' when there is none. */
function receivedQuery(target: string): string {
	const at = target.indexOf('?');
	return at === -1 ? '' : target.slice(at);
}

/**
 * n8n shows a webhook path with dynamic segments as written (`…/webhook/<id>/orders/:orderId`); the sender called
 * the URL with values in their place. Each `:name` segment takes the received segment at the same position counted
 * from the end (the prefix is in n8n's URL only, the values are in the received path only).
 */
function fillDynamicSegments(webhookUrl: string, receivedPath: string): string {
	const url = new URL(webhookUrl);
	const shown = url.pathname.split('/');
	if (!shown.some((segment) => segment.startsWith(':'))) return webhookUrl;
	const received = receivedPath.split('/');
	const filled = shown.map((segment, index) => {
		const fromEnd = shown.length - index;
		const value = received[received.length - fromEnd];
		return segment.startsWith(':') && value !== undefined && fromEnd < received.length ? value : segment;
	});
	return `${url.origin}${filled.join('/')}`;
}

/**
 * The full URL the sender signed.
 *  - Public URL set: that URL, plus the received query string unless it has one of its own.
 *  - Otherwise n8n's webhook URL for the request's mode, exactly as n8n shows it (dynamic `:name` segments filled
 *    from the received path), plus the received query string.
 *  - Otherwise (n8n gave no URL) `http://<Host header><received path and query>`.
 */
export function signedUrl(sources: SignedUrlSources): string {
	const { publicUrl, webhookUrl, requestTarget } = sources;
	const query = receivedQuery(requestTarget);
	if (publicUrl !== '') return publicUrl.includes('?') ? publicUrl : publicUrl + query;
	if (webhookUrl) {
		const receivedPath = query === '' ? requestTarget : requestTarget.slice(0, -query.length);
		return fillDynamicSegments(webhookUrl, receivedPath) + query;
	}
	return `http://${sources.host ?? 'localhost'}${requestTarget}`;
}

/** n8n's base URLs per mode, on the context object (n8n-core's `additionalData`); not part of IWebhookFunctions. */
interface WebhookBaseUrls {
	webhookBaseUrl?: unknown;
	webhookTestBaseUrl?: unknown;
}

/** Whether n8n runs this request as a test webhook (the editor's "Listen for test event": mode 'manual'). */
export function isTestRequest(context: Pick<IWebhookFunctions, 'getMode'>): boolean {
	return context.getMode() === 'manual';
}

/**
 * The webhook URL n8n shows for this node in the request's mode; undefined when n8n cannot build one.
 *
 * Production: `getNodeWebhookUrl('default')`, which n8n builds from its webhook base URL (WEBHOOK_URL, path prefix
 * included) in both pinned versions (1.123.81 and 2.41.1). Test: `getNodeWebhookUrl` builds the production URL in
 * every mode, so the test URL is `getWebhookResourceUrl('default')` where n8n has it and marks the request as a
 * test (2.x), else the production URL with n8n's production webhook base replaced by its test base — the same two
 * bases n8n's own `getNodeWebhookUrl` chooses between.
 */
export function webhookUrlForMode(context: IWebhookFunctions, test: boolean): string | undefined {
	const production = context.getNodeWebhookUrl('default');
	if (!test || production === undefined) return production;
	const withResource = context as Partial<Pick<IWebhookFunctions, 'getWebhookResourceUrl'>>;
	if (typeof withResource.getWebhookResourceUrl === 'function') {
		const resourceUrl = withResource.getWebhookResourceUrl('default');
		if (resourceUrl && resourceUrl !== production) return resourceUrl;
	}
	const bases = (context as unknown as { additionalData?: WebhookBaseUrls }).additionalData;
	const base = bases?.webhookBaseUrl;
	const testBase = bases?.webhookTestBaseUrl;
	if (typeof base === 'string' && typeof testBase === 'string' && production.startsWith(base)) {
		return testBase + production.slice(base.length);
	}
	return undefined;
}
