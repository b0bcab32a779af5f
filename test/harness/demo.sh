#!/usr/bin/env bash
# `npm run demo`: a real n8n with this package and the orchestrator example on loopback, plus a local receiver
# standing in for the next system. Prints the editor URL, the webhook URL and a ready curl line; Ctrl-C stops all.
# `npm run demo -- --self-test` sends the curl request itself, checks it arrived signed, and exits.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d node_modules ]; then npm ci; fi
# The printed test-sender line runs this clone's build (dist/).
npm run -s build >/dev/null
bash test/harness/install-n8n.sh latest >/dev/null
exec node test/harness/demo.js "$@"
