#!/bin/sh
# Sets up a fresh Debian machine with Node 20 to run the tests: Debian's Jupyter and its kernel
# test suite (the course kernel's conformance tests, the notebook runs), Chromium (the exported
# HTML course is checked in a headless browser), scikit-learn's raw diabetes files (the dataset
# provenance test), then the npm packages. Idempotent.
set -eu
cd "$(dirname "$0")/.."

sh scripts/setup-jupyter.sh
sh scripts/fetch-sklearn-diabetes.sh

if [ ! -x /usr/bin/chromium ]; then
  INSTALL="apt-get update && apt-get install -y --no-install-recommends chromium"
  if [ "$(id -u)" = "0" ]; then
    sh -c "$INSTALL"
  elif command -v sudo >/dev/null 2>&1; then
    sudo sh -c "$INSTALL"
  else
    echo "setup: Chromium is missing. Run as root:  $INSTALL" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund
