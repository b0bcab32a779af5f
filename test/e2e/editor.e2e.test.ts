/**
 * The editor as a user sees it: a real n8n with the packed package installed, Debian's chromium driven by
 * playwright-core, a real redis-server for the Dedupe Redis credential test.
 *
 * Signs in as the owner, finds each node through the node panel's search, adds it to a canvas, opens its parameter
 * panel, checks the defaults and the notices that warn about weakening settings, creates every credential type through
 * its dialog (a bad value first: the credential test must say what is wrong; then a good one: it must pass), saves
 * the workflow and opens it again in the dark theme. Every step leaves a screenshot in .artifacts/screenshots/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';

import {
	choose,
	closeCredential,
	closeNdv,
	credentialModal,
	fillCredential,
	ndv,
	screenshotDir,
	shownValue,
	signIn,
	startBrowser,
	type BrowserSession,
} from '../harness/browser';
import { packageName, startN8n, type N8nInstance } from '../harness/n8n';
import { startRedis, type RedisServer } from '../harness/redis';

jest.setTimeout(240_000);

const UI_TIMEOUT = 30_000;
let n8n: N8nInstance;
let redis: RedisServer;
let light: BrowserSession;
let workflowUrl = '';

beforeAll(async () => {
	fs.rmSync(screenshotDir, { recursive: true, force: true });
	redis = await startRedis();
	n8n = await startN8n({ workflows: [] });
	light = await startBrowser({ colorScheme: 'light' });
	light.page.setDefaultTimeout(UI_TIMEOUT);
});

afterAll(async () => {
	await light?.stop();
	await n8n?.stop();
	await redis?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers: each one does what a user does, and fails with what was on screen.


/** Our icons inside `scope` whose file matches `file` (at least one) have loaded with a size: a broken icon fails here. */
async function expectIconsLoaded(scope: Locator, file: RegExp): Promise<string[]> {
	const ours = scope.locator(`img[src*="/icons/${packageName}/"]`);
	await ours.first().waitFor({ state: 'visible' });
	const loaded = await ours.evaluateAll(async (elements) => {
		const imgs = elements as HTMLImageElement[];
		await Promise.all(
			imgs.map((img) =>
				img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true })),
			),
		);
		return imgs.map((img) => ({ src: img.getAttribute('src') ?? '', width: img.naturalWidth, height: img.naturalHeight }));
	});
	const matching = loaded.filter((image) => file.test(image.src));
	if (matching.length === 0) {
		throw new Error(`no icon matching ${file} here; icons shown: ${loaded.map((image) => image.src).join(', ')}`);
	}
	for (const image of matching) {
		if (image.width === 0 || image.height === 0) throw new Error(`icon did not load: ${image.src}`);
	}
	return matching.map((image) => image.src);
}

/** Closes whatever a failed step may have left open, so that the next step starts from the canvas. */
async function backToCanvas(page: Page): Promise<void> {
	if (await credentialModal(page).isVisible()) await closeCredential(page);
	if (await ndv(page).isVisible()) await closeNdv(page);
}

/** Opens the node panel, searches, checks the hit (name, description, icon), screenshots it and adds the node. */
async function addNodeBySearch(
	page: Page,
	query: string,
	nodeName: string,
	icon: RegExp,
	shot: string,
	action?: string,
): Promise<void> {
	await backToCanvas(page);
	const emptyCanvas = page.getByTestId('canvas-plus-button');
	if (await emptyCanvas.isVisible()) await emptyCanvas.click();
	else await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').first().fill(query);
	const hit = page
		.getByTestId('item-iterator-item')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText(nodeName, { exact: true }) })
		.first();
	await hit.waitFor({ state: 'visible' });
	// Ours is the first hit for its own search words.
	expect((await page.getByTestId('node-creator-item-name').first().innerText()).trim()).toBe(nodeName);
	await expectIconsLoaded(hit, icon);
	await light.screenshot(shot);
	await hit.click();
	// A community node first shows its details page: "Add to workflow", or its list of actions.
	if (action) {
		await page.getByTestId('node-creator').getByText(action, { exact: true }).click();
	} else {
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		await addButton.or(ndv(page)).first().waitFor({ state: 'visible' });
		if (await addButton.isVisible()) await addButton.click();
	}
	await page.getByTestId('ndv').waitFor({ state: 'visible' });
	await expect(page.getByTestId('ndv').getByTestId('node-title-container').innerText()).resolves.toContain(nodeName);
}



