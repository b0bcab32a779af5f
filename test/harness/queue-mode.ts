/**
 * n8n in queue mode, for real: PostgreSQL and Redis on loopback, one main (`n8n start`), N webhook processes
 * (`n8n webhook`) and M workers (`n8n worker`), all sharing one user folder with the packed package installed,
 * one encryption key, one database and one Bull queue.
 *
 *   const cluster = await startQueueMode({ workflows: [wf], credentials: [cred], workers: 2, webhookProcesses: 2 });
 *   await fetch(`${cluster.webhookBaseUrls[1]}/webhook/orders`, ...);
 *   await cluster.workers[0].kill();      // SIGKILL to the worker's process group (its task runner included)
 *   await cluster.workers[0].start();     // the same worker again, same ports
 *   cluster.executionsByStatus(workflowId) // counted in PostgreSQL
 *   await cluster.stop();
 *
 * Reuses the single-process harness (test/harness/n8n.ts) for the n8n install, the build + pack of the package,
 * the base environment and the watchdog that kills a process group when the test process dies. Every process
 * runs in its own process group and is killed by that group id, also when start-up fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { send } from './http';
import { baseN8nEnv, cleanEnv, importIntoN8n, n8nInstall, packPackage, publishWorkflows, type N8nVersion } from './n8n';
import { startPostgres, type PostgresServer } from './postgres';
import { freePort, phaseTimer, sleep, startWatchdog } from './processes';
import { startRedis, type RedisServer } from './redis';

export interface QueueModeOptions {
	version?: N8nVersion;
	workflows: Array<{ id: string; nodes: Array<{ type: string; parameters?: Record<string, unknown> }> } & object>;
	/** Credentials to import; a function when they need the cluster's Redis or PostgreSQL address. */
	credentials?: object[] | ((servers: { redis: RedisServer; postgres: PostgresServer }) => object[]);
	workers?: number;
	webhookProcesses?: number;
	/** Added to every process's environment. */
	env?: Record<string, string>;
	/** Paths (after /webhook/) to wait for on every webhook process before returning. */
	webhookPaths?: string[];
}

export interface QueueProcess {
	readonly name: string;
	readonly pid: number | undefined;
	readonly running: boolean;
	/** Kills the process group (default SIGKILL: a crash, no graceful shutdown) and waits until it is gone. */
	kill(signal?: NodeJS.Signals): Promise<void>;
	/** Starts the process again with the same environment and ports, and waits until it is ready. */
	start(): Promise<void>;
}

export interface QueueModeCluster {
	version: string;
	postgres: PostgresServer;
	redis: RedisServer;
	userFolder: string;
	mainUrl: string;
	webhookBaseUrls: string[];
	main: QueueProcess;
	workers: QueueProcess[];
	webhooks: QueueProcess[];
	/** Executions stored in PostgreSQL, counted by status (for one workflow, or all). */
	executionsByStatus(workflowId?: string): Record<string, number>;
	/** The tail of every process's output. */
	logs(lines?: number): string;
	stop(): Promise<void>;
	/** Seconds per start phase, for reporting only. */
	timings: Record<string, number>;
}

/** A readiness probe: gives up after 5 s. */
const httpText = (url: string, method = 'GET') => send(url, { method }, { timeoutMs: 5_000 });
const httpStatus = async (url: string, method = 'GET') => (await httpText(url, method)).status;

