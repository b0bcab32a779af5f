/**
 * A real HTTP server on 127.0.0.1 (free port) that fails on purpose and records every request.
 *
 *   const receiver = await startReceiver();          // answers 200 {"ok":true} until told otherwise
 *   receiver.script(failTimes(2, 503), retryAfterSeconds(1), respond(204));   // one step per request, then the fallback
 *   receiver.fallback = respond(500);               // what to answer once the script is used up
 *   receiver.handle((request) => ...step);          // or decide per request (wins over script/fallback)
 *   await fetch(receiver.url + '/hook', ...);
 *   receiver.requests[0].body                       // raw bytes as received; .headers, .method, .path, .arrivedAt
 *   await receiver.waitForRequests(3);              // resolves when 3 have arrived (rejects after a timeout)
 *   await receiver.close();                         // also ends hung connections
 *
 * Steps: respond(status, { headers, body }), failTimes(n, status), retryAfterSeconds(s, status = 429),
 * retryAfterDate(msFromNow, status = 429) (the date is computed when the answer is sent), hang() (never
 * answers: the client's timeout fires), destroy() (closes the socket without an answer), reset() (aborts the
 * connection with a TCP RST: the client sees ECONNRESET), delayed(ms, step) (answers after ms).
 * `refusedUrl()` gives a 127.0.0.1 URL whose port nothing listens on (the connection is refused). `receiver.inFlight` / `receiver.peakInFlight` count requests not yet answered.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ReceivedRequest {
	/** 0-based arrival order. */
	index: number;
	method: string;
	/** Path and query, as sent. */
	path: string;
	/** Lower-case names, as Node parses them. */
	headers: http.IncomingHttpHeaders;
	/** The body exactly as it arrived. */
	body: Buffer;
	/** Wall clock (epoch ms) when the request line arrived. */
	arrivedAt: number;
	/** Monotonic clock (performance.now(), ms) when the request line arrived: use it to measure waits. */
	arrivedAtMonotonic: number;
	/** What the receiver did with it. */
	answer: string;
}

export type ReceiverStep =
	| { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string | Buffer }
	| { kind: 'retry-after-date'; status: number; msFromNow: number }
	| { kind: 'delayed'; ms: number; step: ReceiverStep }
	| { kind: 'hang' }
	| { kind: 'destroy' }
	| { kind: 'reset' };

export const respond = (status: number, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): ReceiverStep => ({
	kind: 'respond',
	status,
	...options,
});
export const failTimes = (count: number, status: number): ReceiverStep[] => Array.from({ length: count }, () => respond(status));
export const retryAfterSeconds = (seconds: number, status = 429): ReceiverStep =>
	respond(status, { headers: { 'retry-after': String(seconds) }, body: '{"error":"slow down"}' });
export const retryAfterDate = (msFromNow: number, status = 429): ReceiverStep => ({ kind: 'retry-after-date', status, msFromNow });
export const hang = (): ReceiverStep => ({ kind: 'hang' });
export const delayed = (ms: number, step: ReceiverStep): ReceiverStep => ({ kind: 'delayed', ms, step });
export const destroy = (): ReceiverStep => ({ kind: 'destroy' });
export const reset = (): ReceiverStep => ({ kind: 'reset' });

/** `http://127.0.0.1:<port>` where nothing listens: a port just released by a server of our own. */
export async function refusedUrl(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

export interface Receiver {
	readonly url: string;
	readonly port: number;
	readonly requests: ReceivedRequest[];
	/** Requests received and not yet answered (hung ones included); its highest value since start/reset. */
	readonly inFlight: number;
	readonly peakInFlight: number;
	fallback: ReceiverStep;
	/** Queue steps: each request takes the next one; afterwards the fallback answers. */
	script(...steps: Array<ReceiverStep | ReceiverStep[]>): void;
	/** Decide per request; return undefined to fall through to the script/fallback. */
	handle(decide: ((request: ReceivedRequest) => ReceiverStep | undefined) | undefined): void;
	/** Forget recorded requests, queued steps and the handler. */
	reset(): void;
	waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	close(): Promise<void>;
}

export async function startReceiver(options: { fallback?: ReceiverStep } = {}): Promise<Receiver> {
	const requests: ReceivedRequest[] = [];
	const sockets = new Set<Socket>();
	let queue: ReceiverStep[] = [];
	let decide: ((request: ReceivedRequest) => ReceiverStep | undefined) | undefined;
	let waiters: Array<{ count: number; resolve: () => void }> = [];
	let inFlight = 0;
	let peakInFlight = 0;

	const server = http.createServer((req, res) => {
		const arrivedAt = Date.now();
		const arrivedAtMonotonic = performance.now();
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const record: ReceivedRequest = {
				index: requests.length,
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
				arrivedAt,
				arrivedAtMonotonic,
				answer: '',
			};
			requests.push(record);
			const step = decide?.(record) ?? queue.shift() ?? receiver.fallback;
			record.answer = describe(step);
			waiters = waiters.filter((waiter) => (requests.length >= waiter.count ? (waiter.resolve(), false) : true));
			inFlight++;
			peakInFlight = Math.max(peakInFlight, inFlight);
			let answered = false;
			const done = () => {
				if (!answered) inFlight--;
				answered = true;
			};
			res.on('close', done);
			answer(step);

			function answer(current: ReceiverStep): void {
				if (current.kind === 'hang') return;
				if (current.kind === 'delayed') {
					setTimeout(() => answer(current.step), current.ms);
					return;
				}
				if (current.kind === 'destroy') {
					req.socket.destroy();
					return;
				}
				if (current.kind === 'reset') {
					req.socket.resetAndDestroy();
					return;
				}
				const headers =
					current.kind === 'retry-after-date'
						? { 'retry-after': new Date(Date.now() + current.msFromNow).toUTCString() }
						: (current.headers ?? {});
				const body = current.kind === 'respond' && current.body !== undefined ? current.body : JSON.stringify({ status: current.status });
				res.writeHead(current.status, { 'content-type': 'application/json', ...headers });
				res.end(body);
			}
		});
	});
	server.keepAliveTimeout = 1_000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	const receiver: Receiver = {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		get inFlight() {
			return inFlight;
		},
		get peakInFlight() {
			return peakInFlight;
		},
		fallback: options.fallback ?? respond(200, { body: '{"ok":true}' }),
		script: (...steps) => {
			queue.push(...steps.flat());
		},
		handle: (fn) => {
			decide = fn;
		},
		reset: () => {
			requests.length = 0;
			peakInFlight = inFlight;
			queue = [];
			decide = undefined;
		},
		waitForRequests: (count, timeoutMs = 10_000) =>
			new Promise<ReceivedRequest[]>((resolve, reject) => {
				if (requests.length >= count) return resolve(requests.slice());
				const timer = setTimeout(() => reject(new Error(`receiver got ${requests.length} of ${count} requests`)), timeoutMs);
				waiters.push({
					count,
					resolve: () => {
						clearTimeout(timer);
						resolve(requests.slice());
					},
				});
			}),
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
	return receiver;
}

function describe(step: ReceiverStep): string {
	if (step.kind === 'respond' || step.kind === 'retry-after-date') return String(step.status);
	if (step.kind === 'delayed') return describe(step.step);
	return step.kind;
}