/** Parameter names in the order the panel shows them. */
async function parameterOrder(page: Page): Promise<string[]> {
	const ids = await ndv(page)
		.getByTestId('node-parameters')
		.locator('[data-test-id^="parameter-input-"]')
		.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-test-id') ?? ''));
	return ids.map((id) => id.replace('parameter-input-', '')).filter((name) => name !== 'field');
}

function expectInOrder(actual: string[], expected: string[]): void {
	const positions = expected.map((name) => actual.indexOf(name));
	if (positions.some((p) => p < 0) || positions.some((p, i) => i > 0 && p < positions[i - 1])) {
		throw new Error(`parameters not in the expected order.\nexpected (in order): ${expected.join(', ')}\nshown: ${actual.join(', ')}`);
	}
}


async function isOn(page: Page, parameter: string): Promise<boolean> {
	return await ndv(page)
		.getByTestId(`parameter-input-${parameter}`)
		.first()
		.evaluate((element) => {
			const box = element.querySelector('input[type=checkbox]') as HTMLInputElement | null;
			const aria = element.querySelector('[role=switch]')?.getAttribute('aria-checked');
			return box ? box.checked : aria === 'true';
		});
}

async function toggle(page: Page, parameter: string): Promise<void> {
	await ndv(page).getByTestId(`parameter-input-${parameter}`).first().locator('.el-switch, [role=switch]').first().click();
}

const notices = (page: Page) => ndv(page).locator('.notice[role=alert]');

async function expectNotice(page: Page, text: string): Promise<Locator> {
	const notice = notices(page).filter({ hasText: text });
	await notice.first().waitFor({ state: 'visible' });
	return notice.first();
}

async function expectNoNotice(page: Page, text: string): Promise<void> {
	await notices(page).filter({ hasText: text }).first().waitFor({ state: 'hidden' });
}



/** Saves the open credential; n8n runs its test on save. Returns the error n8n shows, or '' when it passed. */
async function saveAndTest(page: Page): Promise<string> {
	const modal = credentialModal(page);
	const isTest = (response: { request(): { method(): string }; url(): string }) =>
		response.request().method() === 'POST' && new URL(response.url()).pathname === '/rest/credentials/test';
	// A click that lands while the dialog is still settling is sometimes ignored: save again (an update of the
	// same credential) when no test went out, rather than fail on one try.
	let response;
	for (let attempt = 1; !response; attempt++) {
		const tested = page.waitForResponse(isTest, { timeout: 20_000 });
		await modal.getByTestId('credential-save-button').click();
		response = await tested.catch((error) => {
			if (attempt >= 3) throw error;
			return undefined;
		});
	}
	const result = (await response.json()).data as { status: string; message: string };
	const failed = modal.getByText('Couldn’t connect with these settings');
	if (result.status === 'OK') {
		// A new credential whose test passes closes the dialog; an edited one shows the passed test.
		const passed = modal.getByText('Connection tested successfully');
		for (const deadline = Date.now() + UI_TIMEOUT; Date.now() < deadline; await page.waitForTimeout(100)) {
			if (!(await modal.isVisible()) || (await passed.isVisible())) return '';
		}
		throw new Error(`n8n answered OK but the dialog shows no passed test:\n${await modal.innerText()}`);
	}
	await failed.waitFor({ state: 'visible' });
	const details = modal.getByText('More details');
	if (await details.isVisible()) await details.click();
	// What the dialog shows must be what the test answered.
	await modal.getByText(result.message, { exact: true }).waitFor({ state: 'visible' });
	return result.message;
}

/** Opens the node's credential slot: a new credential ("Connect to …"), or the edit dialog of the chosen one. */
async function openCredential(page: Page): Promise<void> {
	const slot = ndv(page).getByTestId('node-credentials-slot');
	const connect = slot.getByTestId('node-credentials-empty-state');
	if (await connect.isVisible()) await connect.click();
	else await slot.getByTestId('credential-edit-button').click();
	await credentialModal(page).waitFor({ state: 'visible' });
}


/**
 * Creates a credential through its dialog the way a user does: a wrong value first (the test must name the problem),
 * then the right one (the test must pass), with screenshots of both answers.
 */
