'use strict';
// Programmatic API: the same verify/sign code that the Signed Webhook Trigger runs.
// Built by `npm run build` into dist/; see README "Programmatic API".
module.exports = require('./dist/nodes/core/index.js');
