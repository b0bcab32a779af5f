/**
 * What every harness that runs a server needs: a free loopback port, a watchdog that kills a process group when the
 * test process dies, a timer for start phases, and sleep.
 */
import { spawn } from 'node:child_process';
import * as net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * A tiny detached process that sends `signal` to process group `groupId` when the test process disappears (a crash,
 * a killed jest, a test that never reaches afterAll), then SIGKILL 5 s later. It exits by itself once the group is
 * gone.
 */
export function startWatchdog(groupId: number, signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM'): void {
	const script = `
const [parent, group] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (!alive(-group)) { clearInterval(timer); return; }
  if (!alive(parent)) {
    try { process.kill(-group, '${signal}'); } catch {}
    setTimeout(() => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }, 5000);
    clearInterval(timer);
  }
}, 500);`;
	const watchdog = spawn(process.execPath, ['-e', script, String(process.pid), String(groupId)], {
		detached: true,
		stdio: 'ignore',
	});
	watchdog.unref();
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs one start phase and records how long it took. */
export type PhaseTimer = <T>(name: string, fn: () => Promise<T> | T) => Promise<T>;

/** Runs each start phase and records its duration in `timings` (seconds, for reporting only; never assert on it). */
export function phaseTimer(timings: Record<string, number>): PhaseTimer {
	return async (name, fn) => {
		const t0 = Date.now();
		try {
			return await fn();
		} finally {
			timings[name] = (Date.now() - t0) / 1000;
		}
	};
}