async function createCredential(
	page: Page,
	spec: { title: string; iconFile: string; bad: Record<string, string>; badMessage: RegExp; good: Record<string, string>; shot: string },
): Promise<void> {
	await openCredential(page);
	const modal = credentialModal(page);
	await expect(modal.innerText()).resolves.toContain(spec.title);
	await expectIconsLoaded(modal, new RegExp(`/credentials/icons/${spec.iconFile}\\.svg$`));
	await fillCredential(page, spec.bad);
	await light.screenshot(`${spec.shot}-a-form`);
	const problem = await saveAndTest(page);
	await light.screenshot(`${spec.shot}-b-test-failed`);
	expect(problem).toMatch(spec.badMessage);
	await fillCredential(page, spec.good);
	await expect(saveAndTest(page)).resolves.toBe('');
	// Open it again: the dialog shows the passed test.
	await closeCredential(page);
	await openCredential(page);
	await credentialModal(page).getByText('Connection tested successfully').waitFor({ state: 'visible' });
	await light.screenshot(`${spec.shot}-c-test-passed`);
	await closeCredential(page);
}

/** The credential slot as the user reads it: its label and the credential chosen in it. */
async function credentialSlotText(page: Page): Promise<string> {
	return await ndv(page)
		.getByTestId('node-credentials-slot')
		.evaluate((slot) =>
			[(slot as HTMLElement).innerText, ...[...slot.querySelectorAll('input')].map((input) => input.value)].join(' '),
		);
}

/** Waits until the credential slot names `text` (it re-renders after the provider changes). */
async function expectCredentialSlot(page: Page, text: string): Promise<void> {
	let shown = '';
	for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(100)) {
		shown = await credentialSlotText(page);
		if (shown.includes(text)) return;
	}
	throw new Error(`the credential slot shows "${shown.trim()}", expected it to name ${text}`);
}


/** The lines of our own icons the page shows on the canvas, with the theme variant each one uses. */
async function canvasIcons(page: Page): Promise<Record<string, string>> {
	const nodes = page.getByTestId('canvas-node');
	await nodes.first().waitFor({ state: 'visible' });
	const found: Record<string, string> = {};
	for (const node of await nodes.all()) {
		const name = (await node.getAttribute('data-node-name')) ?? (await node.innerText()).split('\n')[0];
		if ((await node.locator(`img[src*="/icons/${packageName}/"]`).count()) === 0) continue;
		const [src] = await expectIconsLoaded(node, /\.svg$/);
		found[name] = src;
	}
	return found;
}

// ---------------------------------------------------------------------------------------------------------------

test('the owner signs in and opens a new workflow', async () => {
	const { page } = light;
	await signIn(page, n8n.baseUrl);
	await page.goto(`${n8n.baseUrl}/workflow/new`);
	await page.getByTestId('canvas-plus-button').waitFor({ state: 'visible' });
	await light.screenshot('01-new-workflow');
});

test('Signed Webhook Trigger: search, defaults in decision order, security notices, both credential types', async () => {
	const { page } = light;
	await addNodeBySearch(page, 'signed webhook', 'Signed Webhook Trigger', /\/signedWebhookTrigger\.svg$/, '02-trigger-search');
	await expectIconsLoaded(ndv(page), /\/signedWebhookTrigger\.svg$/);

	// Who sends, where it listens, how strict, how to answer: the order a user decides them.
	expectInOrder(await parameterOrder(page), ['provider', 'httpMethod', 'path', 'allowSha1', 'timestampCheck', 'responseMode', 'responseBody']);
	await expect(shownValue(page, 'provider')).resolves.toBe('GitHub');
	await expect(shownValue(page, 'httpMethod')).resolves.toBe('POST');
	await expect(shownValue(page, 'timestampCheck')).resolves.toBe("Provider's Default Window");
	await expect(isOn(page, 'allowSha1')).resolves.toBe(false);
	expect(await notices(page).count()).toBe(0);
	await expectCredentialSlot(page, 'Webhook Signing Secret');
	await light.screenshot('03-trigger-parameters');

	// Weakening settings get a notice right where they are switched on.
	await toggle(page, 'allowSha1');
	await expectNotice(page, 'SHA-1 is weak');
	await choose(page, 'timestampCheck', 'Off');
	await expectNotice(page, 'replayed');
	await light.screenshot('04-trigger-weakening-notices');
	await toggle(page, 'allowSha1');
	await expectNoNotice(page, 'SHA-1 is weak');
	await choose(page, 'timestampCheck', 'Custom Window');
	await expect(shownValue(page, 'toleranceSeconds')).resolves.toBe('300');
	await choose(page, 'timestampCheck', "Provider's Default Window");
	await expectNoNotice(page, 'replayed');

	await createCredential(page, {
		title: 'Webhook Signing Secret',
		iconFile: 'webhookSigningSecret',
		bad: { secret: ' secret-with-a-trailing-space ' },
		badMessage: /Current Secret starts or ends with whitespace/,
		good: { secret: `gh-${randomBytes(16).toString('hex')}` },
		shot: '05-credential-signing-secret',
	});

	// A provider that signs with a key pair asks for the other credential type.
	await choose(page, 'provider', 'Discord');
	await expectCredentialSlot(page, 'Webhook Public Key');
	const discordKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
	await createCredential(page, {
		title: 'Webhook Public Key',
		iconFile: 'webhookPublicKey',
		bad: { publicKey: 'not-a-key' },
		badMessage: /Public Key is not a public key/,
		good: { publicKey: discordKey },
		shot: '06-credential-public-key',
	});
	await choose(page, 'provider', 'GitHub');
	// n8n empties the credential slot when the provider switches credential type; the slot asks for the
	// signing-secret type again (reselecting the saved one through the slot's list proved timing-sensitive in CI).
	await expect(shownValue(page, 'provider')).resolves.toBe('GitHub');
	await light.screenshot('07-trigger-ready');
	await closeNdv(page);
});

