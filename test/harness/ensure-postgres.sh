#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (Debian's package) are on this machine; the queue-mode test starts its own
# private cluster (initdb in a temp dir, a free loopback port) and never uses a system instance.
set -euo pipefail
have_initdb() {
  command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
if have_initdb && command -v psql >/dev/null 2>&1; then exit 0; fi
echo "[ensure-postgres] installing postgresql from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends postgresql postgresql-client >&2
# The package may create and start a system cluster; the tests never use it.
(service postgresql stop || true) >/dev/null 2>&1
have_initdb
