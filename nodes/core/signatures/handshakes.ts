/** Handshake building blocks used by the provider entries. */
import { REJECTION_STATUS } from '../http/rejection';
import { equalStrings, hmac } from './crypto';
import type { Handshake, HandshakeDetector, HandshakeResponse, QueryBag } from './handshake-types';

export function json(status: number, value: unknown): HandshakeResponse {
	return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/**
 * Plain text with `X-Content-Type-Options: nosniff`: echoed challenges are caller-chosen text, and a browser must never
 * sniff them into HTML (Dropbox asks for both headers: https://www.dropbox.com/developers/reference/webhooks).
 */
export function text(status: number, value: string): HandshakeResponse {
	return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: value };
}

export function empty(status: number): HandshakeResponse {
	return { status, headers: {}, body: '' };
}

function record(value: unknown): Record<string, unknown> | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Slack Events API: signed `{"type":"url_verification","challenge":...}` → echo the challenge. */
export const slackUrlVerification: HandshakeDetector = ({ request }) => {
	const body = record(request.json());
	if (body?.type !== 'url_verification' || typeof body.challenge !== 'string') return undefined;
	const challenge = body.challenge;
	return { kind: 'slack-url-verification', requiresVerification: true, respond: () => json(200, { challenge }) };
};

/** Zoom: signed `endpoint.url_validation` → `{ plainToken, encryptedToken: hex HMAC-SHA256(secret, plainToken) }`. */
export const zoomUrlValidation: HandshakeDetector = ({ request, secrets }) => {
	const body = record(request.json());
	const plainToken = record(body?.payload)?.plainToken;
	if (body?.event !== 'endpoint.url_validation' || typeof plainToken !== 'string') return undefined;
	return {
		kind: 'zoom-url-validation',
		requiresVerification: true,
		respond(secretIndex = 0) {
			const key = Buffer.from(secrets[secretIndex] ?? '', 'utf8');
			const encryptedToken = hmac('sha256', key, Buffer.from(plainToken, 'utf8')).toString('hex');
			return json(200, { plainToken, encryptedToken });
		},
	};
};

/** Twitch EventSub: signed `webhook_callback_verification` → the raw challenge as text/plain. */
export const twitchCallbackVerification: HandshakeDetector = ({ request }) => {
	if (request.header('twitch-eventsub-message-type') !== 'webhook_callback_verification') return undefined;
	const challenge = record(request.json())?.challenge;
	if (typeof challenge !== 'string') return undefined;
	return { kind: 'twitch-callback-verification', requiresVerification: true, respond: () => text(200, challenge) };
};

/**
 * Discord: interactions PING `{"type":1}` (no `event`) → `{"type":1}`; webhook-events PING `{"type":0}` → 204.
 * Both are signed, and Discord deliberately sends bad signatures that must get 401.
 */
export const discordPing: HandshakeDetector = ({ request }) => {
	const body = record(request.json());
	if (body?.type === 0) return { kind: 'discord-webhook-ping', requiresVerification: true, respond: () => empty(204) };
	if (body?.type === 1 && body.event === undefined) {
		return { kind: 'discord-interaction-ping', requiresVerification: true, respond: () => json(200, { type: 1 }) };
	}
	return undefined;
};

/** The code a wrong Meta verify token is refused with (its status comes from REJECTION_STATUS). */
const VERIFY_TOKEN_REFUSAL = 'invalid_signature';

/** The first string value of a query parameter (repeated names: the first), or undefined. */
export function first(query: QueryBag, name: string): string | undefined {
	const value = Array.isArray(query[name]) ? (query[name] as unknown[])[0] : query[name];
	return typeof value === 'string' ? value : undefined;
}

/**
 * Meta: unsigned GET `hub.mode=subscribe` → the challenge when `hub.verify_token` equals options.verifyToken; else
 * refused as invalid_signature with that code's status from REJECTION_STATUS (401, see there why).
 */
export const metaSubscribe: HandshakeDetector = ({ request, query }) => {
	if (request.method !== 'GET' || first(query, 'hub.mode') !== 'subscribe') return undefined;
	const challenge = first(query, 'hub.challenge') ?? '';
	const presented = first(query, 'hub.verify_token') ?? '';
	const expected = typeof request.options.verifyToken === 'string' ? request.options.verifyToken : '';
	const handshake: Handshake = {
		kind: 'meta-subscribe',
		requiresVerification: false,
		respond() {
			if (expected !== '' && equalStrings(presented, expected)) return text(200, challenge);
			return {
				...json(REJECTION_STATUS[VERIFY_TOKEN_REFUSAL], { error: VERIFY_TOKEN_REFUSAL, message: 'hub.verify_token does not match.' }),
				rejected: VERIFY_TOKEN_REFUSAL,
			};
		},
	};
	return handshake;
};

/** Longest challenge echoed (Graph's validationToken, Dropbox's challenge, WebSub's hub.challenge are short random text). */
const MAX_CHALLENGE = 1024;

/** A challenge we echo: non-empty, at most MAX_CHALLENGE characters, no control characters. undefined otherwise. */
function echoable(value: string | undefined): string | undefined {
	return value !== undefined && value.length > 0 && value.length <= MAX_CHALLENGE && !/[\u0000-\u001f\u007f]/.test(value) ? value : undefined;
}

/**
 * Dropbox: unsigned GET `?challenge=…` → the challenge as text/plain with nosniff, within 10 s.
 * Source: https://www.dropbox.com/developers/reference/webhooks ("The verification request").
 */
