import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
