#!/bin/sh
# Installs Debian's Jupyter and its kernel test suite for the course kernel (test/kernel.test.ts),
# and bubblewrap, the sandbox `npm run grade` runs each submission in.
# Idempotent: does nothing when the system Python already has them. Debian's Jupyter runs on
# /usr/bin/python3, which need not be the python3 first on PATH.
set -eu

PYTHON=/usr/bin/python3
PACKAGES="jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test bubblewrap"
INSTALL="apt-get update && apt-get install -y --no-install-recommends $PACKAGES"

if [ -x "$PYTHON" ] && "$PYTHON" -c "import notebook, nbconvert, nbclient, jupyter_kernel_test" 2>/dev/null && [ -x /usr/bin/bwrap ]; then
  echo "setup-jupyter: Jupyter, jupyter_kernel_test and bubblewrap are already installed for $PYTHON"
  exit 0
fi

cannot_install() {
  echo "setup-jupyter: Jupyter's packages are missing for $PYTHON and could not be installed." >&2
  echo "Run as root:  $INSTALL" >&2
  exit 1
}

if [ "$(id -u)" = "0" ]; then
  sh -c "$INSTALL"
elif command -v sudo >/dev/null 2>&1; then
  sudo sh -c "$INSTALL" || cannot_install
else
  cannot_install
fi

"$PYTHON" -c "import notebook, nbconvert, nbclient, jupyter_kernel_test"
[ -x /usr/bin/bwrap ]
echo "setup-jupyter: installed $PACKAGES"
