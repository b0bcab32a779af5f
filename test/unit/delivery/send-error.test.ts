/**
 * Error shapes each transport really produces (issue 10, kind 8). The same errors from real sockets are checked in
 * test/integration/forward/transport.test.ts; here the shapes, built as the transports build them:
 * - WHATWG DOM: `AbortSignal.timeout()` rejects with a DOMException named TimeoutError (legacy numeric code 23, no string code).
 * - undici (Node's fetch): network errors are `TypeError: fetch failed` with the cause (lib/web/fetch/index.js);
 *   timeouts are ConnectTimeoutError / HeadersTimeoutError / BodyTimeoutError with UND_ERR_* codes (lib/core/errors.js).
 * - axios (n8n's httpRequest): a timeout is code ECONNABORTED "timeout of N ms exceeded"; cancellation is ERR_CANCELED.
 * - Node: http.request aborted by a signal throws AbortError with code ABORT_ERR; DNS failures carry EAI_AGAIN.
 * - node-fetch: FetchError with `type: 'request-timeout'` or `type: 'system'`.
 */
import { classifySendError } from '../../../nodes/core/delivery';

const coded = (message: string, code: string, name = 'Error') => Object.assign(new Error(message), { code, name });
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('classifySendError recognises timeouts by type and name, not only by code', () => {
	it('a fetch timeout (DOMException TimeoutError, no string code) is a timeout, not a setup error', () => {
		const error = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
		expect(typeof error.code).toBe('number');
		expect(classifySendError(error)).toEqual({ kind: 'timeout', message: 'TimeoutError: The operation was aborted due to timeout' });
	});

	it('an aborted fetch (AbortError DOMException, the AbortController + setTimeout pattern) is a timeout', async () => {
		const controller = new AbortController();
		controller.abort();
		expect(classifySendError(controller.signal.reason).kind).toBe('timeout');
	});

	it.each([
		['undici connect timeout', fetchFailed(coded('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT', 'ConnectTimeoutError'))],
		['undici headers timeout', fetchFailed(coded('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT', 'HeadersTimeoutError'))],
		['undici body timeout', coded('Body Timeout Error', 'UND_ERR_BODY_TIMEOUT', 'BodyTimeoutError')],
		['axios timeout', coded('timeout of 300ms exceeded', 'ECONNABORTED', 'AxiosError')],
		['axios clarified timeout', coded('timeout of 300ms exceeded', 'ETIMEDOUT', 'AxiosError')],
		['Node AbortError', coded('The operation was aborted', 'ABORT_ERR', 'AbortError')],
		['node-fetch timeout', Object.assign(new Error('network timeout at: http://127.0.0.1/'), { name: 'FetchError', type: 'request-timeout' })],
		['an n8n wrapper around a timeout', new Error('The connection timed out, consider setting the Retry on Fail option', { cause: new DOMException('aborted', 'TimeoutError') })],
	])('%s → timeout', (_label, error) => {
		expect(classifySendError(error).kind).toBe('timeout');
	});
});

describe('classifySendError recognises network failures', () => {
	it('fetch failed: the cause decides and gives the words', () => {
		const refused = fetchFailed(coded('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'));
		expect(classifySendError(refused)).toEqual({ kind: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' });
		const closed = fetchFailed(coded('other side closed', 'UND_ERR_SOCKET', 'SocketError'));
		expect(classifySendError(closed)).toEqual({ kind: 'network', message: 'UND_ERR_SOCKET: other side closed' });
	});

	it('fetch failed with a cause nobody knows is still a network error (the Fetch standard’s network error)', () => {
		expect(classifySendError(fetchFailed(new Error('something odd')))).toEqual({ kind: 'network', message: 'something odd' });
		expect(classifySendError(new TypeError('fetch failed')).kind).toBe('network');
	});

	it.each([
		['DNS try again', coded('getaddrinfo EAI_AGAIN receiver.test', 'EAI_AGAIN')],
		['DNS not found', coded('getaddrinfo ENOTFOUND receiver.test', 'ENOTFOUND')],
		['reset', coded('socket hang up', 'ECONNRESET')],
		['broken pipe', coded('write EPIPE', 'EPIPE')],
		['host unreachable', coded('connect EHOSTUNREACH 10.0.0.1:443', 'EHOSTUNREACH')],
		['axios network error', coded('Network Error', 'ERR_NETWORK', 'AxiosError')],
		['premature close', coded('Premature close', 'ERR_STREAM_PREMATURE_CLOSE')],
		['undici socket error by name only', Object.assign(new Error('other side closed'), { name: 'SocketError' })],
		['node-fetch system error', Object.assign(new Error('request failed, reason: socket hang up'), { name: 'FetchError', type: 'system' })],
		['a response Node cannot parse', coded('Parse Error: Expected HTTP/', 'HPE_INVALID_CONSTANT')],
		['an HTTP/2 stream error', coded('Stream closed with error code NGHTTP2_INTERNAL_ERROR', 'ERR_HTTP2_STREAM_ERROR')],
		['an HTTP/2 GOAWAY', coded('New streams cannot be created after receiving a GOAWAY', 'ERR_HTTP2_GOAWAY_SESSION')],
		['an AggregateError of every address tried (no code of its own)', new AggregateError([coded('connect ECONNREFUSED ::1:9', 'ECONNREFUSED'), coded('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED')], '')],
	])('%s → network', (_label, error) => {
		expect(classifySendError(error).kind).toBe('network');
	});
});

describe('classifySendError reads n8n request errors', () => {
	it('an n8n error with the transport code only in httpCode is a timeout', () => {
		const n8nShaped = Object.assign(new Error('The connection timed out, consider setting the Timeout option'), { httpCode: 'ECONNABORTED' });
		expect(classifySendError(n8nShaped).kind).toBe('timeout');
	});
});

describe('classifySendError leaves setup errors alone', () => {
	it.each([
		['a fetch argument error', new TypeError('Failed to parse URL from not a url')],
		['an undici argument error', coded('invalid method', 'UND_ERR_INVALID_ARG', 'InvalidArgumentError')],
		['a cancelled execution (axios)', coded('canceled', 'ERR_CANCELED', 'CanceledError')],
		['a missing credential', new Error('Node does not have any credentials set')],
		['a TLS version mismatch (http spoken to https)', coded('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER')],
		['an expired certificate', coded('certificate has expired', 'CERT_HAS_EXPIRED')],
	])('%s → setup (not retried)', (_label, error) => {
		expect(classifySendError(error).kind).toBe('setup');
	});
});
