'use strict';
/**
 * Loads one of the TypeScript test harness modules from a plain Node script (demo, benchmarks), transpiled in
 * memory with the project's TypeScript: the scripts then run exactly the code the end-to-end tests run.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const loaded = new Map();

function loadTs(file) {
	const full = path.resolve(file);
	if (loaded.has(full)) return loaded.get(full).exports;
	const source = fs.readFileSync(full, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		fileName: full,
	});
	const mod = new Module(full, module);
	mod.filename = full;
	mod.paths = Module._nodeModulePaths(path.dirname(full));
	loaded.set(full, mod);
	// Relative imports of other .ts harness files go through this loader too.
	const parentRequire = Module.createRequire(full);
	mod.require = (request) => {
		if (request.startsWith('.')) {
			const candidate = path.resolve(path.dirname(full), request);
			if (fs.existsSync(`${candidate}.ts`)) return loadTs(`${candidate}.ts`);
		}
		return parentRequire(request);
	};
	mod._compile(outputText, full);
	return mod.exports;
}

module.exports = { loadTs };
