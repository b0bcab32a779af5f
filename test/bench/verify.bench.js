#!/usr/bin/env node
/**
 * Signature verification speed: `verify()` for every HMAC provider on 1 KiB and 1 MiB JSON bodies against a bare
 * `crypto.createHmac` + `timingSafeEqual` over the body (the least any receiver must do), measured in the same run.
 * Runs on the BUILT package:
 *
 *   npm run build && node test/bench/verify.bench.js [provider ...]
 *
 * Rounds alternate between the baseline and verify(); the figures are the median rounds, and each ratio is the median
 * of the per-round ratios (a round pairs both in the same moment, so a busy machine slows both alike). Read the
 * ratios, not the figures (the machine may be shared). Linear and Mailgun carry their timestamp or signature in the JSON body, so their bare
 * check also runs a `JSON.parse` of the body, as their SDKs do. verify() reports deliveryId/eventType; ids and types
 * that come from the body are read when first used, so this loop does not read them (see the last table, which does).
 *
 * VERIFY_BENCH_BEFORE=/path/to/other/dist/nodes/core/index.js adds a column for another build (before/after a change)
 * measured in the same rounds.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const entry = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'core', 'index.js');
if (!fs.existsSync(entry)) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const core = require(entry);
const before = process.env.VERIFY_BENCH_BEFORE ? require(path.resolve(process.env.VERIFY_BENCH_BEFORE)) : undefined;

const SECRET = 'bench-secret-0123456789-abcdef';
const URL = 'https://hooks.example.test/webhook/bench?tag=1';
const ROUNDS = 15;
const MAILGUN_TIME = Date.UTC(2026, 0, 1, 12, 0, 3);
// Iterations per round (bounded): about the same bytes hashed per round for both sizes.
const SIZES = [
	{ label: '1 KiB', bytes: 1024, iterations: 2_000 },
	{ label: '1 MiB', bytes: 1024 * 1024, iterations: 8 },
];

/** A JSON event of the given size, as providers send, with the fields verify() reads for the provider. */
function jsonBody(bytes, head) {
	const start = `{${head}"id":"evt_1","object":"event","type":"customer.created","event_id":"Ev1","data":"`;
	return Buffer.from(start + 'x'.repeat(bytes - start.length - 2) + '"}');
}

const DIGEST = { sha1: 20, sha256: 32, sha512: 64 };

/** The baseline: one HMAC of the body with a key given as text, and a constant-time compare with the expected MAC. */
function bareCheck(algorithm, body, parse) {
	const expected = crypto.createHmac(algorithm, SECRET).update(body).digest();
	return () => {
		if (parse) JSON.parse(body.toString('utf8'));
		const mac = crypto.createHmac(algorithm, SECRET).update(body).digest();
		return mac.length === DIGEST[algorithm] && crypto.timingSafeEqual(mac, expected);
	};
}

/** Per provider: what the request needs beyond the body, and the algorithm of its bare check. */
function caseFor(provider, size) {
	// Signed now and verified at that same instant: a busy machine must not push Paddle (5 s) out of its window.
	const now = Date.now();
	let head = '';
	let parse = false;
	if (provider === 'linear') {
		head = `"webhookTimestamp":${now},`;
		parse = true;
	}
	let body = jsonBody(size.bytes, head);
	let headers;
	if (provider === 'mailgun') {
		// Mailgun signs timestamp + token, which travel in the body with the signature: parse, then one small HMAC.
		// A fixed token and time: hex that happens to hold 16 digits in a row sends parseJsonExact to its slow exact path.
		const signature = core.sign({ provider, secret: SECRET, body: '', id: 'abcdef0123'.repeat(5), timestamp: MAILGUN_TIME });
		head = `"signature":${JSON.stringify(signature)},`;
		body = jsonBody(size.bytes, head);
		headers = { 'content-type': 'application/json' };
		const bare = () => {
			const sent = JSON.parse(body.toString('utf8')).signature;
			const mac = crypto.createHmac('sha256', SECRET).update(sent.timestamp + sent.token).digest();
			const given = Buffer.from(sent.signature, 'hex');
			return given.length === mac.length && crypto.timingSafeEqual(given, mac);
		};
		return { body, headers, url: URL, now: MAILGUN_TIME, bare, label: 'JSON.parse + sha256 of timestamp + token' };
	}
	// Twilio signs the URL of a JSON delivery, which carries the body's SHA-256 (bodySHA256): the body's hash is SHA-256.
	const url = provider === 'twilio' ? `${URL}&bodySHA256=${crypto.createHash('sha256').update(body).digest('hex')}` : URL;
	headers = { 'content-type': 'application/json', ...core.sign({ provider, secret: SECRET, body, url, timestamp: now }) };
	const algorithm = provider === 'intercom' ? 'sha1' : 'sha256';
	return { body, headers, url, now, bare: bareCheck(algorithm, body, parse), label: `${algorithm} of the body${parse ? ' + JSON.parse' : ''}` };
}

function opsPerSecond(iterations, run) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) if (!run()) throw new Error('verification failed during the benchmark');
	return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** Median over rounds of measured / baseline in the same round. */
const pairedRatio = (measured, baseline) => median(measured.map((value, round) => value / baseline[round]));

const wanted = process.argv.slice(2);
const hmacProviders = core.providers.filter((p) => p.kind === 'hmac' && (wanted.length === 0 || wanted.includes(p.id))).map((p) => p.id);