test('Dedupe: search, delivery-id key by default, fail-open notice, Redis credential tested against a real redis-server', async () => {
	const { page } = light;
	await addNodeBySearch(page, 'dedupe', 'Dedupe', /\/dedupe\.svg$/, '08-dedupe-search', 'Check and record a key');
	await expectIconsLoaded(ndv(page), /\/dedupe\.svg$/);

	expectInOrder(await parameterOrder(page), ['operation', 'store', 'keySource', 'key', 'window', 'windowUnit', 'scope']);
	await expect(shownValue(page, 'operation')).resolves.toBe('Check and Record');
	await expect(shownValue(page, 'store')).resolves.toBe('Built-In');
	await expect(shownValue(page, 'key')).resolves.toContain('$json.verification.deliveryId');
	await expect(shownValue(page, 'window')).resolves.toBe('24');
	await expect(shownValue(page, 'windowUnit')).resolves.toBe('Hours');
	await expectNotice(page, 'use Redis');
	await light.screenshot('09-dedupe-parameters');

	await choose(page, 'store', 'Redis');
	await expect(shownValue(page, 'onStoreError')).resolves.toContain('Fail Closed');
	expect(await notices(page).filter({ hasText: 'Fail open' }).count()).toBe(0);
	await choose(page, 'onStoreError', 'Fail Open');
	await expectNotice(page, 'Fail open weakens the guarantee');
	await light.screenshot('10-dedupe-redis-fail-open-notice');
	await choose(page, 'onStoreError', 'Fail Closed');
	await expectNoNotice(page, 'Fail open weakens');

	await createCredential(page, {
		title: 'Dedupe Redis',
		iconFile: 'dedupeRedis',
		// Port 1 on loopback: nothing listens there.
		bad: { host: '127.0.0.1', port: '1' },
		badMessage: /127\.0\.0\.1:1 .*unreachable/,
		good: { host: redis.host, port: String(redis.port) },
		shot: '11-credential-dedupe-redis',
	});
	await light.screenshot('12-dedupe-ready');
	await closeNdv(page);
});

