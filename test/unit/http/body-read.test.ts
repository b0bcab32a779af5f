/**
 * bodyReadRefusal against the real errors: raw-body 3 (the reader inside n8n's req.readRawBody) over a stream that
 * is too long, and Node's zlib over bytes that are not gzip / deflate.
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import getRawBody from 'raw-body';

import { bodyReadRefusal, REJECTION_STATUS } from '../../../nodes/core/http';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

describe('bodyReadRefusal', () => {
	test("raw-body's limit error (what n8n throws past N8N_PAYLOAD_SIZE_MAX) is body_too_large, 413", async () => {
		const error = await errorOf(getRawBody(Readable.from([Buffer.alloc(2048)]), { limit: 1024 }));
		const refusal = bodyReadRefusal(error);
		expect(refusal).toEqual({ code: 'body_too_large', detail: expect.stringContaining('1024') });
		expect(REJECTION_STATUS[refusal!.code]).toBe(413);
	});

	test('the limit is met on the inflated bytes of a gzip body too (n8n pipes gzip through zlib first)', async () => {
		const packed = zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x61));
		expect(packed.length).toBeLessThan(4096);
		const error = await errorOf(getRawBody(Readable.from([packed]).pipe(zlib.createGunzip()), { limit: 64 * 1024 }));
		expect(bodyReadRefusal(error)?.code).toBe('body_too_large');
	});

	test.each([
		['gzip', () => zlib.createGunzip()],
		['deflate', () => zlib.createInflate()],
	])('bytes that are not %s are unsupported_body, 415', async (_name, decoder) => {
		const error = await errorOf(getRawBody(Readable.from([Buffer.from('not compressed at all')]).pipe(decoder()), { limit: 1024 }));
		const refusal = bodyReadRefusal(error);
		expect(refusal?.code).toBe('unsupported_body');
		expect(refusal?.detail).toMatch(/Z_[A-Z_]+/);
		expect(REJECTION_STATUS[refusal!.code]).toBe(415);
	});

	test('a truncated gzip body is unsupported_body', async () => {
		const packed = zlib.gzipSync(Buffer.from('{"a":1}'));
		const error = await errorOf(getRawBody(Readable.from([packed.subarray(0, packed.length - 6)]).pipe(zlib.createGunzip()), { limit: 1024 }));
		expect(bodyReadRefusal(error)?.code).toBe('unsupported_body');
	});

	test("an error n8n wrapped keeps its cause's answer", async () => {
		const inner = await errorOf(getRawBody(Readable.from([Buffer.alloc(10)]), { limit: 5 }));
		expect(bodyReadRefusal(Object.assign(new Error('wrapped'), { cause: inner }))?.code).toBe('body_too_large');
	});

	test('anything else is not a body refusal (a client that went away, a bug, not an error at all)', async () => {
		const aborted = Object.assign(new Error('request aborted'), { type: 'request.aborted', code: 'ECONNABORTED' });
		for (const error of [aborted, new TypeError('x is undefined'), 'text', null, undefined, 413]) {
			expect(bodyReadRefusal(error)).toBeUndefined();
		}
	});

	test('the detail never carries body bytes', async () => {
		const error = await errorOf(getRawBody(Readable.from([Buffer.from('secret-looking-body-bytes')]).pipe(zlib.createGunzip()), { limit: 1024 }));
		expect(JSON.stringify(bodyReadRefusal(error))).not.toContain('secret-looking');
	});
});
