#!/usr/bin/env bash
# Makes sure redis-server (Debian's package) is on this machine; the tests start their own instances.
# Then unpacks Redis 6.0 and Valkey 8.0 (ensure-redis-compat.sh), which the Redis-store tests also run against.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v redis-server >/dev/null 2>&1; then
  echo "[ensure-redis] installing redis-server from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends redis-server redis-tools >&2
  # The package may start a system instance; the tests never use it.
  (service redis-server stop || true) >/dev/null 2>&1
  command -v redis-server >/dev/null
fi
bash "$here/ensure-redis-compat.sh"