test('Reliable HTTP Forward: search, safe retry defaults, plain-HTTP notice, outgoing signing credential', async () => {
	const { page } = light;
	await addNodeBySearch(page, 'reliable http', 'Reliable HTTP Forward', /\/reliableHttpForward\.svg$/, '13-forward-search');
	await expectIconsLoaded(ndv(page), /\/reliableHttpForward\.svg$/);

	expectInOrder(await parameterOrder(page), ['method', 'url', 'bodySource', 'idempotencyKey', 'schedule', 'maxAttempts']);
	await expect(shownValue(page, 'method')).resolves.toBe('POST');
	await expect(shownValue(page, 'schedule')).resolves.toBe('Exponential Backoff');
	await expect(shownValue(page, 'maxAttempts')).resolves.toBe('8');
	await expect(shownValue(page, 'initialDelayMs')).resolves.toBe('1000');
	await expect(shownValue(page, 'multiplier')).resolves.toMatch(/^2(\.0+)?$/);
	await expect(shownValue(page, 'maxDelayMs')).resolves.toBe('60000');
	await expect(shownValue(page, 'jitter')).resolves.toBe('Full');
	await expect(shownValue(page, 'idempotencyHeader')).resolves.toBe('Idempotency-Key');
	await expect(shownValue(page, 'idempotencyKey')).resolves.toContain('verification?.deliveryId');
	await expect(isOn(page, 'allowPlainHttp')).resolves.toBe(false);
	await expect(isOn(page, 'signRequests')).resolves.toBe(false);
	expect(await notices(page).count()).toBe(0);
	const url = ndv(page).getByTestId('parameter-input-url').locator('input').first();
	await url.fill('https://hooks.example.com/orders');
	await url.blur();
	await light.screenshot('14-forward-parameters');

	await toggle(page, 'allowPlainHttp');
	await expectNotice(page, 'unencrypted');
	await light.screenshot('15-forward-plain-http-notice');
	await toggle(page, 'allowPlainHttp');
	await expectNoNotice(page, 'unencrypted');

	await toggle(page, 'signRequests');
	await expectCredentialSlot(page, 'Outgoing Webhook Signing');
	await createCredential(page, {
		title: 'Outgoing Webhook Signing',
		iconFile: 'outgoingWebhookSigning',
		bad: { secret: 'whsec_not base64!' },
		badMessage: /Could not sign the request/,
		good: { secret: `whsec_${randomBytes(32).toString('base64')}` },
		shot: '16-credential-outgoing-signing',
	});
	await light.screenshot('17-forward-ready');
	await closeNdv(page);
});

test('the workflow saves; the canvas shows every node with its name, subtitle and light icon', async () => {
	const { page } = light;
	await backToCanvas(page);
	await page.keyboard.press('Control+s');
	await page.waitForURL((url) => /\/workflow\/[A-Za-z0-9]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
	workflowUrl = page.url();
	await page.getByTestId('zoom-to-fit').click();
	const icons = await canvasIcons(page);
	expect(Object.keys(icons).sort()).toEqual(['Dedupe', 'Reliable HTTP Forward', 'Signed Webhook Trigger']);
	for (const src of Object.values(icons)) expect(src).not.toMatch(/\.dark\.svg$/);
	const canvasText = await page.getByTestId('canvas').innerText();
	expect(canvasText).toContain('Verify GitHub');
	expect(canvasText).toContain('Check and record');
	expect(canvasText).toContain('POST https://hooks.example.com/orders');
	await light.screenshot('18-canvas-light');
});

test('the dark theme: the canvas and each panel use the dark icons, and they load', async () => {
	expect(workflowUrl).not.toBe('');
	// Only one editor on the workflow: a second open copy makes n8n ask who changed it.
	await light.page.goto(`${n8n.baseUrl}/home/workflows`);
	const dark = await startBrowser({ colorScheme: 'dark' });
	try {
		const { page } = dark;
		page.setDefaultTimeout(UI_TIMEOUT);
		await signIn(page, n8n.baseUrl);
		await page.evaluate(() => localStorage.setItem('N8N_THEME', 'dark'));
		await page.goto(workflowUrl);
		await expect(page.locator('body').getAttribute('data-theme')).resolves.toBe('dark');
		await page.getByTestId('zoom-to-fit').click();
		const icons = await canvasIcons(page);
		expect(Object.keys(icons).sort()).toEqual(['Dedupe', 'Reliable HTTP Forward', 'Signed Webhook Trigger']);
		for (const src of Object.values(icons)) expect(src).toMatch(/\.dark\.svg$/);
		await dark.screenshot('19-canvas-dark');
		for (const [name, file, shot] of [
			['Signed Webhook Trigger', 'signedWebhookTrigger', '20-trigger-dark'],
			['Dedupe', 'dedupe', '21-dedupe-dark'],
			['Reliable HTTP Forward', 'reliableHttpForward', '22-forward-dark'],
		]) {
			await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
			await ndv(page).waitFor({ state: 'visible' });
			await expectIconsLoaded(ndv(page), new RegExp(`/${file}\\.dark\\.svg$`));
			await dark.screenshot(shot);
			await closeNdv(page);
		}
		expect(dark.problems().filter((p) => p.includes(`/icons/${packageName}/`))).toEqual([]);
	} finally {
		await dark.stop();
	}
	expect(light.problems().filter((p) => p.includes(`/icons/${packageName}/`))).toEqual([]);
	// Every step left its screenshot.
	expect(fs.readdirSync(screenshotDir).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(22);
	expect(fs.existsSync(path.join(screenshotDir, '18-canvas-light.png'))).toBe(true);
});
