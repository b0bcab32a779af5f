/**
 * The signed test sender (bin/reliable-webhooks-send.js, built core from dist/), run as a child process exactly as a
 * user runs it, against a real HTTP server on 127.0.0.1 that checks every delivery with our verify() over the exact
 * bytes, headers and URL it received and answers 200 (valid) or 401 (with the reason).
 * Needs `npm run build` first (the command loads dist/ through index.js, as the published package does).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providers, verify, type ProviderOptions, type VerifyResult } from '../../../nodes/core/signatures';
import { respond, startReceiver, type ReceivedRequest, type Receiver } from '../../harness/receiver';
import { PROVIDER_ROWS } from '../../unit/signatures/provider-table';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(repoRoot, 'bin', 'reliable-webhooks-send.js');

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the command with only PATH and `env` in its environment (so no WEBHOOK_SECRET leaks in from the shell). */
function runSender(args: string[], options: { env?: Record<string, string>; stdin?: string | Buffer } = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [BIN, ...args], {
			env: { PATH: process.env.PATH ?? '', ...options.env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
		child.stdin.end(options.stdin ?? '');
	});
}

// ---- keys made for this run ------------------------------------------------------------------------------------

const text = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const whsec = () => `whsec_${randomBytes(24).toString('base64')}`;

function ed25519Pair(): { seed: Buffer; publicKey: Buffer } {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
	return { seed, publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url') };
}
const discordKeys = ed25519Pair();
const standardKeys = ed25519Pair();

// ---- one case per provider (and per mode) ---------------------------------------------------------------------------

interface Case {
	name: string;
	provider: string;
	/** What the sender signs with. */
	secret: string;
	/** What the receiver verifies with (a public key for Ed25519); default = secret. */
	verifySecret?: string;
	/** Provider options, given to the sender as -o key=value and to verify() alike. */
	options?: ProviderOptions;
	body: string;
	contentType?: string;
	event?: string;
	deliveryId?: string;
	/** Path and query after /hook/<name> (URL-signing providers sign it). */
	suffix?: string;
}

const CASES: Case[] = [
	{ name: 'github', provider: 'github', secret: text('gh'), body: '{"ref":"refs/heads/main","size":1}', event: 'push', deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958' },
	{ name: 'gitlab-token', provider: 'gitlab', secret: text('gl'), options: { mode: 'token' }, body: '{"object_kind":"push"}', event: 'Push Hook', deliveryId: 'gl-delivery-1' },
	{ name: 'gitlab-signing-token', provider: 'gitlab', secret: whsec(), options: { mode: 'signing-token' }, body: '{"object_kind":"merge_request"}', event: 'Merge Request Hook', deliveryId: 'gl-delivery-2' },
	// An integer beyond 2^53 must reach the receiver with every digit, though type and id are written into the JSON.
	{ name: 'stripe', provider: 'stripe', secret: `whsec_${randomBytes(16).toString('hex')}`, body: '{"object":"event","data":{"amount":8202522731445525542}}', event: 'payment_intent.succeeded', deliveryId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy' },
	{ name: 'slack', provider: 'slack', secret: text('slack'), body: '{"type":"event_callback","event":{"type":"app_mention","text":"hi"}}', event: 'message', deliveryId: 'Ev08MFMKH6' },
	{ name: 'shopify', provider: 'shopify', secret: text('shp'), body: '{"id":820982911946154508}', event: 'orders/create', deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' },
	{ name: 'standard-webhooks', provider: 'standard-webhooks', secret: whsec(), body: '{"type":"invoice.paid","data":{}}', event: 'invoice.paid', deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' },
	{
		name: 'standard-webhooks-ed25519',
		provider: 'standard-webhooks',
		secret: `whsk_${standardKeys.seed.toString('base64')}`,
		verifySecret: `whpk_${standardKeys.publicKey.toString('base64')}`,
		body: '{"type":"user.created"}',
	},
	{ name: 'svix', provider: 'svix', secret: whsec(), body: '{"type":"email.sent","data":{"to":["a@example.test"]}}', event: 'email.sent', deliveryId: 'msg_p5jXN8AQM9LWM0D4loKWxJek' },
	// Twilio signs the URL (with its query) and the sorted form parameters.
	{ name: 'twilio', provider: 'twilio', secret: randomBytes(16).toString('hex'), body: 'CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234', suffix: '/voice?account=ACb1&x=a%3Ab', deliveryId: 'idem-tw-1' },
	{ name: 'twilio-sha256', provider: 'twilio', secret: text('twk'), options: { algorithm: 'sha256', keyId: 'KS1234' }, body: 'MessageSid=SM1&Body=Hello+world', suffix: '/sms?from=test' },
	// The body's webhookTimestamp is two years old: the sender writes the signing time, as Linear does.
	{ name: 'linear', provider: 'linear', secret: text('lin'), body: '{"action":"create","type":"Issue","webhookTimestamp":1676056940508}', event: 'Issue', deliveryId: '234d1a4e-b617-4388-90fe-adc3633d6b72' },
	{ name: 'paddle', provider: 'paddle', secret: `pdl_ntfset_${randomBytes(16).toString('hex')}`, body: '{"data":{"id":"txn_01"}}', event: 'transaction.completed', deliveryId: 'evt_01h8bzakzx3hm2fmen703n5q45' },
	{ name: 'zoom', provider: 'zoom', secret: text('zm'), body: '{"payload":{"object":{"id":1}},"event_ts":1626230691572}', event: 'meeting.started' },
	{ name: 'twitch', provider: 'twitch', secret: text('tw'), body: '{"subscription":{"type":"channel.follow"},"event":{}}', event: 'channel.follow', deliveryId: 'befa7b53-d79d-478f-86b9-120f112b044e' },
	{ name: 'discord', provider: 'discord', secret: discordKeys.seed.toString('hex'), verifySecret: discordKeys.publicKey.toString('hex'), body: '{"type":2,"data":{"name":"blep"}}', deliveryId: '786008729715212338' },
	{ name: 'bitbucket', provider: 'bitbucket', secret: text('bb'), body: '{"push":{"changes":[]}}', event: 'repo:push', deliveryId: 'a1b2c3d4-0000-4000-8000-000000000001' },
	{ name: 'jira', provider: 'jira', secret: text('jira'), body: '{"timestamp":1586285281,"issue":{"key":"PRJ-1"}}', event: 'jira:issue_updated', deliveryId: 'jira-hook-1' },
	{ name: 'meta', provider: 'meta', secret: text('meta'), body: '{"entry":[{"id":"0","changes":[]}]}', event: 'page' },
	{ name: 'intercom', provider: 'intercom', secret: text('ic'), body: '{"type":"notification_event","data":{}}', event: 'conversation.user.created', deliveryId: 'notif_ccd8a4d0' },
	{ name: 'typeform', provider: 'typeform', secret: text('tf'), body: '{"form_response":{"form_id":"lT4Z3j"}}', event: 'form_response', deliveryId: '01GDG4S7JB2QMHQ52PKDFCA7VA' },
	{ name: 'calendly', provider: 'calendly', secret: text('cal'), body: '{"payload":{"email":"a@example.test"}}', event: 'invitee.created' },
	// HubSpot signs method + URI (escapes it lists decoded) + body + timestamp; the body is an array of events.
	{ name: 'hubspot', provider: 'hubspot', secret: text('hs'), body: '[{"objectId":1246965,"propertyName":"lifecyclestage"}]', event: 'contact.propertyChange', deliveryId: '3836184', suffix: '/hubspot?portalId=62515&q=a%3Ab' },
	{ name: 'square', provider: 'square', secret: text('sq'), body: '{"merchant_id":"6SSW7HV8K2ST5","data":{"type":"payment"}}', event: 'payment.updated', deliveryId: '2ab8b47e-28a1-3f53-9be6-f1b7b1ba3bbd', suffix: '/square' },
	{ name: 'zendesk', provider: 'zendesk', secret: text('zd'), body: '{"detail":{"id":"35"},"subject":"zen:ticket:35"}', event: 'zen:event-type:ticket.created', deliveryId: 'zd-invocation-1' },
	{ name: 'mailgun-json', provider: 'mailgun', secret: text('mg'), body: '{"event-data":{"recipient":"a@example.test"}}', event: 'delivered', deliveryId: 'CPgfbmQMTCKtHW6uIWtuVe' },
	{ name: 'mailgun-form', provider: 'mailgun', secret: text('mg'), body: 'recipient=a%40example.test&domain=mg.example.test', event: 'opened' },
	{ name: 'convoy', provider: 'convoy', secret: text('cv'), body: '{"event":"payment.success"}' },
	{ name: 'convoy-advanced', provider: 'convoy', secret: text('cv'), options: { mode: 'advanced', algorithm: 'sha512', encoding: 'base64' }, body: '{"event":"payment.failed"}' },
	{ name: 'generic-hmac', provider: 'generic-hmac', secret: text('gen'), body: 'plain text body' },
	{
		name: 'generic-hmac-custom',
		provider: 'generic-hmac',
		secret: text('gen'),
		options: {
			header: 'X-Acme-Signature',
			algorithm: 'sha512',
			encoding: 'base64',
			prefix: 'v1=',
			template: '{timestamp}.{id}.{method}.{url}.{body}',
			timestampHeader: 'X-Acme-Timestamp',
			timestampUnit: 'ms',
			idHeader: 'X-Acme-Delivery',
		},
		body: '{"hello":"world"}',
		deliveryId: 'acme-42',
		suffix: '/acme?tenant=7',
	},
	// The signature does not cover the body: without {body} in the template, --tamper changes the signature instead.
	{ name: 'generic-hmac-no-body', provider: 'generic-hmac', secret: text('gen'), options: { template: '{timestamp}', timestampHeader: 'X-Ts' }, body: '{"a":1}' },
	{ name: 'generic-token', provider: 'generic-token', secret: text('tok'), body: '{"ping":true}' },
	{ name: 'generic-token-header', provider: 'generic-token', secret: text('tok'), options: { header: 'X-Api-Key' }, body: '{"ping":true}' },
];

// Providers added after these cases were written: one case each from the signature core's own provider table
// (its test secret, body and options), so every provider sign() supports is sent at least once.
for (const row of PROVIDER_ROWS) {
	if (row.build || typeof row.body !== 'string' || row.verifySecret !== undefined) continue;
	if (CASES.some((existing) => existing.provider === row.provider)) continue;
	CASES.push({ name: row.provider, provider: row.provider, secret: row.secret, options: row.options, body: row.body });
}

// ---- the receiver: our verify() over what arrived --------------------------------------------------------------------

interface Verified {
	caseName: string;
	request: ReceivedRequest;
	url: string;
	result: VerifyResult;
}

let receiver: Receiver;
let verified: Verified[] = [];
const byName = new Map(CASES.map((c) => [c.name, c]));

beforeAll(async () => {
	if (!fs.existsSync(path.join(repoRoot, 'dist', 'nodes', 'core', 'index.js'))) throw new Error('Run `npm run build` first: the sender loads dist/.');
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});
beforeEach(() => {
	receiver.reset();
	verified = [];
	receiver.handle((request) => {
		const [, kind, name] = /^\/(hook|echo-escaped|echo-upper|echo|accept-all)\/([^/?]+)/.exec(request.path) ?? [];
		if (kind === 'accept-all') return respond(200, { body: '{"accepted":"without looking"}' });
		const testCase = byName.get(name ?? '');
		if (!testCase) return respond(404);
		// The URL the sender called, exactly as it arrived (Twilio, Square, HubSpot and {url} sign it).
		const url = `${receiver.url}${request.path}`;
		const result = verify({
			provider: testCase.provider,
			secrets: [testCase.verifySecret ?? testCase.secret],
			headers: request.headers,
			body: request.body,
			method: request.method,
			url,
			options: testCase.options,
		});
		verified.push({ caseName: testCase.name, request, url, result });
		// The echo route answers with every header and the body it got, as careless receivers do: the sender must mask the signature.
		const answer = kind?.startsWith('echo') ? { ...result, receivedHeaders: request.headers, receivedBody: request.body.toString('utf8') } : result;
		let text = JSON.stringify(answer);
		// Other spellings of the same echo: PHP's json_encode escapes '/', some encoders write \u escapes; hex in upper case.
		if (kind === 'echo-escaped') text = text.replace(/\//g, '\\/').replace(/[A-Za-z]/g, (c, at: number) => (at % 2 === 0 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
		if (kind === 'echo-upper') text = text.toUpperCase();
		return respond(result.valid ? 200 : 401, { headers: { 'content-type': 'application/json' }, body: text });
	});
});

function argsFor(testCase: Case, extra: string[] = [], route = 'hook'): string[] {
	const args = ['--provider', testCase.provider, '--url', `${receiver.url}/${route}/${testCase.name}${testCase.suffix ?? ''}`, '--data', testCase.body];
	if (testCase.contentType) args.push('--content-type', testCase.contentType);
	if (testCase.event) args.push('--event', testCase.event);
	if (testCase.deliveryId) args.push('--delivery-id', testCase.deliveryId);
	for (const [key, value] of Object.entries(testCase.options ?? {})) args.push('-o', `${key}=${String(value)}`);
	return [...args, ...extra];
}

/** The values that must never be printed: the secret and the signature as it arrived at the receiver. */
function secretValues(testCase: Case, request?: ReceivedRequest): string[] {
	const values = [testCase.secret];
	if (!request) return values;
	const info = providers.find((p) => p.id === testCase.provider)!;
	const header = String(testCase.options?.header ?? (testCase.options?.mode === 'signing-token' ? 'webhook-signature' : info.signatureHeader)).toLowerCase();
	const received = request.headers[header];
	if (typeof received === 'string') {
		// The whole header and the signature itself (after its prefix / version), each long enough to be unmistakable.
		values.push(received, ...received.split(/[\s,;=]+/).filter((part) => part.length >= 12));
	}
	if (testCase.provider === 'mailgun') {
		const signature = /signature(?:"\s*:\s*"|=)([0-9a-fA-F]{64})/.exec(request.body.toString('utf8'))?.[1];
		expect(signature).toBeDefined();
		values.push(signature!);
	}
	return values;
}

function expectNothingSecret(run: Run, values: string[]): void {
	for (const value of values) {
		expect(run.stdout).not.toContain(value);
		expect(run.stderr).not.toContain(value);
	}
}

describe('reliable-webhooks-send against a verifying receiver', () => {
	it('has a case for every provider sign() supports (sendgrid is verify-only)', () => {
		const signable = providers.filter((p) => p.kind !== 'ecdsa').map((p) => p.id);
		expect(signable.filter((id) => !CASES.some((c) => c.provider === id))).toEqual([]);
		expect(providers.filter((p) => p.kind === 'ecdsa').map((p) => p.id)).toEqual(['sendgrid']);
	});

	describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
		it('a signed delivery (secret in WEBHOOK_SECRET) verifies: 200, event type and delivery id where the provider carries them', async () => {
			const run = await runSender(argsFor(testCase), { env: { WEBHOOK_SECRET: testCase.secret } });
			expect(verified).toHaveLength(1);
			const [{ result, request }] = verified;
			expect(result).toMatchObject({ valid: true });
			expect(run.stdout).toContain('HTTP 200');
			expect(run.code).toBe(0);
			if (!result.valid) return;
			if (testCase.event) expect(result.eventType).toBe(testCase.event);
			if (testCase.deliveryId) expect(result.deliveryId).toBe(testCase.deliveryId);
			expectNothingSecret(run, secretValues(testCase, request));
		});

		it('--tamper: one byte changed, the receiver answers 401 and the command exits 0', async () => {
			const run = await runSender(argsFor(testCase, ['--tamper']), { env: { WEBHOOK_SECRET: testCase.secret } });
			expect(verified).toHaveLength(1);
			const [{ result, request }] = verified;
			expect(result.valid).toBe(false);
			if (!result.valid) expect(result.reason).toBe('invalid_signature');
			expect(run.stdout).toContain('HTTP 401');
			expect(run.stdout).toMatch(/tampered +one (byte|character)/);
			expect(run.code).toBe(0);
			expectNothingSecret(run, [testCase.secret, ...secretValues(testCase, request).slice(1)]);
		});
	});

	it('a short secret is not masked (masking `test` showed it in /webhook-test/ and garbled the text) and gets a note', async () => {
		const testCase = { ...byName.get('github')!, secret: 'test', suffix: '?stage=test' };
		// accept-all: the receiver's own secret for this case is another one.
		const run = await runSender(argsFor(testCase, [], 'accept-all'), { env: { WEBHOOK_SECRET: 'test' } });
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('/accept-all/github?stage=test');
		expect(run.stdout).toContain('  provider    github (GitHub)');
		expect(run.stdout).not.toContain('[hidden]');
		expect(run.stderr).toContain('the secret is 4 characters long, too short to hide in this output');
		// A long secret is still hidden wherever it appears, even in the URL.
		const long = { ...byName.get('github')!, secret: 'a-long-secret-0123456789' };
		const longRun = await runSender(argsFor(long, ['-H', 'X-Echo: a-long-secret-0123456789'], 'echo'), { env: { WEBHOOK_SECRET: long.secret } });
		expect(longRun.stdout).toContain('"x-echo":"[hidden]"');
		expect(longRun.stdout + longRun.stderr).not.toContain(long.secret);
		expect(longRun.stderr).not.toContain('too short');
	});

	it('--event with a JSON array or a body that is not an object is refused (exit 2), not claimed and dropped', async () => {
		const testCase = { ...byName.get('stripe')!, body: '[1,2]', deliveryId: undefined };
		const run = await runSender(argsFor(testCase), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('Stripe carries the event type in body type, and this body is not a JSON object');
		expect(receiver.requests).toHaveLength(0);
	});

	it('a URL with user:pass@ is a usage error before anything is sent, without the password', async () => {
		const run = await runSender(['-p', 'github', '-u', `${receiver.url.replace('http://', 'http://someone:pa55word-xyz@')}/hook/github`, '-d', '{}'], {
			env: { WEBHOOK_SECRET: byName.get('github')!.secret },
		});
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('--url carries a user name or password');
		expect(run.stdout + run.stderr).not.toContain('pa55word-xyz');
		expect(receiver.requests).toHaveLength(0);
	});

	it('a -H header that signing replaces is named in a note; "1 byte" for a one-byte body', async () => {
		const testCase = { ...byName.get('github')!, body: '1' };
		const run = await runSender([...argsFor(testCase), '-H', 'x-hub-signature-256: sha256=00'], { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^ {2}note {8}-H x-hub-signature-256 replaced by what signing set/m);
		expect(run.stdout).toMatch(/^ {2}body {8}1 byte, /m);
	});

	it('an integer beyond 2^53 keeps every digit when the sender writes the event type and id into the JSON', async () => {
		const testCase = byName.get('stripe')!;
		const run = await runSender(argsFor(testCase), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		const body = verified[0].request.body.toString('utf8');
		expect(body).toContain('"amount":8202522731445525542');
		expect(body).toContain('"type":"payment_intent.succeeded"');
		expect(body).toContain('"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy"');
	});

	it('Slack: --event goes into the event object, never over the envelope\'s own type (event_callback stays)', async () => {
		const testCase = { ...byName.get('slack')!, body: '{"type":"event_callback"}' };
		const run = await runSender(argsFor(testCase), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		const sent = JSON.parse(verified[0].request.body.toString('utf8')) as { type: string; event: { type: string }; event_id: string };
		expect(sent).toEqual({ type: 'event_callback', event: { type: 'message' }, event_id: 'Ev08MFMKH6' });
	});

	it('a delivery id already in the body is printed, not replaced (Stripe `id` with more than 2^53 in it, Slack `event_id`)', async () => {
		const stripe = { ...byName.get('stripe')!, body: '{"id":"evt_given_1","amount":8202522731445525542}', deliveryId: undefined };
		const run = await runSender(argsFor(stripe), { env: { WEBHOOK_SECRET: stripe.secret } });
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^ {2}delivery id evt_given_1 {2}\(body id, as given: sending this body again is a repeat\)$/m);
		expect(verified[0].request.body.toString('utf8')).toBe('{"id":"evt_given_1","amount":8202522731445525542,"type":"payment_intent.succeeded"}');
		verified = [];
		const slack = { ...byName.get('slack')!, body: '{"type":"event_callback","event_id":"Ev0GIVEN"}', deliveryId: undefined };
		const slackRun = await runSender(argsFor(slack), { env: { WEBHOOK_SECRET: slack.secret } });
		expect(slackRun.code).toBe(0);
		expect(slackRun.stdout).toMatch(/^ {2}delivery id Ev0GIVEN {2}\(body event_id, as given/m);
	});

	it('Linear: the stale webhookTimestamp in the body is replaced by the signing time (epoch ms)', async () => {
		const testCase = byName.get('linear')!;
		const before = Date.now();
		const run = await runSender(argsFor(testCase), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		const sent = JSON.parse(verified[0].request.body.toString('utf8')) as { webhookTimestamp: number };
		expect(sent.webhookTimestamp).toBeGreaterThanOrEqual(before);
		expect(sent.webhookTimestamp).toBeLessThanOrEqual(verified[0].request.arrivedAt);
	});

	it('the secret on stdin (with the trailing line break echo adds) verifies like the environment variable', async () => {
		for (const name of ['github', 'stripe', 'discord', 'twilio', 'mailgun-form']) {
			verified = [];
			const testCase = byName.get(name)!;
			const run = await runSender([...argsFor(testCase), '--secret-stdin'], { stdin: `${testCase.secret}\n` });
			expect({ name, code: run.code, valid: verified[0]?.result.valid }).toEqual({ name, code: 0, valid: true });
			expectNothingSecret(run, secretValues(testCase, verified[0].request));
		}
	});

	it('a secret in another variable named by --secret-env; the body from a file and from stdin', async () => {
		const testCase = byName.get('github')!;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sender-test-'));
		const file = path.join(dir, 'push.json');
		fs.writeFileSync(file, testCase.body);
		try {
			const args = ['-p', 'github', '-u', `${receiver.url}/hook/github`, '-e', 'push', '--secret-env', 'GH_HOOK_SECRET'];
			const fromFile = await runSender([...args, '--body', file], { env: { GH_HOOK_SECRET: testCase.secret } });
			const fromStdin = await runSender([...args, '--body', '-'], { env: { GH_HOOK_SECRET: testCase.secret }, stdin: testCase.body });
			expect([fromFile.code, fromStdin.code]).toEqual([0, 0]);
			expect(verified.map((v) => [v.result.valid, v.request.body.toString('utf8')])).toEqual([
				[true, testCase.body],
				[true, testCase.body],
			]);
			// No --delivery-id: GitHub carries one in a header, so a fresh UUID is sent (a new delivery each run).
			const ids = verified.map((v) => (v.result.valid ? v.result.deliveryId : undefined));
			expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(ids[1]).not.toBe(ids[0]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('a receiver that echoes what it got: the signature in the answer is masked', async () => {
		const testCase = byName.get('github')!;
		const run = await runSender(argsFor(testCase, [], 'echo'), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		expect(String(verified[0].request.headers['x-hub-signature-256'])).toMatch(/^sha256=[0-9a-f]{64}$/);
		expect(run.stdout).toContain('"x-hub-signature-256":"[hidden]"');
		expectNothingSecret(run, secretValues(testCase, verified[0].request));
	});

	it.each([
		['generic-token', 'echo-escaped'],
		['github', 'echo-escaped'],
		['github', 'echo-upper'],
		['stripe', 'echo-upper'],
	])('%s, echoed in another spelling (%s): neither the token nor the signature is printed in any spelling', async (name, route) => {
		const testCase = byName.get(name)!;
		const run = await runSender(argsFor(testCase, [], route), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		const printed = (run.stdout + run.stderr).replace(/\\u([0-9a-fA-F]{4})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16))).replace(/\\\//g, '/');
		expect(printed).toContain('[hidden]');
		for (const value of secretValues(testCase, verified[0].request)) {
			for (const piece of [value, ...value.split(/[\s,;=]+/).filter((part) => part.length >= 12)]) {
				expect(printed.toLowerCase()).not.toContain(piece.toLowerCase());
			}
		}
	});

	it.each(['generic-token', 'mailgun-json'])('--tamper where the signature does not cover the body (%s): the forged value, one character from the real one, is masked in an echoed answer too', async (name) => {
		const testCase = byName.get(name)!;
		const run = await runSender(argsFor(testCase, ['--tamper'], 'echo'), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/tampered +one character of/);
		const forged = secretValues(testCase, verified[0].request).slice(1);
		expect(forged.length).toBeGreaterThan(0);
		expectNothingSecret(run, [testCase.secret, ...forged]);
		if (name === 'generic-token') expect(run.stdout).toContain('"authorization":"[hidden]"');
	});

	it('--tamper against a receiver that does not verify: exit 1 and a warning', async () => {
		const testCase = byName.get('github')!;
		const run = await runSender(argsFor(testCase, ['--tamper'], 'accept-all'), { env: { WEBHOOK_SECRET: testCase.secret } });
		expect(run.stdout).toContain('HTTP 200');
		expect(run.stderr).toContain('ACCEPTED the tampered delivery');
		expect(run.code).toBe(1);
	});

	it('a plain run that gets 401 (wrong secret) exits 1 and prints the reason', async () => {
		const testCase = byName.get('github')!;
		const run = await runSender(argsFor(testCase), { env: { WEBHOOK_SECRET: text('wrong') } });
		expect(verified[0].result).toMatchObject({ valid: false, reason: 'invalid_signature' });
		expect(run.stdout).toContain('HTTP 401');
		expect(run.stdout).toContain('invalid_signature');
		expect(run.code).toBe(1);
	});
});

describe('reliable-webhooks-send refuses what it must', () => {
	const secretValue = `do-not-show-${randomBytes(8).toString('hex')}`;

	it.each([
		['--secret <value>', ['--secret', secretValue]],
		['--secret=<value>', [`--secret=${secretValue}`]],
	])('%s is refused with the reason, before anything is sent, without echoing the value', async (_label, secretArgs) => {
		const run = await runSender(['-p', 'github', '-u', `${receiver.url}/hook/github`, '-d', '{}', ...secretArgs], { env: { WEBHOOK_SECRET: secretValue } });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('--secret is refused');
		expect(run.stderr).toContain('ps');
		expect(run.stderr).toContain('WEBHOOK_SECRET');
		expect(receiver.requests).toHaveLength(0);
		expectNothingSecret(run, [secretValue]);
	});

	it('a stray positional argument (a pasted secret) is refused without echoing it', async () => {
		const run = await runSender(['-p', 'github', '-u', `${receiver.url}/hook/github`, secretValue], { env: { WEBHOOK_SECRET: secretValue } });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('no positional arguments');
		expectNothingSecret(run, [secretValue]);
		expect(receiver.requests).toHaveLength(0);
	});

	it('no secret anywhere: exit 2, naming the variable and --secret-stdin', async () => {
		const run = await runSender(['-p', 'github', '-u', `${receiver.url}/hook/github`, '-d', '{}']);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('WEBHOOK_SECRET');
		expect(run.stderr).toContain('--secret-stdin');
		expect(receiver.requests).toHaveLength(0);
	});

	it('stdin cannot carry both the body and the secret', async () => {
		const run = await runSender(['-p', 'github', '-u', `${receiver.url}/hook/github`, '--body', '-', '--secret-stdin'], { stdin: 'x' });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('stdin cannot carry both');
		expect(receiver.requests).toHaveLength(0);
	});

	it('sendgrid (ECDSA, verify only) gets a clear message and nothing is sent', async () => {
		const run = await runSender(['-p', 'sendgrid', '-u', `${receiver.url}/hook/sendgrid`, '-d', '[]'], { env: { WEBHOOK_SECRET: secretValue } });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('sendgrid cannot be signed here');
		expect(run.stderr).toContain('ECDSA');
		expect(receiver.requests).toHaveLength(0);
	});

	it('a secret sign() cannot use is refused by name, never by value', async () => {
		const padded = ` ${secretValue}\n`;
		const run = await runSender(['-p', 'github', '-u', `${receiver.url}/hook/github`, '-d', '{}'], { env: { WEBHOOK_SECRET: padded } });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('Cannot sign: secret (Webhook secret) starts or ends with whitespace');
		expect(run.stderr).not.toContain('sign():');
		expectNothingSecret(run, [secretValue]);
		expect(receiver.requests).toHaveLength(0);
	});

	it('an event type for a provider that carries none, an unknown provider option and an unknown provider are refused', async () => {
		const env = { WEBHOOK_SECRET: secretValue };
		const base = ['-u', `${receiver.url}/hook/x`, '-d', '{}'];
		const noEvent = await runSender(['-p', 'twilio', ...base, '-e', 'call'], { env });
		const badOption = await runSender(['-p', 'generic-hmac', ...base, '-o', 'algorithmm=sha512'], { env });
		const badValue = await runSender(['-p', 'generic-hmac', ...base, '-o', 'algorithm=md5'], { env });
		const unknown = await runSender(['-p', 'githubb', ...base], { env });
		expect([noEvent.code, badOption.code, badValue.code, unknown.code]).toEqual([2, 2, 2, 2]);
		expect(noEvent.stderr).toContain('Twilio carries no event type');
		expect(badOption.stderr).toContain('Unknown provider option "algorithmm"');
		expect(badValue.stderr).toContain('options.algorithm must be one of sha1, sha256, sha512');
		expect(unknown.stderr).toContain('Unknown provider "githubb"');
		expect(receiver.requests).toHaveLength(0);
	});

	it('--help lists every provider from `providers`, and the secret rules', async () => {
		const run = await runSender(['--help']);
		expect(run.code).toBe(0);
		for (const info of providers) expect(run.stdout).toMatch(new RegExp(`^  ${info.id} +${info.displayName.replace(/[()]/g, '\\$&')}`, 'm'));
		expect(run.stdout).toContain('--secret is refused on purpose');
		expect(run.stdout).toContain('WEBHOOK_SECRET');
	});
});
