import type { RejectionCode } from './rejection';

/** Why a body could not be read, as the trigger answers it: the rejection code and a log detail (no body bytes). */
export interface BodyReadRefusal {
	code: Extract<RejectionCode, 'body_too_large' | 'unsupported_body'>;
	detail: string;
}

/**
 * Classifies an error thrown while the request body was read (n8n's `req.readRawBody()`, which is the `raw-body`
 * package over the request, through zlib for `Content-Encoding: gzip` / `deflate`):
 * - raw-body's "request entity too large" (`type: 'entity.too.large'`, `status: 413`): the body, after inflating,
 *   is over n8n's N8N_PAYLOAD_SIZE_MAX → `body_too_large` (413);
 * - a zlib error (`code` `Z_DATA_ERROR`, `Z_BUF_ERROR`, ...; or raw-body's `encoding.unsupported`): the body does not
 *   decode as its Content-Encoding says → `unsupported_body` (415, RFC 9110 §15.5.16 names a content coding
 *   the server cannot handle as a 415).
 * Anything else (a client that went away, a bug) is `undefined`: not a property of the body, so it is not answered
 * as one. Error shapes from raw-body 3.0 (its README, "Errors") and Node's zlib.
 */
export function bodyReadRefusal(error: unknown): BodyReadRefusal | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const e = error as { type?: unknown; status?: unknown; statusCode?: unknown; code?: unknown; limit?: unknown; cause?: unknown };
	if (e.type === 'entity.too.large' || e.status === 413 || e.statusCode === 413) {
		return { code: 'body_too_large', detail: `body over n8n's payload limit${typeof e.limit === 'number' ? ` (${e.limit} bytes)` : ''}` };
	}
	if (e.type === 'encoding.unsupported' || (typeof e.code === 'string' && /^Z_[A-Z_]+$/.test(e.code))) {
		return { code: 'unsupported_body', detail: `body does not decode as its Content-Encoding (${typeof e.code === 'string' ? e.code : String(e.type)})` };
	}
	// n8n wraps some read errors (BadRequestError.wrap keeps the original as `cause`).
	return e.cause !== undefined && e.cause !== error ? bodyReadRefusal(e.cause) : undefined;
}
