#!/usr/bin/env bash
# Makes sure Debian's chromium is on this machine for the editor browser test (Playwright drives /usr/bin/chromium;
# no browser is ever downloaded by a test tool).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "[ensure-chromium] installing chromium from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
[ -x /usr/bin/chromium ]
