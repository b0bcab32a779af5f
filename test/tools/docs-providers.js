'use strict';
/**
 * Writes the README provider table from the providers' defineScheme() facts (see provider-table.ts).
 * Usage: node test/tools/docs-providers.js [--check]   (--check: exit 1 when README.md is out of date, write nothing)
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

// Load the TypeScript sources directly (as test/harness/load-ts.js does), with directory index files resolved by Node.
require.extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		fileName: filename,
	});
	module._compile(outputText, filename);
};

const { withProviderTable } = require('./provider-table.ts');
const readmePath = path.join(__dirname, '..', '..', 'README.md');
const current = fs.readFileSync(readmePath, 'utf8');
const next = withProviderTable(current);
if (process.argv.includes('--check')) {
	if (next !== current) {
		console.error('README.md provider table is out of date: run node test/tools/docs-providers.js');
		process.exit(1);
	}
	console.log('README.md provider table is up to date.');
} else if (next !== current) {
	fs.writeFileSync(readmePath, next);
	console.log('README.md provider table updated.');
} else {
	console.log('README.md provider table already up to date.');
}
