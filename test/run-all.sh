#!/usr/bin/env bash
# The whole test suite from a fresh clone (README "Quick start"): installs what the tests need,
# builds, lints and runs every jest project. Safe to re-run: installs are cached.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "npm dependencies"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi

step "system packages: redis-server, postgresql, chromium (Debian)"
bash test/harness/ensure-redis.sh
bash test/harness/ensure-postgres.sh
bash test/harness/ensure-chromium.sh

step "n8n (latest and floor; cached outside the clone)"
bash test/harness/install-n8n.sh latest >/dev/null
bash test/harness/install-n8n.sh floor >/dev/null

step "build and lint"
npm run build
npm run lint
npm run typecheck   # the tests too: jest only transpiles

step "tests"
# In band: the e2e and queue-mode projects start real n8n processes, and the machine has 2 cores.
npx jest --ci --runInBand "$@"
