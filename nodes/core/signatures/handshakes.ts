/** Handshake building blocks used by the provider entries. */
import { REJECTION_STATUS } from '../http/rejection';
import { equalStrings, hmac } from './crypto';
import type { Handshake, HandshakeDetector, HandshakeResponse, QueryBag } from './handshake-types';

export function json(status: number, value: unknown): HandshakeResponse {
	return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export function text(status: number, value: string): HandshakeResponse {
	return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: value };
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

function first(query: QueryBag, name: string): string | undefined {
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
