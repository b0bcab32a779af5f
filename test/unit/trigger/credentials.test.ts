import { generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { verify } from '../../../nodes/core/signatures';
import type { ICredentialsDecrypted } from 'n8n-workflow';
import { checkPublicKey, checkSigningSecret, parsePublicKey } from '../../../nodes/SignedWebhookTrigger/credentialChecks';
import { SignedWebhookTrigger } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';
import { WebhookPublicKeyApi } from '../../../credentials/WebhookPublicKeyApi.credentials';
import { WebhookSigningSecretApi } from '../../../credentials/WebhookSigningSecretApi.credentials';

const node = new SignedWebhookTrigger();
const testSecret = (data: Record<string, unknown>) =>
	node.methods.credentialTest.webhookSigningSecretApiTest.call({} as never, { data } as unknown as ICredentialsDecrypted);
const testKey = (data: Record<string, unknown>) =>
	node.methods.credentialTest.webhookPublicKeyApiTest.call({} as never, { data } as unknown as ICredentialsDecrypted);

describe('signing secret format check', () => {
	it.each([
		['a plain secret', 'my-github-secret', true],
		['a Standard Webhooks secret', `whsec_${randomBytes(24).toString('base64')}`, true],
		['a Stripe-style secret', 'whsec_abcdefghijklmnopqrstuvwxyz012345', true],
		['an unpadded base64 whsec_ secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', true],
		['empty', '', false],
		['whsec_ with nothing after', 'whsec_', false],
		['whsec_ with non-base64', 'whsec_not base64!', false],
		['leading whitespace', ' secret', false],
		['trailing newline', 'secret\n', false],
	])('%s → ok=%s', (_label, value, ok) => {
		expect(checkSigningSecret(value).ok).toBe(ok);
	});

	it('a whsec_ secret that is not base64 is fine where it is used as text (Stripe)', () => {
		expect(checkSigningSecret('whsec_not base64!', false).ok).toBe(true);
		expect(checkSigningSecret('whsec_not base64!', true).ok).toBe(false);
		expect(checkSigningSecret('whsec_', false).ok).toBe(false);
	});

	it('the credential test names the field and the problem, never the value', async () => {
		const secret = 'whsec_%%%secret-value%%%';
		const result = await testSecret({ secret: 'fine-secret', previousSecret: secret });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Previous Secret /);
		expect(result.message).not.toContain('secret-value');
		expect(result.message).not.toContain('fine-secret');
	});

	it('passes a current secret with optional previous ones left empty', async () => {
		expect((await testSecret({ secret: 'abc', previousSecret: '', olderSecret: '' })).status).toBe('OK');
	});

	it('refuses whsec_ secrets that decode to fewer than 16 bytes (issue 10: whsec_QQ== is 1 byte), naming the field', async () => {
		const result = await testSecret({ secret: 'whsec_QQ==' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Current Secret decodes to 1 byte; at least 16 are needed/) });
		expect(result.message).not.toContain('QQ==');
		expect((await testSecret({ secret: `whsec_${Buffer.alloc(16, 3).toString('base64')}` })).status).toBe('OK');
	});

	it('fails an empty current secret', async () => {
		expect(await testSecret({ secret: '' })).toEqual({ status: 'Error', message: 'Current Secret is empty' });
	});
});

describe('public key format check (node:crypto parses it)', () => {
	const ed = generateKeyPairSync('ed25519');
	const edRaw = ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
	const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const ecDerBase64 = ec.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
	const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });

	it.each([
		['Discord hex', edRaw.toString('hex'), 'ed25519'],
		['Discord hex, upper case', edRaw.toString('hex').toUpperCase(), 'ed25519'],
		['Standard Webhooks whpk_', `whpk_${edRaw.toString('base64')}`, 'ed25519'],
		['SendGrid base64 DER', ecDerBase64, 'ec'],
		['PEM', ec.publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'ec'],
	])('%s parses as %s', (_label, text, type) => {
		expect(parsePublicKey(text)?.asymmetricKeyType).toBe(type);
		expect(checkPublicKey(text).ok).toBe(true);
	});

	it.each([
		['63 hex characters', edRaw.toString('hex').slice(1)],
		['whpk_ of 31 bytes', `whpk_${edRaw.subarray(1).toString('base64')}`],
		['random base64', randomBytes(40).toString('base64')],
		['text', 'not a key'],
		['empty', ''],
	])('%s is refused', (_label, text) => {
		expect(checkPublicKey(text).ok).toBe(false);
	});

	it('an RSA key parses but is refused: only Ed25519 and ECDSA are used', () => {
		const result = checkPublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString());
		expect(result).toEqual({ ok: false, problem: expect.stringContaining('rsa') });
	});

	it('the credential test reports which field is wrong', async () => {
		expect((await testKey({ publicKey: edRaw.toString('hex') })).status).toBe('OK');
		const bad = await testKey({ publicKey: edRaw.toString('hex'), previousPublicKey: 'zz' });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/^Previous Public Key /);
	});
});

