'use strict';
/**
 * Writes the README's generated pieces from the providers' defineScheme() facts: the provider table
 * (provider-table.ts) and the inline pieces between `<!-- gen:NAME -->` markers (readme-sections.ts).
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

const { staleSections, withGeneratedSections } = require('./readme-sections.ts');
const readmePath = path.join(__dirname, '..', '..', 'README.md');
const current = fs.readFileSync(readmePath, 'utf8');
const next = withGeneratedSections(current);
if (process.argv.includes('--check')) {
	if (next !== current) {
		console.error(`README.md is out of date (${staleSections(current).join(', ')}): run node test/tools/docs-providers.js`);
		process.exit(1);
	}
	console.log('README.md generated pieces are up to date.');
} else if (next !== current) {
	fs.writeFileSync(readmePath, next);
	console.log(`README.md updated (${staleSections(current).join(', ')}).`);
} else {
	console.log('README.md generated pieces already up to date.');
}
