/**
 * A real redis-server (Debian's package) for tests: its own temp dir, a free loopback port, append-only
 * file on (so restart() keeps the data). Missing redis-server is an error, never a skip: run
 * `bash test/harness/ensure-redis.sh` (the README's test command does). The older and compatible servers
 * (Redis 6.0 from Debian 11, Valkey 8.0 from Debian 12 backports) come from `test/harness/ensure-redis-compat.sh`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The servers the Redis-store tests run against: `redis` is the machine's redis-server (7.0 on Debian 12),
 * the others are unpacked by ensure-redis-compat.sh into its cache (`$REDIS_COMPAT_DIR`).
 */
export const REDIS_SERVERS = ['redis', 'redis-6.0', 'valkey-8.0'] as const;
export type RedisServerKind = (typeof REDIS_SERVERS)[number];

export interface RedisServer {
	host: string;
	port: number;
	url: string;
	/** Stops the server and removes its directory. */
	stop(): Promise<void>;
	/** Stops the server (it writes its append-only file) and starts it again on the same port and data. */
	restart(): Promise<void>;
	/** Stops the server but keeps its directory, so that clients see it unreachable. */
	kill(): Promise<void>;
	/** Starts a server killed with kill() again. */
	start(): Promise<void>;
}

export interface StartRedisOptions {
	/** Sets `requirepass` (the default user's password). */
	password?: string;
	/** Adds an ACL user with this name and password that may run every command, or only what `commands` allows (e.g. `['+@all', '-info']`). */
	user?: { name: string; password: string; commands?: string[] };
	/** Which server to run (default: the machine's redis-server). */
	server?: RedisServerKind;
}

import { freePort } from './processes';

export { freePort };

function compatBinary(kind: Exclude<RedisServerKind, 'redis'>): string {
	const cache = process.env.REDIS_COMPAT_DIR || path.join(homedir(), '.cache', 'n8n-nodes-reliable-webhooks', 'redis-compat');
	const binary = path.join(cache, kind, 'redis-server');
	if (!existsSync(path.join(cache, kind, '.complete'))) {
		throw new Error(`${kind} is not unpacked in ${cache}: run \`bash test/harness/ensure-redis-compat.sh\` (or \`npm test\`, which does)`);
	}
	return binary;
}

function redisServerBinary(kind: RedisServerKind = 'redis'): string {
	if (kind !== 'redis') return compatBinary(kind);
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	const binary = found.stdout.trim();
	if (found.status !== 0 || binary === '') {
		throw new Error('redis-server is not installed: run `bash test/harness/ensure-redis.sh` (or `npm test`, which does)');
	}
	return binary;
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
	for (let attempt = 0; attempt < 200; attempt++) {
		if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output()}`);
		const answered = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.setTimeout(500);
			socket.on('connect', () => socket.write('PING\r\n'));
			socket.on('data', (data) => {
				socket.destroy();
				// -NOAUTH also means the server is up and answering.
				resolve(/^\+PONG|^-NOAUTH/.test(data.toString()));
			});
			socket.on('error', () => resolve(false));
			socket.on('timeout', () => {
				socket.destroy();
				resolve(false);
			});
		});
		if (answered) return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`redis-server did not answer on 127.0.0.1:${port}: ${output()}`);
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
	const binary = redisServerBinary(options.server);
	const dir = mkdtempSync(path.join(tmpdir(), 'dedupe-redis-'));
	const port = await freePort();
	let child: ChildProcess | undefined;

	const args = [
		'--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
		'--appendonly', 'yes', '--appendfsync', 'always', '--save', '',
		'--daemonize', 'no', '--logfile', '', '--loglevel', 'warning',
	];
	if (options.password) args.push('--requirepass', options.password);
	if (options.user) {
		// Channel rules (`&*`) came with Redis 6.2; 6.0 lets every user use every channel.
		const channels = options.server === 'redis-6.0' ? [] : ['&*'];
		args.push('--user', options.user.name, 'on', `>${options.user.password}`, '~*', ...channels, ...(options.user.commands ?? ['+@all']));
	}

	async function launch(): Promise<void> {
		let output = '';
		const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		started.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-2000)));
		started.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-2000)));
		child = started;
		await waitForPing(port, started, () => output);
	}

	async function halt(): Promise<void> {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			running.once('exit', () => resolve());
			running.kill('SIGTERM');
		});
	}

	await launch();
	return {
		host: '127.0.0.1',
		port,
		url: `redis://127.0.0.1:${port}`,
		async stop() {
			await halt();
			rmSync(dir, { recursive: true, force: true });
		},
		async restart() {
			await halt();
			await launch();
		},
		kill: halt,
		start: launch,
	};
}

/**
 * A loopback TCP proxy in front of a server that counts request flights: a flight starts when the client
 * sends after the server has answered (or for the first time). A pipelined batch is one flight, N
 * sequential commands are N flights, whatever the client library says about itself.
 */
export interface FlightCountingProxy {
	port: number;
	flights: number;
	close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `targetPort`: `relay` gets each client connection and its upstream and wires their data;
 * the proxy closes both sides when either closes, and `close()` cuts every connection and stops listening.
 */
async function startLoopbackProxy(targetPort: number, relay: (client: net.Socket, upstream: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(targetPort, '127.0.0.1');
		sockets.add(client).add(upstream);
		relay(client, upstream);
		const end = () => {
			client.destroy();
			upstream.destroy();
		};
		client.on('close', end).on('error', end);
		upstream.on('close', end).on('error', end);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

export async function startFlightCountingProxy(targetPort: number): Promise<FlightCountingProxy> {
	const proxy: FlightCountingProxy = { port: 0, flights: 0, close: async () => undefined };
	const server = await startLoopbackProxy(targetPort, (client, upstream) => {
		let awaitingAnswer = false;
		client.on('data', (chunk) => {
			if (!awaitingAnswer) proxy.flights++;
			awaitingAnswer = true;
			upstream.write(chunk);
		});
		upstream.on('data', (chunk) => {
			awaitingAnswer = false;
			client.write(chunk);
		});
	});
	proxy.port = server.port;
	proxy.close = server.close;
	return proxy;
}

/**
 * A loopback proxy to Redis that, once armed with a marker, lets the next command containing it reach Redis and then
 * cuts the connection instead of passing Redis's reply back: Redis ran the command, the client never hears so.
 */
export async function startReplyDroppingProxy(targetPort: number): Promise<{ port: number; arm(marker: string): void; cuts(): number; close(): Promise<void> }> {
	let marker: string | undefined;
	let cuts = 0;
	const server = await startLoopbackProxy(targetPort, (client, upstream) => {
		let dropReply = false;
		client.on('data', (chunk) => {
			if (marker !== undefined && chunk.includes(marker)) {
				marker = undefined;
				dropReply = true;
			}
			upstream.write(chunk);
		});
		upstream.on('data', (chunk) => {
			if (!dropReply) return void client.write(chunk);
			cuts++;
			client.destroy();
			upstream.destroy();
		});
	});
	return { port: server.port, arm: (text) => void (marker = text), cuts: () => cuts, close: server.close };
}
