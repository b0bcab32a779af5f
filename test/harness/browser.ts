/**
 * Debian's chromium (installed by test/harness/ensure-chromium.sh), driven by playwright-core. No browser is ever
 * downloaded: a missing /usr/bin/chromium is an error, never a skip.
 *
 *   const browser = await startBrowser({ colorScheme: 'dark' });
 *   const page = browser.page;
 *   await page.goto(n8n.baseUrl);
 *   await browser.screenshot('01-signin');
 *   await browser.stop();
 *
 * Below it, the editor steps both browser tests share (sign in, the parameter panel, the credential dialog), each
 * done as a user does it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { owner, repoRoot } from './n8n';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where every screenshot of a run goes (gitignored); the best ones are copied into test/e2e/screenshots/. */
export const screenshotDir = path.join(repoRoot, '.artifacts', 'screenshots');

/** Flags that keep chromium quiet on a machine without internet: no background connections, no updates, no sync. */
const chromiumFlags = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface BrowserSession {
	context: BrowserContext;
	page: Page;
	/** Saves a full-viewport PNG as `.artifacts/screenshots/<name>.png` and returns its path. */
	screenshot(name: string, options?: { page?: Page; clip?: { x: number; y: number; width: number; height: number } }): Promise<string>;
	/** Console errors and failed requests the page reported (for failure messages). */
	problems(): string[];
	stop(): Promise<void>;
}

export interface StartBrowserOptions {
	colorScheme?: 'light' | 'dark';
	viewport?: { width: number; height: number };
}

export async function startBrowser(options: StartBrowserOptions = {}): Promise<BrowserSession> {
	if (!fs.existsSync(chromiumPath)) {
		throw new Error(`${chromiumPath} is missing: run bash test/harness/ensure-chromium.sh (Debian's chromium package)`);
	}
	fs.mkdirSync(screenshotDir, { recursive: true });
	// A fresh profile every time: no cookies, storage or cached editor bundles from an earlier run.
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		headless: true,
		args: chromiumFlags,
		viewport: options.viewport ?? { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		colorScheme: options.colorScheme ?? 'light',
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const page = context.pages()[0] ?? (await context.newPage());
	const problems: string[] = [];
	const watch = (p: Page) => {
		p.on('console', (message) => {
			if (message.type() === 'error') problems.push(`console: ${message.text()}`);
		});
		p.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
		p.on('requestfailed', (request) => {
			// Only our own server matters; anything else is blocked by the closed network on purpose.
			if (/^http:\/\/127\.0\.0\.1/.test(request.url())) {
				problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
			}
		});
	};
	watch(page);
	context.on('page', watch);
	// The editor must not reach anything but the local n8n (no traffic leaves the machine).
	await context.route(/^(?!http:\/\/(127\.0\.0\.1|localhost)[:/]).*/, (route) => {
		const url = route.request().url();
		if (url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
		return route.abort('blockedbyclient');
	});

	let stopped = false;
	return {
		context,
		page,
		async screenshot(name, shotOptions = {}) {
			const file = path.join(screenshotDir, `${name}.png`);
			await (shotOptions.page ?? page).screenshot({ path: file, clip: shotOptions.clip, animations: 'disabled' });
			return file;
		},
		problems: () => [...problems],
		async stop() {
			if (stopped) return;
			stopped = true;
			await context.close().catch(() => undefined);
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

// ---------------------------------------------------------------------------------------------------------------
// The editor, as a user works it. n8n marks its elements with data-test-id, not Playwright's default data-testid.

selectors.setTestIdAttribute('data-test-id');

/** Signs in as the harness's owner on `baseUrl` and waits until the sign-in page is left. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name=emailOrLdapLoginId]').fill(owner.email);
	await page.locator('input[name=password]').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** The node's parameter panel (n8n's "node details view"). */
export const ndv = (page: Page) => page.getByTestId('ndv');

/** The credential dialog. */
export const credentialModal = (page: Page) => page.getByTestId('editCredential-modal');

/** The value a parameter shows: the input's value, or the text of an expression editor. */
export async function shownValue(page: Page, parameter: string): Promise<string> {
	return await ndv(page)
		.getByTestId(`parameter-input-${parameter}`)
		.first()
		.evaluate((element) => {
			const input = element.querySelector('input, textarea') as HTMLInputElement | null;
			return (input ? input.value : (element as HTMLElement).innerText).trim();
		});
}

/** Chooses `optionText` in the options parameter `parameter` and fails unless the parameter then shows it. */
export async function choose(page: Page, parameter: string, optionText: string): Promise<void> {
	await ndv(page).getByTestId(`parameter-input-${parameter}`).first().click();
	const options = page.locator('.el-select-dropdown__item:visible, [role=option]:visible');
	const containing = options.filter({ hasText: optionText });
	await containing.first().waitFor({ state: 'visible' });
	// An option named exactly so wins over one whose description mentions it (SendGrid's names Twilio).
	const named = options.filter({ has: page.getByText(optionText, { exact: true }) });
	await ((await named.count()) > 0 ? named : containing).first().click();
	const shown = await shownValue(page, parameter);
	if (!shown.includes(optionText)) throw new Error(`${parameter} shows "${shown}" after choosing "${optionText}"`);
}

/** Types `values` (parameter name → text) into the open credential dialog. */
export async function fillCredential(page: Page, values: Record<string, string>): Promise<void> {
	for (const [name, value] of Object.entries(values)) {
		await credentialModal(page).getByTestId(`parameter-input-${name}`).locator('input, textarea').first().fill(value);
	}
}

/** Closes the credential dialog with its own close button (Escape would close the parameter panel behind it too). */
export async function closeCredential(page: Page): Promise<void> {
	if (!(await credentialModal(page).isVisible())) return;
	const dialog = page.locator('.el-dialog, [role=dialog]').filter({ has: credentialModal(page) }).last();
	const closeButton = dialog.locator('.el-dialog__headerbtn, button[aria-label*="lose" i]').first();
	if (await closeButton.isVisible()) await closeButton.click();
	else await page.keyboard.press('Escape');
	await credentialModal(page).waitFor({ state: 'hidden' });
}

/** Closes the parameter panel (2.x: its close button; 1.x: "Back to canvas"). */
export async function closeNdv(page: Page): Promise<void> {
	await ndv(page).getByTestId('ndv-close-button').or(ndv(page).getByTestId('back-to-canvas')).first().click();
	await ndv(page).waitFor({ state: 'hidden' });
}

/**
 * Closes the toasts in the corner ("Credential successfully created", "Node executed successfully") before a
 * screenshot. A toast may close by itself meanwhile, so a click that finds it gone is not an error.
 */
export async function dismissToasts(page: Page): Promise<void> {
	const close = page.locator('.el-notification .el-notification__closeBtn:visible');
	for (let open = await close.count(), tries = 0; open > 0 && tries < 5; open = await close.count(), tries++) {
		await close
			.first()
			.click({ timeout: 2_000 })
			.catch(() => undefined);
		await page.waitForTimeout(100);
	}
}
