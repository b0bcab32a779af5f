/**
 * GitHub × @octokit/webhooks-methods (ESM-only, called through esm-oracle.mjs): its sign → our verify, our sign → its
 * verify, one changed byte refused by both. GitHub signs the raw body: `sha256=` + hex HMAC-SHA256 (GitHub docs,
 * "Validating webhook deliveries").
 */
import { sign, verify } from '../../nodes/core';
import { EMPTY, JSON_BODIES, changeOneByte } from './bodies';
import { oracle } from './oracle';

const SECRET = 'It\'s a Secret to Everybody';

describe('GitHub × @octokit/webhooks-methods', () => {
	const jsonBodies = JSON_BODIES;
	const ours = jsonBodies.map(([, body]) => sign({ provider: 'github', secret: SECRET, body })['X-Hub-Signature-256']);
	const results = oracle([
		...jsonBodies.map(([, body]) => ({ fn: 'octokit.sign', args: [SECRET, body] })),
		...jsonBodies.map(([, body], i) => ({ fn: 'octokit.verify', args: [SECRET, body, ours[i]] })),
		...jsonBodies.map(([, body], i) => ({ fn: 'octokit.verify', args: [SECRET, changeOneByte(body), ours[i]] })),
		// GitHub's published example (docs: secret "It's a Secret to Everybody", payload "Hello, World!").
		{ fn: 'octokit.sign', args: [SECRET, 'Hello, World!'] },
		{ fn: 'octokit.sign', args: [SECRET, ''] },
	]);
	const n = jsonBodies.length;

	test.each(jsonBodies.map(([name, body], i) => [name, body, i] as const))('%s: octokit signs, our verify accepts; one changed byte is refused', (_name, body, i) => {
		expect(results[i]).toMatchObject({ ok: true });
		const headers = { 'X-Hub-Signature-256': String((results[i] as { value: unknown }).value), 'X-GitHub-Event': 'push' };
		expect(verify({ provider: 'github', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, eventType: 'push' });
		expect(verify({ provider: 'github', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(jsonBodies.map(([name], i) => [name, i] as const))('%s: we sign, octokit verify accepts; one changed byte is refused', (_name, i) => {
		expect(results[n + i]).toEqual({ ok: true, value: true });
		expect(results[2 * n + i]).toEqual({ ok: true, value: false });
	});

	test('GitHub\'s published example signature, from octokit and from us', () => {
		const published = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
		expect(results[3 * n]).toEqual({ ok: true, value: published });
		expect(sign({ provider: 'github', secret: SECRET, body: 'Hello, World!' })['X-Hub-Signature-256']).toBe(published);
	});

	test('known case: octokit refuses to sign an empty payload; we sign it as GitHub\'s scheme defines (HMAC of zero bytes)', () => {
		expect(results[3 * n + 1]).toMatchObject({ ok: false, error: expect.stringContaining('secret & payload required') });
		const headers = sign({ provider: 'github', secret: SECRET, body: EMPTY });
		expect(verify({ provider: 'github', secrets: [SECRET], headers, body: EMPTY }).valid).toBe(true);
		expect(verify({ provider: 'github', secrets: [SECRET], headers, body: ' ' }).valid).toBe(false);
	});
});
