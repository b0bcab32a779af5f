import { graphValidation } from '../handshakes';
import { prefixed } from '../formats';
import { fromBody } from '../request';
import { defineScheme, signed, tokenKeys } from '../scheme';
import type { Located, Scheme } from '../scheme';
import type { RequestView } from '../types';

const FIELD = 'value[].clientState';
/** Graph caps clientState at 255 characters (changeNotification resource). */
const MAX_CLIENT_STATE = 255;

/**
 * Every notification in `value` must carry the same clientState (one subscription's secret); that one value is the
 * token checked. Missing anywhere → missing_signature; differing or not text → malformed_signature.
 */
function locate(request: RequestView): Located {
	const body = request.json() as { value?: unknown } | undefined;
	const items = body !== null && typeof body === 'object' && Array.isArray(body.value) ? body.value : undefined;
	if (!items || items.length === 0) return { reject: 'missing_signature', message: `The ${FIELD} field is missing (no value array).` };
	let token: string | undefined;
	for (const item of items) {
		const state = item !== null && typeof item === 'object' ? (item as { clientState?: unknown }).clientState : undefined;
		if (state === undefined || state === '') return { reject: 'missing_signature', message: `The ${FIELD} field is missing.` };
		if (typeof state !== 'string' || state.length > MAX_CLIENT_STATE) return { reject: 'malformed_signature', message: `The ${FIELD} field is not text of at most ${MAX_CLIENT_STATE} characters.` };
		if (token !== undefined && state !== token) return { reject: 'malformed_signature', message: `The ${FIELD} field differs between notifications.` };
		token = state;
	}
	return { entries: [{ bytes: Buffer.from(token as string, 'utf8') }] };
}

/** The parsed body with every notification's clientState replaced by `[redacted]` (a copy; the input is not changed). */
function redactBody(json: unknown): unknown {
	const body = json as { value?: unknown } | undefined;
	if (body === null || typeof body !== 'object' || !Array.isArray(body.value)) return json;
	const value = body.value.map((item: unknown) =>
		item !== null && typeof item === 'object' && 'clientState' in item ? { ...(item as object), clientState: '[redacted]' } : item,
	);
	return { ...body, value };
}

/**
 * Microsoft Graph change notifications: no signature; each notification in `value` carries the `clientState` given
 * when the subscription was created (compared in constant time, like a token). The subscription validation POST
 * (`?validationToken=`) is echoed as text/plain. The body holds that secret, so `redactBody` blanks it for output.
 * Rich notifications' validationTokens (JWTs) are not checked. Sources:
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks,
 * https://learn.microsoft.com/en-us/graph/api/resources/changenotification (clientState, max 255 characters).
 * Published example: the docs' "Change notification example" (microsoft-graph-docs-contrib; test/vectors/microsoft-graph.json).
 */
const scheme = defineScheme({
	id: 'microsoft-graph',
	displayName: 'Microsoft Graph',
	kind: 'token',
	secretLabel: 'clientState',
	signature: { header: FIELD, format: prefixed(''), encoding: 'text' },
	locate,
	content: signed(),
	keys: tokenKeys(),
	eventType: fromBody('value.0.changeType', 'value.0.lifecycleEvent'),
	handshake: graphValidation,
	redactBody,
	docs: { signature: '`clientState` in each notification of the body (token)', signed: '— (token only)', handshake: 'POST validationToken' },
});

/**
 * sign(): Graph sends no header; the clientState travels in the body the sender writes. So signing adds no header and
 * only checks that every notification's clientState is the secret (a TypeError naming the field otherwise).
 */
const microsoftGraph: Scheme = {
	...scheme,
	signHeaders(secret, parts) {
		const located = locate(parts.request);
		if ('reject' in located || !located.entries[0].bytes.equals(Buffer.from(secret, 'utf8'))) {
			throw new TypeError(`sign(): every notification's clientState in the body must be the secret (${scheme.secretLabel}); Graph sends no signature header.`);
		}
		return {};
	},
};
export default microsoftGraph;
