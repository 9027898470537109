#!/bin/sh
# npm run typecheck: the strict check (TypeScript 5.9, tsconfig.json) and the kernel's own compiler
# (tslab's TypeScript 5.0, tsconfig.kernel.json) side by side; fails if either fails.
set -eu
cd "$(dirname "$0")/.."
node node_modules/typescript/bin/tsc --noEmit &
strict=$!
node node_modules/@tslab/typescript-for-tslab/bin/tsc -p tsconfig.kernel.json
wait "$strict"