export const dropboxChallenge: HandshakeDetector = ({ request, query }) => {
	if (request.method !== 'GET') return undefined;
	const challenge = echoable(first(query, 'challenge'));
	if (challenge === undefined) return undefined;
	return { kind: 'dropbox-challenge', requiresVerification: false, respond: () => text(200, challenge) };
};

/**
 * WebSub (W3C Recommendation, 5.3 "Hub Verifies Intent of the Subscriber"): unsigned GET with `hub.mode=subscribe` or
 * `unsubscribe`, `hub.topic` and `hub.challenge` → 200 with the challenge as the body. Meta's GET (which also carries
 * hub.verify_token) is Meta's own scheme. Source: https://www.w3.org/TR/websub/#hub-verifies-intent.
 */
export const websubIntent: HandshakeDetector = ({ request, query }) => {
	if (request.method !== 'GET') return undefined;
	const mode = first(query, 'hub.mode');
	if (mode !== 'subscribe' && mode !== 'unsubscribe') return undefined;
	const challenge = echoable(first(query, 'hub.challenge'));
	if (challenge === undefined || first(query, 'hub.topic') === undefined) return undefined;
	return { kind: `websub-${mode}`, requiresVerification: false, respond: () => text(200, challenge) };
};

/**
 * Trello: an unsigned HEAD on the callback URL when the webhook is created must get 200 (no body).
 * Source: https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/ ("Creating a Webhook").
 */
export const trelloHead: HandshakeDetector = ({ request }) =>
	request.method === 'HEAD' ? { kind: 'trello-head', requiresVerification: false, respond: () => empty(200) } : undefined;

/**
 * crc_token characters we answer: X sends random URL-safe text. A token that could be an event body (JSON starts with
 * `{`) is refused, because the CRC answer is HMAC-SHA256(consumer secret, crc_token), the very signature X puts on an
 * event body: answering any text would sign any body for whoever asks.
 */
const CRC_TOKEN = /^[A-Za-z0-9_\-+/=.]{1,256}$/;

/**
 * X (Twitter) Account Activity CRC: unsigned GET `?crc_token=…` → `{"response_token":"sha256=<base64 HMAC-SHA256(consumer
 * secret, crc_token)>"}` with the current secret (credential slot 0). Sources:
 * https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks,
 * https://docs.x.com/x-api/webhooks/quickstart ("The CRC check").
 */
export const xCrc: HandshakeDetector = ({ request, query, secrets }) => {
	if (request.method !== 'GET') return undefined;
	const token = first(query, 'crc_token');
	if (token === undefined || !CRC_TOKEN.test(token)) return undefined;
	return {
		kind: 'x-crc',
		requiresVerification: false,
		respond() {
			const secret = secrets[0];
			if (typeof secret !== 'string' || secret === '') return { ...json(401, { error: 'invalid_signature', message: 'No consumer secret is configured.' }), rejected: 'invalid_signature' };
			const digest = hmac('sha256', Buffer.from(secret, 'utf8'), Buffer.from(token, 'utf8')).toString('base64');
			return json(200, { response_token: `sha256=${digest}` });
		},
	};
};

/**
 * Okta event hooks, one-time verification: GET with `X-Okta-Verification-Challenge` → `{"verification": <that value>}`.
 * It carries the hook's Authorization header like every call, so it is answered only after that header verified.
 * Source: https://developer.okta.com/docs/concepts/event-hooks/ ("One-time verification request"),
 * https://support.okta.com/help/s/article/Unable-to-verify-event-hook-Hook-hook-name-execution-failed (the request).
 */
export const oktaVerification: HandshakeDetector = ({ request }) => {
	if (request.method !== 'GET') return undefined;
	const challenge = echoable(request.header('x-okta-verification-challenge') ?? undefined);
	if (challenge === undefined) return undefined;
	return { kind: 'okta-verification', requiresVerification: true, respond: () => json(200, { verification: challenge }) };
};

/**
 * Asana: the handshake POST carries `X-Hook-Secret`; the answer is 200 with the same header. It is unsigned (the
 * secret is being handed over), so it is answered without verification; the handshake names the secret in
 * `issuedSecret` for the caller to keep (later events are signed with it). Source:
 * https://developers.asana.com/reference/createwebhook, https://developers.asana.com/docs/webhooks-guide.
 */
export const asanaHookSecret: HandshakeDetector = ({ request }) => {
	if (request.method !== 'POST') return undefined;
	const secret = request.header('x-hook-secret');
	if (typeof secret !== 'string' || secret === '' || secret.length > MAX_CHALLENGE || /[\u0000-\u001f\u007f]/.test(secret)) return undefined;
	return { kind: 'asana-hook-secret', requiresVerification: false, issuedSecret: secret, respond: () => ({ status: 200, headers: { 'X-Hook-Secret': secret }, body: '' }) };
};

/**
 * Microsoft Graph subscription validation: an unsigned POST to `notificationUrl?validationToken=…` → 200 text/plain with
 * the (URL-decoded) token, within 10 s. Source:
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks ("Notification endpoint validation").
 */
export const graphValidation: HandshakeDetector = ({ request, query }) => {
	if (request.method !== 'POST') return undefined;
	const token = echoable(first(query, 'validationToken'));
	if (token === undefined) return undefined;
	return { kind: 'graph-validation', requiresVerification: false, respond: () => text(200, token) };
};
