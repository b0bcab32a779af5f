/**
 * The one HTTP client of the tests: a call to a server on 127.0.0.1 and its whole answer read at once.
 *
 *   const answer = await send(n8n.webhookUrl('github'), githubDelivery(body, secret));
 *   expect(answer.status).toBe(401);
 *   expect(answer.json).toEqual({ error: 'invalid_signature', message: expect.any(String) });
 */
import * as http from 'node:http';

/** A finished answer: status, the body as text, the body parsed as JSON (undefined when it is not JSON), headers. */
export interface Answer {
	status: number;
	text: string;
	json: any;
	headers: Headers;
}

/** The body parsed as JSON, or undefined when it is not JSON. */
export function parseJsonOrUndefined(text: string): any {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * fetch(url, init) and read the whole body. `timeoutMs` (milliseconds) aborts the call when it has not answered by
 * then (the promise rejects with a TimeoutError); without it the call waits as long as fetch does.
 */
export async function send(url: string, init: RequestInit = {}, options: { timeoutMs?: number } = {}): Promise<Answer> {
	const signal = options.timeoutMs === undefined ? init.signal : AbortSignal.timeout(options.timeoutMs);
	const response = await fetch(url, { ...init, signal });
	const text = await response.text();
	return { status: response.status, text, json: parseJsonOrUndefined(text), headers: response.headers };
}

/**
 * One POST on a fresh connection through node:http (no keep-alive, so no race with a server closing an idle
 * socket). Rejects on a transport error or when no answer came within `timeoutMs` (milliseconds, default 120 s).
 */
export function postOnFreshConnection(
	url: string,
	headers: Record<string, string>,
	body: string,
	timeoutMs = 120_000,
): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers, agent: false, timeout: timeoutMs }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
			response.on('error', reject);
		});
		request.on('timeout', () => request.destroy(new Error('timed out')));
		request.on('error', reject);
		request.end(body);
	});
}
