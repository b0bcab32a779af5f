/**
 * The editor's test-event flow as a new user goes through it, in a real n8n (latest and floor) driven through Debian's
 * chromium: add the Signed Webhook Trigger, save a credential, copy the Test URL the panel shows, click the trigger
 * panel's button (n8n labels it "Execute step" for a community trigger, then listens for a test event), and send to
 * that URL with the package's own test sender (bin/reliable-webhooks-send.js, the same sign() as the API; the secret
 * in its environment, as the README says).
 *
 *  - GitHub: a tampered delivery (`--tamper`) gets 401 and the editor keeps listening; the signed one then shows its
 *    item in the output panel.
 *  - Twilio signs the URL: a delivery signed for the production URL but sent to the test URL gets 401 and the editor
 *    keeps listening; one signed for the test URL (query string included) shows its item.
 *  - Before listening, the trigger panel says to send a signed request to the Test URL (the node's triggerPanel).
 *
 * Screenshots of each step go to .artifacts/screenshots/test-event-<version>-*.png.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';

import {
	choose,
	closeCredential,
	closeNdv,
	credentialModal,
	dismissToasts,
	fillCredential,
	ndv,
	shownValue,
	signIn,
	startBrowser,
	type BrowserSession,
} from '../harness/browser';
import { send } from '../harness/http';
import { repoRoot, startN8n, type N8nInstance } from '../harness/n8n';

jest.setTimeout(240_000);

const UI_TIMEOUT = 30_000;
const senderBin = path.join(repoRoot, 'bin', 'reliable-webhooks-send.js');
// The built package (dist/), as the sender and a user's own code load it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sign } = require(path.join(repoRoot, 'index.js')) as typeof import('../../nodes/core');

/**
 * Runs the test sender as a user does (`npx reliable-webhooks-send ...`), the secret in WEBHOOK_SECRET. Resolves with
 * its exit code and what it printed; the HTTP status is read from its "HTTP <status>" line.
 */
async function sendWithSender(secret: string, args: string[]): Promise<{ code: number; status: number; output: string }> {
	const run = promisify(execFile)(process.execPath, [senderBin, ...args], {
		env: { ...process.env, WEBHOOK_SECRET: secret },
		timeout: 60_000,
	});
	let code = 0;
	let output: string;
	try {
		const { stdout, stderr } = await run;
		output = stdout + stderr;
	} catch (error) {
		const failed = error as { code?: number; stdout?: string; stderr?: string };
		code = typeof failed.code === 'number' ? failed.code : -1;
		output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
	}
	const status = Number(/^HTTP (\d{3})\b/m.exec(output)?.[1] ?? 0);
	// The sender never prints the secret.
	expect(output).not.toContain(secret);
	return { code, status, output };
}

