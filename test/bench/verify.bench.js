#!/usr/bin/env node
/**
 * Signature verification speed: `verify()` for GitHub and Stripe on 1 KiB and 1 MiB bodies against a bare
 * `crypto.createHmac` + `timingSafeEqual` doing the same check, measured in the same run. Runs on the BUILT package:
 *
 *   npm run build && node test/bench/verify.bench.js
 *
 * Rounds alternate between baseline and verify(); the median round is reported. Read the ratios, not the figures.
 * verify() does more than the baseline: header parsing, and for Stripe reading `id`/`type` out of the JSON body
 * (a JSON.parse of the whole body), which the baseline skips.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const entry = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'core', 'index.js');
if (!fs.existsSync(entry)) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const { verify, sign } = require(entry);

const SECRET = 'bench-secret-0123456789';
const ROUNDS = 7;
// Iterations per round (bounded): about the same bytes hashed per round for both sizes.
const SIZES = [
	{ label: '1 KiB', bytes: 1024, iterations: 20_000 },
	{ label: '1 MiB', bytes: 1024 * 1024, iterations: 40 },
];

/** A JSON event of the given size, as providers send: verify() also reads Stripe's id and type from it. */
function jsonBody(bytes) {
	const head = '{"id":"evt_1","object":"event","type":"customer.created","data":"';
	return Buffer.from(head + 'x'.repeat(bytes - head.length - 2) + '"}');
}

function bareGithub(body, header) {
	const expected = crypto.createHmac('sha256', SECRET).update(body).digest();
	const given = Buffer.from(header.slice('sha256='.length), 'hex');
	return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

function bareStripe(body, header) {
	const [t, v1] = header.split(',');
	const timestamp = t.slice(2);
	const expected = crypto.createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest();
	const given = Buffer.from(v1.slice(3), 'hex');
	return given.length === expected.length && crypto.timingSafeEqual(given, expected) && Date.now() / 1000 - Number(timestamp) <= 300;
}

function opsPerSecond(iterations, run) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) if (!run()) throw new Error('verification failed during the benchmark');
	return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const provider of ['github', 'stripe']) {
	for (const size of SIZES) {
		const body = jsonBody(size.bytes);
		const headers = sign({ provider, secret: SECRET, body });
		const header = provider === 'github' ? headers['X-Hub-Signature-256'] : headers['Stripe-Signature'];
		const bare = provider === 'github' ? () => bareGithub(body, header) : () => bareStripe(body, header);
		const ours = () => verify({ provider, secrets: [SECRET], headers, body }).valid;
		opsPerSecond(Math.ceil(size.iterations / 10), bare); // warm-up
		opsPerSecond(Math.ceil(size.iterations / 10), ours);
		const baseline = [];
		const measured = [];
		for (let round = 0; round < ROUNDS; round++) {
			baseline.push(opsPerSecond(size.iterations, bare));
			measured.push(opsPerSecond(size.iterations, ours));
		}
		rows.push({ provider, size: size.label, baseline: median(baseline), verify: median(measured) });
	}
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version}, ${ROUNDS} alternating rounds, median`);
console.log('| provider | body | bare createHmac + timingSafeEqual (ops/s) | verify() (ops/s) | verify / bare |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const row of rows) {
	console.log(`| ${row.provider} | ${row.size} | ${fmt(row.baseline)} | ${fmt(row.verify)} | ${(row.verify / row.baseline).toFixed(2)} |`);
}
