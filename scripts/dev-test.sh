#!/usr/bin/env bash
# Builds into a private folder and runs the given compiled test files there, so several people
# can work in one checkout at once:  scripts/dev-test.sh /tmp/me engine/wasm/gemm.test.js ...
set -euo pipefail
out=$1; shift
node scripts/build-kernels.mjs "$out/wasm"
npx tsc -p tsconfig.json --outDir "$out" || true   # other work in progress may not type-check yet
cd "$out" && node --test --test-concurrency=1 "$@"