export async function startQueueMode(options: QueueModeOptions): Promise<QueueModeCluster> {
	const timings: Record<string, number> = {};
	const phase = phaseTimer(timings);
	const total0 = Date.now();
	const install = await phase('install', () => n8nInstall(options.version ?? 'latest'));
	const packed = await phase('pack', () => packPackage());

	const cleanups: Array<() => Promise<void>> = [];
	const processes: ManagedProcess[] = [];
	const stopAll = async () => {
		await Promise.all(processes.map((p) => p.kill('SIGTERM', 20_000)));
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
		cleanups.length = 0;
	};

	try {
		const [postgres, redis] = await phase('databases', () => Promise.all([startPostgres(), startRedis()]));
		cleanups.push(() => postgres.stop(), () => redis.stop());

		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-mode-'));
		cleanups.push(async () => {
			if (!process.env.N8N_HARNESS_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
		});
		fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
		fs.cpSync(packed.nodesDir, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
		const logFile = path.join(userFolder, 'queue-mode.log');

		const sharedEnv: Record<string, string> = {
			...baseN8nEnv(userFolder),
			...postgres.env,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			// A killed worker's jobs are declared stalled within seconds instead of a minute (n8n never re-runs them).
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			N8N_LOG_LEVEL: 'warn',
			...(options.env ?? {}),
		};

		const cli = (args: string[]) => {
			const result = spawnSync(install.n8nBin, args, {
				cwd: userFolder,
				env: cleanEnv(install, sharedEnv),
				encoding: 'utf8',
				maxBuffer: 64 * 1024 * 1024,
			});
			fs.appendFileSync(logFile, `\n$ n8n ${args.join(' ')}\n${result.stdout}${result.stderr}`);
			if (result.status !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
		};

		// The first command migrates the fresh PostgreSQL database; import and publish while no n8n process runs.
		await phase('import', () => {
			const credentials =
				typeof options.credentials === 'function' ? options.credentials({ redis, postgres }) : (options.credentials ?? []);
			const workflows = options.workflows.map((wf) => ({ ...wf, active: false }));
			importIntoN8n(cli, userFolder, credentials, workflows);
			publishWorkflows(cli, install.major, workflows);
		});

		const logTail: string[] = [];
		const log = (text: string) => {
			fs.appendFileSync(logFile, text);
			logTail.push(text);
			if (logTail.length > 2000) logTail.splice(0, logTail.length - 2000);
		};

		const mainPort = await freePort();
		const mainUrl = `http://127.0.0.1:${mainPort}`;
		const main = new ManagedProcess('main', install.n8nBin, ['start'], userFolder, cleanEnv(install, {
			...sharedEnv,
			N8N_PORT: String(mainPort),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		}), log, async () => (await httpStatus(`${mainUrl}/healthz/readiness`)) === 200);
		processes.push(main);
		await phase('main', () => main.start());

		const workers: ManagedProcess[] = [];
		for (let i = 1; i <= (options.workers ?? 2); i++) {
			const healthPort = await freePort();
			workers.push(new ManagedProcess(`worker-${i}`, install.n8nBin, ['worker'], userFolder, cleanEnv(install, {
				...sharedEnv,
				N8N_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			}), log, async () => (await httpStatus(`http://127.0.0.1:${healthPort}/healthz/readiness`)) === 200));
		}
		const webhookBaseUrls: string[] = [];
		const webhooks: ManagedProcess[] = [];
		for (let i = 1; i <= (options.webhookProcesses ?? 2); i++) {
			const port = await freePort();
			const base = `http://127.0.0.1:${port}`;
			webhookBaseUrls.push(base);
			webhooks.push(new ManagedProcess(`webhook-${i}`, install.n8nBin, ['webhook'], userFolder, cleanEnv(install, {
				...sharedEnv,
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			}), log, async () => {
				// Probe with a method the webhook does not serve (no execution): n8n answers 404 "not registered"
				// until the path is registered, then 404 "Did you mean ...?" or, for a trigger that answers other
				// methods itself, its own 405.
				for (const webhookPath of options.webhookPaths ?? []) {
					const probe = await httpText(`${base}/webhook/${webhookPath}`, 'GET');
					if (probe.status === 404 && !/did you mean/i.test(probe.text)) return false;
				}
				return (await httpStatus(`${base}/healthz`)) === 200;
			}));
		}
		processes.push(...workers, ...webhooks);
		await phase('workers+webhooks', () => Promise.all([...workers, ...webhooks].map((p) => p.start())));
		timings.total = (Date.now() - total0) / 1000;

		return {
			version: install.version,
			postgres,
			redis,
			userFolder,
			mainUrl,
			webhookBaseUrls,
			main,
			workers,
			webhooks,
			executionsByStatus(workflowId) {
				const where = workflowId ? `WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}'` : '';
				const rows = postgres.query(`SELECT status, count(*) FROM execution_entity ${where} GROUP BY status ORDER BY status`);
				const counts: Record<string, number> = {};
				for (const row of rows.split('\n').filter(Boolean)) {
					const [status, count] = row.split('|');
					counts[status] = Number(count);
				}
				return counts;
			},
			logs: (lines = 200) => logTail.join('').split('\n').slice(-lines).join('\n'),
			stop: stopAll,
			timings,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/** One n8n process in its own process group, restartable with the same command line and environment. */
class ManagedProcess implements QueueProcess {
	private child: ChildProcess | undefined;

	constructor(
		readonly name: string,
		private readonly bin: string,
		private readonly args: string[],
		private readonly cwd: string,
		private readonly env: NodeJS.ProcessEnv,
		private readonly log: (text: string) => void,
		private readonly ready: () => Promise<boolean>,
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get running(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	async start(timeoutMs = 180_000): Promise<void> {
		if (this.running) throw new Error(`${this.name} is already running`);
		const child = spawn(this.bin, this.args, { cwd: this.cwd, env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		this.child = child;
		liveGroups.add(child);
		const prefix = `[${this.name}] `;
		const forward = (data: Buffer) => this.log(data.toString().replace(/^(?=.)/gm, prefix));
		child.stdout?.on('data', forward);
		child.stderr?.on('data', forward);
		child.on('exit', (code, signal) => {
			liveGroups.delete(child);
			this.log(`${prefix}exited (code ${code}, signal ${signal})\n`);
		});
		if (child.pid !== undefined) startWatchdog(child.pid);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.name} exited while starting (see the log)`);
			try {
				if (await this.ready()) return;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) throw new Error(`${this.name} was not ready within ${timeoutMs / 1000} s`);
			await sleep(250);
		}
	}

	async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 15_000): Promise<void> {
		const child = this.child;
		if (!child || child.pid === undefined) return;
		const exited = new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) resolve();
			else child.once('exit', () => resolve());
		});
		killGroup(child.pid, signal);
		const killer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(killer);
		// The task runner lives in the same group: nothing of it may outlive the process.
		killGroup(child.pid, 'SIGKILL');
	}
}

const liveGroups = new Set<ChildProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

process.once('exit', () => {
	for (const child of liveGroups) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
});
