/**
 * What went wrong when no response came back: a timeout, a network failure (both worth retrying), or a setup
 * problem that retrying cannot fix. Transports report the same failure in different shapes, so errors are
 * recognised by code, by class name and by the Fetch standard's network-error form, anywhere in the `cause` chain.
 */
import type { SendErrorKind } from './policy';

export interface SendErrorInfo {
	kind: SendErrorKind | 'setup';
	/** Short, secret-free text for the attempt log: code or name first, then the transport's own words. */
	message: string;
}

/** Codes that mean the attempt ran out of time: Node/axios (`ECONNABORTED` is axios' "timeout of N ms exceeded"), undici. */
const TIMEOUT_CODES = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);
/**
 * Codes of failures on the way to or from the receiver: Node system errors (`ECONNRESET`, `ECONNREFUSED`,
 * `EPIPE`, `ENOTFOUND`...), DNS (`EAI_AGAIN`), Node socket/stream errors, axios' `ERR_NETWORK`, and undici's
 * socket-level errors (not all of `UND_ERR_*`: `UND_ERR_INVALID_ARG` and friends are setup errors).
 */
const NETWORK_CODE =
	/^(E[A-Z]+|EAI_[A-Z]+|ERR_SOCKET_[A-Z_]+|ERR_STREAM_PREMATURE_CLOSE|ERR_NETWORK|UND_ERR_(SOCKET|CLOSED|DESTROYED|ABORTED)|HPE_[A-Z_]+|ERR_HTTP2_(STREAM_ERROR|STREAM_CANCEL|GOAWAY_SESSION|SESSION_ERROR|ERROR))$/;
// HPE_*: Node's HTTP parser could not read the receiver's answer (a broken response, worth another try);
// ERR_HTTP2_*: the HTTP/2 stream or session failed. TLS errors (ERR_SSL_*, certificate codes) stay setup errors:
// a wrong scheme or an expired certificate does not heal by retrying.
/**
 * Class names of timeouts: the DOMExceptions `AbortSignal.timeout()` and an aborted fetch raise (they carry a
 * numeric legacy `code`, not a string), Node's `AbortError`, undici's timeout errors.
 */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'ConnectTimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError']);
/** Class names of network failures: undici's socket errors. */
const NETWORK_NAMES = new Set(['SocketError', 'ClientClosedError', 'ClientDestroyedError']);

type ErrorLike = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function kindOf(entry: ErrorLike): SendErrorKind | undefined {
	// n8n's own request errors carry the transport's code in httpCode when they have no code of their own.
	const code = text(entry.code) ?? text(entry.httpCode);
	if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
	const name = text(entry.name);
	if (name !== undefined && TIMEOUT_NAMES.has(name)) return 'timeout';
	// node-fetch's FetchError says what it is in `type`.
	if (entry.type === 'request-timeout') return 'timeout';
	if (code !== undefined && NETWORK_CODE.test(code)) {
		return /timeout|timed out/i.test(text(entry.message) ?? '') ? 'timeout' : 'network';
	}
	if (name !== undefined && NETWORK_NAMES.has(name)) return 'network';
	if (name === 'FetchError' && entry.type === 'system') return 'network';
	return undefined;
}

/** The Fetch standard rejects with a TypeError on a network error; undici words it "fetch failed". */
const isFetchNetworkError = (entry: ErrorLike): boolean => entry.name === 'TypeError' && entry.message === 'fetch failed';

/**
 * Turns whatever the transport threw into a kind and a short, secret-free text; wrappers (n8n, fetch) may keep the
 * original in `cause`. The most specific recognised error in the chain decides and supplies the words. Errors
 * nothing recognises (a missing credential, a body that cannot be signed, a blocked URL) are 'setup' errors.
 */
export function classifySendError(error: unknown): SendErrorInfo {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		chain.push(current as ErrorLike);
		// An AggregateError (Node's happy-eyeballs connect tries every address) holds the real failures in `errors`.
		const inner = (current as ErrorLike).errors;
		if (Array.isArray(inner)) chain.push(...inner.filter((entry): entry is ErrorLike => entry !== null && typeof entry === 'object').slice(0, 5));
		current = (current as ErrorLike).cause;
	}
	// Deepest first: the transport's own error is more precise than a wrapper's friendlier but vaguer one.
	const recognised = [...chain].reverse().find((entry) => kindOf(entry) !== undefined);
	if (recognised) return { kind: kindOf(recognised)!, message: describeError(recognised) };
	const fetchFailure = chain.find(isFetchNetworkError);
	if (fetchFailure) return { kind: 'network', message: describeError(chain[chain.length - 1] ?? fetchFailure) };
	return { kind: 'setup', message: shorten(chain.map((entry) => text(entry.message)).find(Boolean) ?? 'request failed') };
}

function describeError(entry: ErrorLike): string {
	const words = shorten(text(entry.message) ?? 'request failed');
	const label = text(entry.code) ?? (entry.name !== 'Error' ? text(entry.name) : undefined);
	return label !== undefined && !words.includes(label) ? `${label}: ${words}` : words;
}

function shorten(message: string): string {
	return message.replace(/\s+/g, ' ').slice(0, 160);
}