const rows = [];
for (const provider of hmacProviders) {
	for (const size of SIZES) {
		const { body, headers, url, now, bare, label } = caseFor(provider, size);
		const input = { provider, secrets: [SECRET], headers, body, url, now };
		const ours = () => core.verify(input).valid;
		const theirs = before && (() => before.verify(input).valid);
		const runs = [bare, ours, ...(theirs ? [theirs] : [])];
		for (const run of runs) opsPerSecond(Math.ceil(size.iterations / 10), run); // warm-up
		const results = runs.map(() => []);
		for (let round = 0; round < ROUNDS; round++) runs.forEach((run, i) => results[i].push(opsPerSecond(size.iterations, run)));
		const [baseline, measured, old] = results.map(median);
		const ratio = pairedRatio(results[1], results[0]);
		const beforeRatio = results[2] && pairedRatio(results[2], results[0]);
		rows.push({ provider, size: size.label, baseline, verify: measured, before: old, ratio, beforeRatio, label });
	}
}

// Reading the body-based id and type too (what the trigger does, sharing that one parse with its output item).
const withDetails = [];
for (const provider of ['stripe', 'slack']) {
	if (!hmacProviders.includes(provider)) continue;
	const size = SIZES[1];
	const { body, headers, url, now, bare } = caseFor(provider, size);
	const input = { provider, secrets: [SECRET], headers, body, url, now };
	const ours = () => {
		const result = core.verify(input);
		return result.valid && result.deliveryId !== undefined && result.eventType !== undefined;
	};
	const parsed = () => bare() && JSON.parse(body.toString('utf8')) !== undefined;
	const runs = [bare, parsed, ours];
	for (const run of runs) opsPerSecond(Math.ceil(size.iterations / 10), run);
	const results = runs.map(() => []);
	for (let round = 0; round < ROUNDS; round++) runs.forEach((run, i) => results[i].push(opsPerSecond(size.iterations, run)));
	const [baseline, baselineParsed, measured] = results.map(median);
	withDetails.push({ provider, size: size.label, baseline, baselineParsed, verify: measured, ratio: pairedRatio(results[2], results[0]), ratioParsed: pairedRatio(results[2], results[1]) });
}

// Public-key providers: verify() parsing the key on every call, against verify({ prepared }) as the trigger calls it.
const preparedRows = [];
if (wanted.length === 0 || wanted.includes('discord')) {
	const seed = crypto.randomBytes(32);
	const privateKey = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
	const publicHex = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
	const body = jsonBody(SIZES[0].bytes, '');
	const headers = core.sign({ provider: 'discord', secret: seed.toString('hex'), body });
	const plain = { provider: 'discord', secrets: [publicHex], headers, body };
	const prepared = { ...plain, prepared: core.prepareSecrets([publicHex]) };
	const runs = [() => core.verify(plain).valid, () => core.verify(prepared).valid];
	for (const run of runs) opsPerSecond(200, run);
	const results = runs.map(() => []);
	for (let round = 0; round < ROUNDS; round++) runs.forEach((run, i) => results[i].push(opsPerSecond(300, run)));
	const [parsedEachTime, preparedOnce] = results.map(median);
	preparedRows.push({ provider: 'discord (Ed25519)', size: SIZES[0].label, parsedEachTime, preparedOnce, ratio: pairedRatio(results[1], results[0]) });
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}, ${ROUNDS} alternating rounds: median figures, median of per-round ratios`);
console.log(`| provider | body | bare check (ops/s) | verify() (ops/s) | verify / bare |${before ? ' before (ops/s) | before / bare |' : ''}`);
console.log(`| --- | --- | ---: | ---: | ---: |${before ? ' ---: | ---: |' : ''}`);
for (const row of rows) {
	const old = before ? ` ${fmt(row.before)} | ${row.beforeRatio.toFixed(2)} |` : '';
	console.log(`| ${row.provider} | ${row.size} | ${fmt(row.baseline)} (${row.label}) | ${fmt(row.verify)} | ${row.ratio.toFixed(2)} |${old}`);
}
if (withDetails.length > 0) {
	console.log('\nverify() and then reading result.deliveryId and result.eventType (one parse of the body):');
	console.log('| provider | body | bare check (ops/s) | bare check + JSON.parse (ops/s) | verify() + id/type (ops/s) | / bare | / bare + JSON.parse |');
	console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
	for (const row of withDetails) {
		console.log(
			`| ${row.provider} | ${row.size} | ${fmt(row.baseline)} | ${fmt(row.baselineParsed)} | ${fmt(row.verify)} | ${row.ratio.toFixed(2)} | ${row.ratioParsed.toFixed(2)} |`,
		);
	}
}
if (preparedRows.length > 0) {
	console.log('\nPublic keys parsed on every call against keys prepared once (prepareSecrets, as the trigger does):');
	console.log('| provider | body | verify() (ops/s) | verify({ prepared }) (ops/s) | prepared / every call |');
	console.log('| --- | --- | ---: | ---: | ---: |');
	for (const row of preparedRows) {
		console.log(`| ${row.provider} | ${row.size} | ${fmt(row.parsedEachTime)} | ${fmt(row.preparedOnce)} | ${row.ratio.toFixed(2)} |`);
	}
}
