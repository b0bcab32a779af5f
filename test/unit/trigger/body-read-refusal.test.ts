/** A body n8n leaves to the node and then fails to read is the sender's problem (413 / 415), not a misconfiguration. */
import { detectHandshake, verify } from '../../../nodes/core/signatures';
import { runPipeline, type IncomingRequest, type PipelineSettings } from '../../../nodes/SignedWebhookTrigger/pipeline';

const settings: PipelineSettings = {
	provider: 'github',
	acceptedMethods: ['POST'],
	maxBodyBytes: 0,
	allowedEventTypes: [],
	providerOptions: {},
	secrets: ['github-secret-for-body-read-test'],
	redactHeaders: new Set(),
};

const failingRead = (error: unknown): IncomingRequest => ({
	method: 'POST',
	clientIp: '127.0.0.1',
	headers: { 'content-type': 'application/octet-stream', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
	query: {},
	url: 'http://127.0.0.1/webhook/x',
	contentType: 'application/octet-stream',
	readBody: async () => {
		throw error;
	},
});

// Error shapes as raw-body 3 and Node's zlib throw them (see nodes/core/http/body-read.ts).
const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, limit: 16_777_216 });
const notGzip = Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR', errno: -3 });

describe('reading the body fails', () => {
	it("over n8n's payload limit after inflating: 413 body_too_large", async () => {
		const outcome = await runPipeline(settings, failingRead(tooLarge), { verify, detectHandshake });
		expect(outcome).toMatchObject({ type: 'reject', response: { status: 413, body: { error: 'body_too_large' } } });
	});
	it('not decodable as its Content-Encoding: 415 unsupported_body; n8n wrapping it (cause) changes nothing', async () => {
		for (const error of [notGzip, Object.assign(new Error('Failed to read body'), { cause: notGzip })]) {
			const outcome = await runPipeline(settings, failingRead(error), { verify, detectHandshake });
			expect(outcome).toMatchObject({ type: 'reject', response: { status: 415, body: { error: 'unsupported_body' } } });
		}
	});
	it('any other read error is not answered as the body: it is thrown to the node (500 misconfigured there)', async () => {
		await expect(runPipeline(settings, failingRead(new Error('socket hang up')), { verify, detectHandshake })).rejects.toThrow('socket hang up');
	});
});
