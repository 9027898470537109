#!/bin/sh
# Fetches scikit-learn's two raw diabetes files (BSD-3-Clause) from Debian's python3-sklearn
# package into .cache/sklearn-data/, without installing the package (and its scipy stack):
# test/attacks/datasets.test.ts checks datasets/diabetes.csv against a fresh conversion of them.
# Idempotent.
set -eu
cd "$(dirname "$0")/.."

DEST=.cache/sklearn-data
DATA=usr/lib/python3/dist-packages/sklearn/datasets/data
FILES="diabetes_data_raw.csv.gz diabetes_target.csv.gz"

if [ -f "$DEST/diabetes_data_raw.csv.gz" ] && [ -f "$DEST/diabetes_target.csv.gz" ]; then
  exit 0
fi

as_root() {
  if [ "$(id -u)" = "0" ]; then sh -c "$1"; elif command -v sudo >/dev/null 2>&1; then sudo sh -c "$1"; else return 1; fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download needs the package lists, which a fresh machine may not have yet.
if ! (cd "$work" && apt-get download python3-sklearn >/dev/null 2>&1); then
  as_root "apt-get update" >/dev/null || true
  (cd "$work" && apt-get download python3-sklearn) || {
    echo "fetch-sklearn-diabetes: could not download Debian's python3-sklearn package (run as root: apt-get update)" >&2
    exit 1
  }
fi
members=""
for f in $FILES; do members="$members ./$DATA/$f"; done
# shellcheck disable=SC2086 # one argument per member
dpkg-deb --fsys-tarfile "$work"/python3-sklearn_*.deb | tar -x -C "$work" $members
mkdir -p "$DEST"
for f in $FILES; do cp "$work/$DATA/$f" "$DEST/$f"; done
echo "fetch-sklearn-diabetes: wrote $DEST/{$(echo $FILES | tr ' ' ',')}"
