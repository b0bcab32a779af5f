/**
 * A private PostgreSQL cluster (Debian's package) for tests: `initdb` in its own temp dir, the server on a free
 * loopback port, password authentication over TCP, durability switched off (a test database, thrown away after).
 * PostgreSQL refuses to run as root: as root, the cluster is created and run as the `postgres` user.
 * Missing binaries are an error, never a skip: run `bash test/harness/ensure-postgres.sh` (`npm test` does).
 *
 *   const pg = await startPostgres();
 *   pg.env                       // DB_TYPE=postgresdb and DB_POSTGRESDB_* for n8n
 *   pg.query('SELECT count(*) FROM execution_entity')   // rows as tab-separated text, via psql
 *   await pg.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, sleep, startWatchdog } from './processes';

export interface PostgresServer {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	/** n8n's settings for this database. */
	env: Record<string, string>;
	/** Runs SQL through psql; returns the rows, one per line, columns separated by a tab. */
	query(sql: string): string;
	stop(): Promise<void>;
}

function binDir(): string {
	const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
	if (onPath) return path.dirname(fs.realpathSync(onPath));
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		: [];
	versions.sort((a, b) => Number(b) - Number(a));
	if (versions.length === 0) {
		throw new Error('PostgreSQL is not installed: run `bash test/harness/ensure-postgres.sh` (or `npm test`, which does)');
	}
	return path.join(root, versions[0], 'bin');
}

/** The uid/gid to run the server as: ourselves, or the `postgres` user when we are root. */
function serverIdentity(): { uid?: number; gid?: number } {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error('Running as root needs a "postgres" user to run PostgreSQL as (Debian\'s package creates it)');
	}
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of live) if (child.pid) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
});

export async function startPostgres(): Promise<PostgresServer> {
	const bin = binDir();
	const identity = serverIdentity();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-mode-pg-'));
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	fs.mkdirSync(socketDir);
	const user = 'n8n';
	const password = randomBytes(12).toString('hex');
	const database = 'n8n';
	const pwfile = path.join(dir, 'pwfile');
	fs.writeFileSync(pwfile, password, { mode: 0o600 });
	if (identity.uid !== undefined) {
		for (const p of [dir, socketDir, pwfile]) fs.chownSync(p, identity.uid, identity.gid!);
	}
	const asServer = { ...identity, cwd: dir, env: { ...process.env, LC_ALL: 'C' } };

	const init = spawnSync(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'],
		{ ...asServer, encoding: 'utf8' },
	);
	if (init.status !== 0) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw new Error(`initdb failed (exit ${init.status}): ${init.stdout}${init.stderr}`);
	}
	fs.rmSync(pwfile);

	const port = await freePort();
	let output = '';
	const server = spawn(
		path.join(bin, 'postgres'),
		[
			'-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', socketDir,
			// A throw-away test cluster: no durability work, so it costs the shared CPU as little as possible.
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
			'-c', 'max_connections=100', '-c', 'shared_buffers=64MB', '-c', 'log_min_messages=warning',
		],
		{ ...asServer, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	live.add(server);
	server.on('exit', () => live.delete(server));
	server.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
	server.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
	// SIGINT: PostgreSQL's fast shutdown.
	if (server.pid !== undefined) startWatchdog(server.pid, 'SIGINT');

	const psqlEnv = { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
	const psql = (db: string, sql: string) =>
		spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-c', sql], {
			encoding: 'utf8',
			env: psqlEnv,
			maxBuffer: 256 * 1024 * 1024,
		});

	const stop = async () => {
		if (server.exitCode === null && server.signalCode === null && server.pid !== undefined) {
			const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
			try { process.kill(-server.pid, 'SIGINT'); } catch { /* gone */ } // fast shutdown
			const killer = setTimeout(() => { try { process.kill(-server.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
			await exited;
			clearTimeout(killer);
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};

	try {
		for (let attempt = 0; ; attempt++) {
			if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}: ${output}`);
			if (psql('postgres', 'SELECT 1').status === 0) break;
			if (attempt > 300) throw new Error(`postgres did not accept connections on 127.0.0.1:${port}: ${output}`);
			await sleep(100);
		}
		const created = psql('postgres', `CREATE DATABASE ${database}`);
		if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
	} catch (error) {
		await stop();
		throw error;
	}

	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		database,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		},
		query(sql) {
			const result = psql(database, sql);
			if (result.status !== 0) throw new Error(`psql failed (exit ${result.status}) for ${sql}: ${result.stderr}`);
			return result.stdout.trim();
		},
		stop,
	};
}
