'use strict';
/**
 * What the benchmark scripts share: loading the BUILT package (they measure dist/, what users install), a free
 * loopback port, and a sink that answers every request 200 `{"ok":true}`.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { loadTs } = require('../harness/load-ts');

/** require() of `dist/<segments...>` (a folder with an index.js, or a .js file); exits 1 when dist/ is not built. */
function requireBuilt(...segments) {
	const target = path.resolve(__dirname, '..', '..', 'dist', ...segments);
	const entry = target.endsWith('.js') ? target : path.join(target, 'index.js');
	if (!fs.existsSync(entry)) {
		console.error('dist/ is missing: run `npm run build` first');
		process.exit(1);
	}
	return require(entry);
}

/** The test harness's free-port helper (test/harness/processes.ts). */
const { freePort } = loadTs(path.join(__dirname, '..', 'harness', 'processes.ts'));

/**
 * An HTTP server on 127.0.0.1 that reads each request to its end and answers 200 `{"ok":true}`, keeping idle
 * keep-alive connections for `keepAliveMs` milliseconds. Resolves with the server once it listens.
 */
function startSink(keepAliveMs) {
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	server.keepAliveTimeout = keepAliveMs;
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

module.exports = { freePort, requireBuilt, startSink };
