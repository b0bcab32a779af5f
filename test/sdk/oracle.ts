/** Calls ESM-only SDKs through `esm-oracle.mjs` in a plain Node child process (jest here runs CommonJS on Node 20). */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface OracleCall {
	fn: string;
	args: unknown[];
}
export type OracleResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Runs every call in one child process (one SDK load per suite); throws when the helper itself fails. */
export function oracle(calls: OracleCall[]): OracleResult[] {
	const child = spawnSync(process.execPath, [path.join(__dirname, 'esm-oracle.mjs')], {
		cwd: path.join(__dirname, '..', '..'),
		input: JSON.stringify(calls),
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (child.status !== 0) throw new Error(`esm-oracle.mjs exited with ${child.status}: ${child.stderr}`);
	const results = JSON.parse(child.stdout) as OracleResult[];
	if (results.length !== calls.length) throw new Error('esm-oracle.mjs answered a different number of calls');
	return results;
}
