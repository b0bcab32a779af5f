/**
 * Tools of the reliability tests and scripts: raw HTTP/1.1 over node:net (malformed requests reach the server
 * exactly as written), the pid and resident memory of a running n8n, SIGKILL of its process group, and a steady
 * flow of valid requests kept going while something else happens.
 *
 *   const answer = await rawRequest(n8n.port, ['POST /webhook/x HTTP/1.1\r\n...\r\n\r\n', 250, 'a']);
 *   const pid = n8nMainPid(n8n.userFolder); const before = rssKib(pid);
 */
import * as fs from 'node:fs';
import * as net from 'node:net';

import { parseJsonOrUndefined } from '../harness/http';
import { sleep } from '../harness/processes';

/** What came back on the socket: the status of the first response line (0 when none), head, body text and JSON. */
export interface RawAnswer {
	status: number;
	head: string;
	text: string;
	json: any;
}

/**
 * Writes `parts` to a new connection to 127.0.0.1:`port` in order (a number is a pause in milliseconds between
 * writes) and reads until the server closes the connection or `timeoutMs` (default 60 s) passes. A server that
 * answers early and resets the connection mid-write still yields its answer. Never rejects.
 */
export function rawRequest(port: number, parts: Array<Buffer | string | number>, timeoutMs = 60_000): Promise<RawAnswer> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		let finished = false;
		const finish = () => {
			if (finished) return;
			finished = true;
			clearTimeout(timer);
			socket.destroy();
			resolve(parseAnswer(Buffer.concat(chunks)));
		};
		const timer = setTimeout(finish, timeoutMs);
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('close', finish);
		socket.on('error', () => undefined); // EPIPE / ECONNRESET after an early answer: the answer is what counts
		socket.on('connect', async () => {
			for (const part of parts) {
				if (socket.destroyed) break;
				if (typeof part === 'number') await sleep(part);
				else await new Promise<void>((done) => socket.write(part, () => done()));
			}
		});
	});
}

function parseAnswer(raw: Buffer): RawAnswer {
	const text = raw.toString('latin1');
	const split = text.indexOf('\r\n\r\n');
	const head = split === -1 ? text : text.slice(0, split);
	let body = split === -1 ? '' : text.slice(split + 4);
	if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
	const utf8 = Buffer.from(body, 'latin1').toString('utf8');
	return { status, head, text: utf8, json: parseJsonOrUndefined(utf8) };
}

function dechunk(body: string): string {
	let out = '';
	let rest = body;
	for (;;) {
		const line = rest.indexOf('\r\n');
		if (line === -1) return out;
		const size = parseInt(rest.slice(0, line), 16);
		if (!(size > 0)) return out;
		out += rest.slice(line + 2, line + 2 + size);
		rest = rest.slice(line + 2 + size + 2);
	}
}

/**
 * The pid of the `n8n start` (or `n8n webhook` / `n8n worker`) process whose working directory is `userFolder`
 * (the harness starts n8n there). Throws when there is none.
 */
export function n8nMainPid(userFolder: string, command = 'start'): number {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (fs.readlinkSync(`/proc/${entry}/cwd`) !== userFolder) continue;
			const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (argv.some((a) => /[/\\]n8n$/.test(a)) && argv.includes(command)) return Number(entry);
		} catch {
			// gone, or not ours
		}
	}
	throw new Error(`no n8n ${command} process runs in ${userFolder}`);
}

/** VmRSS of `pid` in KiB, from /proc/<pid>/status. */
export function rssKib(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(match[1]);
}

/**
 * SIGKILL to the process group of `pid` (n8n and its task runner: the harness starts each in its own group), then
 * waits until `pid` is gone (at most 30 s).
 */
export async function killGroupHard(pid: number): Promise<void> {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		process.kill(pid, 'SIGKILL');
	}
	for (let i = 0; i < 300; i++) {
		if (!fs.existsSync(`/proc/${pid}`) || /^State:\s+Z/m.test(readOr(`/proc/${pid}/status`))) return;
		await sleep(100);
	}
	throw new Error(`pid ${pid} survived SIGKILL`);
}

function readOr(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/**
 * Runs `during` while calling `one(i)` in sequence, with `pauseMs` (default 100 ms) between calls, until `during`
 * settles; then returns what each call returned (at least one call is made). `during`'s rejection is rethrown after
 * the flow stopped.
 */
export async function flowDuring<T>(during: () => Promise<void>, one: (i: number) => Promise<T>, pauseMs = 100): Promise<T[]> {
	let done = false;
	const results: T[] = [];
	const flow = (async () => {
		for (let i = 0; !done || results.length === 0; i++) {
			results.push(await one(i));
			await sleep(pauseMs);
		}
	})();
	try {
		await during();
	} finally {
		done = true;
		await flow;
	}
	return results;
}

/** The statuses an execution in n8n can have (n8n's ExecutionStatus). */
export const EXECUTION_STATUSES = ['new', 'running', 'waiting', 'success', 'error', 'crashed', 'canceled', 'unknown'] as const;

/**
 * How many stored executions of `workflowId` have each status, one `GET /rest/executions?limit=1` per status (its
 * `count`): no paging, so it holds for any number of executions (the harness's executions() pages with `lastId`, which
 * n8n 2.x refuses once there are more than 100).
 */
export async function executionCountsByStatus(
	n8n: { rest(method: string, urlPath: string): Promise<{ status: number; body: any }> },
	workflowId: string,
): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const status of EXECUTION_STATUSES) {
		const query = new URLSearchParams({ limit: '1', filter: JSON.stringify({ workflowId, status: [status] }) });
		const res = await n8n.rest('GET', `/rest/executions?${query}`);
		if (res.status !== 200) throw new Error(`GET /rest/executions (${status}): ${res.status}`);
		const count = Number((res.body.data ?? res.body).count);
		if (count > 0) counts[status] = count;
	}
	return counts;
}

/**
 * Polls until no execution of `workflowIds` is new, running or waiting, or `timeoutMs` passes (default 120 s); returns
 * whether they all finished (an execution n8n never closes stays counted as such, it is not an error here).
 */
export async function waitUntilSettled(
	n8n: { rest(method: string, urlPath: string): Promise<{ status: number; body: any }> },
	workflowIds: string[],
	timeoutMs = 120_000,
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let open = 0;
		for (const id of workflowIds) {
			const counts = await executionCountsByStatus(n8n, id);
			open += (counts.new ?? 0) + (counts.running ?? 0) + (counts.waiting ?? 0);
		}
		if (open === 0) return true;
		if (Date.now() > deadline) return false;
		await sleep(1000);
	}
}