describe.each(['latest', 'floor'])("the editor's test event (%s)", (version) => {
	let n8n: N8nInstance;
	let browser: BrowserSession;
	let page: Page;
	const shot = async (name: string) => {
		await dismissToasts(page);
		await browser.screenshot(`test-event-${version}-${name}`);
	};
	const githubSecret = `gh-${randomBytes(16).toString('hex')}`;
	let testUrl = '';

	beforeAll(async () => {
		n8n = await startN8n({ version, workflows: [] });
		browser = await startBrowser({ colorScheme: 'light' });
		page = browser.page;
		page.setDefaultTimeout(UI_TIMEOUT);
	});

	afterAll(async () => {
		await browser?.stop();
		await n8n?.stop();
	});

	/** The trigger panel's button: "Execute step", then "Stop Listening" while it listens. */
	const listenButton = () => ndv(page).getByTestId('trigger-execute-button').first();
	const listening = () => ndv(page).getByTestId('trigger-listening');
	const outputPanel = () => ndv(page).getByTestId('output-panel').or(ndv(page).getByTestId('ndv-output-panel')).first();

	/** Opens "Webhook URLs" above the parameters (collapsed for every node but n8n's own) and reads the Test URL. */
	async function testUrlShown(): Promise<string> {
		const section = ndv(page).locator('.webhooks');
		const url = section.locator('.webhook-url').first();
		if (!(await url.isVisible())) await section.locator('.headline').first().click();
		await url.waitFor({ state: 'visible' });
		return (await url.innerText()).trim();
	}

	/** Creates a Webhook Signing Secret credential through the slot's dialog (a new one, even if one is selected). */
	async function createSigningSecret(secret: string): Promise<void> {
		// 2.x shows "Connect to …" while none exists, 1.x a list; both lists end with "Create new credential".
		const connect = ndv(page).getByTestId('node-credentials-empty-state');
		if (await connect.isVisible()) {
			await connect.click();
		} else {
			await ndv(page).getByTestId('node-credentials-select').click();
			await page.getByTestId('node-credentials-select-item-new').first().click();
		}
		await credentialModal(page).waitFor({ state: 'visible' });
		await fillCredential(page, { secret });
		// Saved and tested: 2.x closes the dialog, 1.x shows the passed test in it. A click that lands while the
		// dialog is still settling is sometimes ignored: click again (an update of the same credential) if neither.
		const passed = credentialModal(page).getByText('Connection tested successfully').filter({ visible: true });
		for (let attempt = 1; ; attempt++) {
			await credentialModal(page).getByTestId('credential-save-button').click();
			let saved = false;
			for (const deadline = Date.now() + 10_000; !saved && Date.now() < deadline; await page.waitForTimeout(100)) {
				saved = !(await credentialModal(page).isVisible()) || (await passed.first().isVisible());
			}
			if (saved) break;
			if (attempt >= 3) throw new Error(`the credential was not saved:\n${await credentialModal(page).innerText()}`);
		}
		await closeCredential(page);
	}

	/** Clicks the trigger panel's button and waits until the panel says it listens for a test event. */
	async function listen(): Promise<void> {
		await listenButton().click();
		await listening().waitFor({ state: 'visible' });
	}

	/** Waits until the output panel shows a run whose text contains every one of `texts`. */
	async function expectOutput(texts: string[]): Promise<string> {
		let shown = '';
		for (const deadline = Date.now() + UI_TIMEOUT; Date.now() < deadline; await page.waitForTimeout(200)) {
			shown = await outputPanel().innerText().catch(() => '');
			if (texts.every((text) => shown.includes(text))) return shown;
		}
		throw new Error(`the output panel never showed ${texts.join(', ')}; it shows:\n${shown.slice(0, 2000)}`);
	}

	test('a new workflow with the Signed Webhook Trigger: the panel says where to send, the Test URL is shown', async () => {
		await signIn(page, n8n.baseUrl);
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.getByTestId('canvas-plus-button').click();
		await page.getByTestId('node-creator-search-bar').first().fill('signed webhook');
		await page
			.getByTestId('item-iterator-item')
			.filter({ has: page.getByTestId('node-creator-item-name').getByText('Signed Webhook Trigger', { exact: true }) })
			.first()
			.click();
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		await addButton.or(ndv(page)).first().waitFor({ state: 'visible' });
		if (await addButton.isVisible()) await addButton.click();
		await ndv(page).waitFor({ state: 'visible' });
		await expect(shownValue(page, 'provider')).resolves.toBe('GitHub');
		await createSigningSecret(githubSecret);

		// The node's triggerPanel, before listening: what to do, and (in its help) where the Test URL is.
		await ndv(page).getByText('Listen, then send a signed request to the Test URL').waitFor({ state: 'visible' });
		testUrl = await testUrlShown();
		expect(testUrl).toMatch(new RegExp(`^${n8n.baseUrl.replace(/\./g, '\\.')}/webhook-test/[0-9a-f-]{36}$`));
		await shot('01-trigger-panel');

		// Its help explains both modes and how to test a provider that signs the URL.
		await ndv(page).getByText('When will this node trigger my flow?').click();
		for (const text of ['Test mode, while you build', 'Production mode', 'Twilio, Square, HubSpot', 'Public URL']) {
			await ndv(page).getByText(text).first().waitFor({ state: 'visible' });
		}
		await shot('01b-trigger-panel-help');
		await ndv(page).getByText('When will this node trigger my flow?').click();
	});

	test('GitHub: a tampered delivery to the Test URL gets 401 and the editor keeps listening; the signed one shows its item', async () => {
		expect(testUrl).not.toBe('');
		const secret = githubSecret;
		await listen();
		await shot('02-listening');
		// While it listens, the canvas shows the node's eventTriggerDescription: the one line a community trigger
		// controls then (n8n prints the URL itself only for its own Webhook node).
		await closeNdv(page);
		await page.getByTestId('canvas').getByText('Waiting for a signed call to the Test URL').waitFor({ state: 'visible' });
		await shot('02b-canvas-waiting');
		await page.getByTestId('canvas-node').filter({ hasText: 'Signed Webhook Trigger' }).first().dblclick();
		await listening().waitFor({ state: 'visible' });

		const deliveryId = `editor-${randomBytes(6).toString('hex')}`;
		const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/editor-test' } });
		const common = ['--provider', 'github', '--url', testUrl, '--event', 'push', '--delivery-id', deliveryId, '--data', body];

		const forged = await sendWithSender(secret, [...common, '--tamper']);
		expect(forged).toMatchObject({ code: 0, status: 401 });
		expect(forged.output).toContain('invalid_signature');
		// Still listening: the panel says so, and the test URL still answers the next delivery.
		await listening().waitFor({ state: 'visible' });
		await shot('03-still-listening-after-401');

		const genuine = await sendWithSender(secret, common);
		expect(genuine).toMatchObject({ code: 0, status: 200 });
		const shown = await expectOutput([deliveryId, 'acme/editor-test']);
		expect(shown).not.toContain(secret);
		await listening().waitFor({ state: 'hidden' });
		await shot('04-item-in-output');

		// Listening ended with that delivery: the test URL is no longer registered.
		const late = await send(testUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(late.status).toBe(404);
	});

	test('Twilio signs the URL: signed for the Test URL it verifies, signed for the production URL it gets 401', async () => {
		await choose(page, 'provider', 'Twilio');
		// Twilio's Auth Token: 32 hex digits (twilio.com/docs/iam/api/authtoken).
		const authToken = randomBytes(16).toString('hex');
		await createSigningSecret(authToken);
		const twilioUrl = `${await testUrlShown()}?source=editor`;
		const productionUrl = twilioUrl.replace('/webhook-test/', '/webhook/');
		const form = `AccountSid=AC${'0'.repeat(32)}&Body=Editor+test&From=%2B15005550006&MessageSid=SM${randomBytes(16).toString('hex')}`;

		await listen();
		// Signed for the other mode's URL: what the sender would send if it was given the production URL.
		const wrongUrl = await send(twilioUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				...sign({ provider: 'twilio', secret: authToken, body: form, url: productionUrl }),
			},
			body: form,
		});
		expect(wrongUrl.status).toBe(401);
		expect(wrongUrl.json).toEqual({ error: 'invalid_signature', message: expect.any(String) });
		await listening().waitFor({ state: 'visible' });

		const genuine = await sendWithSender(authToken, ['--provider', 'twilio', '--url', twilioUrl, '--data', form]);
		expect(genuine).toMatchObject({ code: 0, status: 200 });
		await expectOutput(['Editor test', '+15005550006']);
		await shot('05-twilio-item-in-output');
	});
});
