#!/usr/bin/env bash
# Installs the real AWS Lambda Node.js runtime interface client (npm `aws-lambda-ric`) for one
# Node.js major into a cache outside the repository, keyed by client version and Node major, and
# prints the directory of the installed package (the one holding its package.json).
#
# Usage: scripts/install-ric.sh RIC_VERSION NODE_MAJOR     e.g. install-ric.sh 3.3.0 22
#
# The `node` the client was built for is recorded in `<cache>/node-bin` (a directory): the
# machine's own node when its major matches and it ships headers, else one from the npm
# registry (scripts/install-node.sh). Run the client with that node.
#
# The client builds a native addon (its own copy of the AWS C++ runtime library): that needs
# cmake, make, g++, autoconf, automake and libtool (installed with apt-get when missing), and
# node-gyp must find the headers of the Node that will load the addon. `npm_config_nodedir`
# points at the npm package of that Node (it ships include/node), so nothing is downloaded
# from nodejs.org. A finished build is marked with a stamp file; a second run only checks it.
set -euo pipefail
version="${1:?usage: install-ric.sh RIC_VERSION NODE_MAJOR}"
major="${2:?usage: install-ric.sh RIC_VERSION NODE_MAJOR}"
here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${LHC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-hang-check}"
dir="$cache_root/ric-$version-node$major"
pkg="$dir/node_modules/aws-lambda-ric"
stamp="$dir/.installed"

if [ -f "$stamp" ] && [ -f "$pkg/package.json" ]; then
  echo "$pkg"
  exit 0
fi

missing=()
for tool in cmake make g++ autoconf automake libtool; do
  # Debian ships libtool's script as `libtoolize` (package libtool); `libtool` itself may be absent.
  probe="$tool"
  [ "$tool" = libtool ] && probe=libtoolize
  command -v "$probe" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-ric: installing build tools: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    cmake make g++ autoconf automake libtool >&2
fi

node_bin=""
if system_node="$(command -v node)" && [ "$("$system_node" -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  candidate="$(cd "$(dirname "$system_node")" && pwd -P)"
  [ -f "$(dirname "$candidate")/include/node/node.h" ] && node_bin="$candidate"
fi
[ -n "$node_bin" ] || node_bin="$("$here/install-node.sh" "$major")"
node_pkg="$(dirname "$node_bin")"
if [ ! -f "$node_pkg/include/node/node.h" ]; then
  echo "install-ric: no headers in $node_pkg/include/node" >&2
  exit 1
fi

rm -rf "$dir"
mkdir -p "$dir"
echo '{"private":true}' > "$dir/package.json"
echo "install-ric: building aws-lambda-ric@$version for Node $("$node_bin/node" --version) (a few minutes)" >&2
started=$SECONDS
# The Node that runs npm (and so node-gyp) must be the one the addon is built for.
PATH="$node_bin:$PATH" npm_config_nodedir="$node_pkg" JOBS="$(nproc)" MAKEFLAGS="-j$(nproc)" \
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "aws-lambda-ric@$version" >&2
echo "install-ric: built in $((SECONDS - started)) s" >&2
echo "$node_bin" > "$dir/node-bin"
touch "$stamp"
echo "$pkg"
