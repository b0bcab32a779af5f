#!/usr/bin/env bash
# Puts the older and compatible servers the Redis-store tests also run against into a cache folder outside
# the clone, from Debian's own packages, without installing them system-wide:
#   redis-6.0   redis-server 6.0.x from Debian 11 (bullseye), the oldest Redis the Dedupe node supports
#   valkey-8.0  valkey-server 8.0.x from Debian 12 backports (bookworm-backports; its libraries are the ones
#               redis-server 7 from bookworm already brought in; ensure-redis.sh installs that, then runs this)
# Each lands as <cache>/<name>/redis-server, a wrapper that runs the unpacked binary with its own libraries.
# The mirror is the one this machine's apt is already configured with (read from its sources, never written here).
# apt runs with a private sources list, state and cache dir, so the machine's apt setup is left as it was.
# Usage: test/harness/ensure-redis-compat.sh        (cache: $REDIS_COMPAT_DIR, default ~/.cache/n8n-nodes-reliable-webhooks/redis-compat)
set -euo pipefail
cache="${REDIS_COMPAT_DIR:-$HOME/.cache/n8n-nodes-reliable-webhooks/redis-compat}"
log() { echo "[ensure-redis-compat] $*" >&2; }

# name | suite | packages to unpack | binary inside the packages
targets=(
  "redis-6.0|bullseye|redis-server redis-tools libssl1.1 libjemalloc2 liblua5.1-0 liblzf1 lua-bitop lua-cjson|usr/bin/redis-server"
  "valkey-8.0|bookworm-backports|valkey-server valkey-tools|usr/bin/valkey-server"
)

missing=0
for target in "${targets[@]}"; do
  IFS='|' read -r name _ _ _ <<<"$target"
  [ -f "$cache/$name/.complete" ] || missing=1
done
[ "$missing" = 0 ] && exit 0

# The Debian mirror this machine uses: the first deb entry (deb822 .sources or one-line .list) of the main archive.
mirror_uri() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk '
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { if (types ~ /deb( |$)/ && suites !~ /-security/ && uris != "") { print uris; exit } types=""; uris=""; suites=""; next }
      /^Types:/ { types=$0 } /^URIs:/ { uris=$2 } /^Suites:/ { suites=$0 }
      END { if (types ~ /deb( |$)/ && suites !~ /-security/ && uris != "") print uris }
    ' "$file" | head -n1
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    # deb [options] uri suite components
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$file" | awk '$1 == "deb" && $3 !~ /-security/ { print $2 }'
  done
}
mirror="$(mirror_uri | grep -E '^https?://' | head -n1 || true)"
if [ -z "$mirror" ]; then
  log "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d: cannot fetch the Redis 6.0 / Valkey packages"
  exit 1
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || { log "missing $keyring (package debian-archive-keyring)"; exit 1; }

apt_dir="$cache/.apt"
rm -rf "$apt_dir"
mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d" "$apt_dir/preferences.d"
: >"$apt_dir/status"
for suite in $(printf '%s\n' "${targets[@]}" | cut -d'|' -f2 | sort -u); do
  echo "deb [signed-by=$keyring] $mirror $suite main"
done >"$apt_dir/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
  -o "Dir::Etc::preferencesparts=$apt_dir/preferences.d" -o "Dir::State=$apt_dir/state"
  -o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache" -o "Debug::NoLocking=1"
  -o "APT::Default-Release=" -o "APT::Sandbox::User=root" -q
)
log "reading package lists for $(cut -d' ' -f4 "$apt_dir/sources.list" | tr '\n' ' ')(private apt state in $apt_dir)"
apt-get "${apt_opts[@]}" update >&2

for target in "${targets[@]}"; do
  IFS='|' read -r name suite packages binary <<<"$target"
  dir="$cache/$name"
  [ -f "$dir/.complete" ] && continue
  log "fetching $packages from $suite into $dir"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
  for package in $packages; do
    # The version from this suite exactly (not a newer one another suite in the private list offers).
    version="$(apt-cache "${apt_opts[@]}" madison "$package" | awk -v s="$suite" '$0 ~ (" " s "/") { print $3; exit }')"
    if [ -z "$version" ]; then
      log "Debian's $suite has no package $package on this mirror"
      exit 1
    fi
    (cd "$dir.tmp/debs" && apt-get "${apt_opts[@]}" download "$package=$version" >&2)
  done
  for deb in "$dir.tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$dir.tmp/root"; done
  [ -x "$dir.tmp/root/$binary" ] || { log "$binary is not in the unpacked packages"; exit 1; }
  libs="$(find "$dir.tmp/root" -name '*.so*' -printf '%h\n' | sort -u | sed "s#^$dir.tmp#$dir#" | paste -sd: -)"
  cat >"$dir.tmp/redis-server" <<SH
#!/bin/sh
# $name from Debian $suite, unpacked by test/harness/ensure-redis-compat.sh (not installed system-wide).
LD_LIBRARY_PATH="$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/root/$binary" "\$@"
SH
  chmod +x "$dir.tmp/redis-server"
  rm -rf "$dir.tmp/debs" "$dir" && mv "$dir.tmp" "$dir"
  "$dir/redis-server" --version >&2
  touch "$dir/.complete"
done
rm -rf "$apt_dir"
