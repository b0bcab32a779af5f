'use strict';
// Programmatic API: the same verify/sign code that the Signed Webhook Trigger runs.
// Built by `npm run build` into dist/; see README "Programmatic API".
try {
	module.exports = require('./dist/nodes/core/index.js');
} catch (error) {
	// A clone that was never built: say what to do instead of a bare "Cannot find module".
	if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/nodes/core/index.js')) {
		throw new Error('n8n-nodes-reliable-webhooks: the built package is missing (dist/). In a clone of the repository, run npm run build first.', { cause: error });
	}
	throw error;
}