describe('credential types', () => {
	it('signing secret: name, password fields, icon and documentation', () => {
		const credential = new WebhookSigningSecretApi();
		expect(credential.name).toBe('webhookSigningSecretApi');
		for (const property of credential.properties) expect(property.typeOptions?.password).toBe(true);
		expect(credential.properties.map((p) => p.name)).toEqual(['secret', 'previousSecret', 'olderSecret', 'verifyToken']);
		expect(credential.icon).toBeDefined();
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	it('public key: name and fields', () => {
		const credential = new WebhookPublicKeyApi();
		expect(credential.name).toBe('webhookPublicKeyApi');
		expect(credential.properties.map((p) => p.name)).toEqual(['publicKey', 'previousPublicKey']);
	});

	it('the node tests both credentials (testedBy points at an existing method)', () => {
		for (const credential of node.description.credentials ?? []) {
			expect(typeof credential.testedBy).toBe('string');
			expect(node.methods.credentialTest).toHaveProperty(credential.testedBy as string);
		}
	});
});

/**
 * Issue 11, item 4: the credential test and the verifier cannot disagree about one key. For every way a key can be
 * pasted, the credential test accepts it exactly when some provider's verify() accepts a request signed with it.
 * Before the checks called the verifier's own parsers, an Ed25519 key in PEM or base64 DER passed the credential
 * test and then never verified, and a base64url whpk_ key verified but failed the test.
 */
describe('credential test and verifier agree on every public key', () => {
	const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
	const ts = String(NOW / 1000);
	const body = '{"type":1,"id":"x"}';

	function verifiedBySomeProvider(publicKeyText: string, privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'], type: 'ed25519' | 'ec'): boolean {
		const results = [];
		if (type === 'ed25519') {
			const discordSignature = cryptoSign(null, Buffer.from(ts + body), privateKey).toString('hex');
			results.push(verify({ provider: 'discord', secrets: [publicKeyText], body, now: NOW, headers: { 'X-Signature-Ed25519': discordSignature, 'X-Signature-Timestamp': ts } }));
			const id = 'msg_1';
			const v1a = cryptoSign(null, Buffer.from(`${id}.${ts}.${body}`), privateKey).toString('base64');
			results.push(verify({ provider: 'standard-webhooks', secrets: [publicKeyText], body, now: NOW, headers: { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1a,${v1a}` } }));
		} else {
			const der = cryptoSign('sha256', Buffer.from(ts + body), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
			results.push(verify({ provider: 'sendgrid', secrets: [publicKeyText], body, now: NOW, headers: { 'X-Twilio-Email-Event-Webhook-Signature': der, 'X-Twilio-Email-Event-Webhook-Timestamp': ts } }));
		}
		return results.some((result) => result.valid);
	}

	const ed = generateKeyPairSync('ed25519');
	const edRaw = ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
	const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const ecDer = ec.publicKey.export({ format: 'der', type: 'spki' });

	const cases: Array<[string, string, 'ed25519' | 'ec']> = [
		['Ed25519 hex', edRaw.toString('hex'), 'ed25519'],
		['Ed25519 hex, upper case', edRaw.toString('hex').toUpperCase(), 'ed25519'],
		['Ed25519 hex with a trailing line break', `${edRaw.toString('hex')}\n`, 'ed25519'],
		['whpk_ padded base64', `whpk_${edRaw.toString('base64')}`, 'ed25519'],
		['whpk_ unpadded base64', `whpk_${edRaw.toString('base64').replace(/=+$/, '')}`, 'ed25519'],
		['whpk_ base64url', `whpk_${edRaw.toString('base64url')}`, 'ed25519'],
		['Ed25519 PEM', ed.publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'ed25519'],
		['Ed25519 base64 DER', ed.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), 'ed25519'],
		['ECDSA base64 DER', ecDer.toString('base64'), 'ec'],
		['ECDSA base64 DER, unpadded', ecDer.toString('base64').replace(/=+$/, ''), 'ec'],
		['ECDSA PEM', ec.publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'ec'],
		['ECDSA hex DER', ecDer.toString('hex'), 'ec'],
	];

	it.each(cases)('%s', (_label, text, type) => {
		const privateKey = type === 'ed25519' ? ed.privateKey : ec.privateKey;
		expect(checkPublicKey(text).ok).toBe(verifiedBySomeProvider(text, privateKey, type));
	});

	it('both sides accept the common forms (the agreement above is not agreement on refusing everything)', () => {
		for (const [label, text, type] of cases.filter(([label]) => /hex$|padded|ECDSA base64 DER$|ECDSA PEM/.test(label))) {
			expect([label, checkPublicKey(text).ok]).toEqual([label, true]);
			expect([label, verifiedBySomeProvider(text, type === 'ed25519' ? ed.privateKey : ec.privateKey, type)]).toEqual([label, true]);
		}
	});
});
