#!/usr/bin/env bash
# npm start: set up the course on this machine (npm packages, Debian's Jupyter, the course
# kernel in .jupyter/) and open it in Jupyter Notebook on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # A learner needs no test or type-checking tools; `npm run setup` installs them.
  npm ci --omit=dev --no-audit --no-fund
fi
sh scripts/setup-jupyter.sh
exec node bin/privacy-course.js course open "$@"
