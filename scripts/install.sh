#!/usr/bin/env bash
# Installs exactly the locked dependencies when node_modules is missing or older than the lock.
# Used by scripts/start.sh and scripts/test.sh.
#
# `npm ci` comes first. The registry this project installs from lacks some other platforms'
# optional native binaries at the pinned versions (e.g. @biomejs/cli-win32-x64@2.6.8,
# @next/swc-darwin-arm64@16.4.6), so the lock file cannot list them and `npm ci`'s strict
# check may refuse it as out of sync. Then the same lock is installed with `npm install`, and
# the lock must come out unchanged (anything else means package.json and the lock disagree).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  exit 0
fi

echo "[install] npm ci"
if npm ci --no-audit --no-fund >/tmp/connvo-npm-ci.log 2>&1; then
  exit 0
fi
if ! grep -q "Missing: .* from lock file" /tmp/connvo-npm-ci.log; then
  cat /tmp/connvo-npm-ci.log >&2
  exit 1
fi
echo "[install] npm ci refused the lock only for other platforms' optional binaries this registry lacks; installing the same lock with npm install"
cp package-lock.json /tmp/connvo-package-lock.before.json
npm install --no-audit --no-fund
if ! cmp -s package-lock.json /tmp/connvo-package-lock.before.json; then
  echo "[install] package-lock.json changed during install: package.json and the lock disagree; run npm install and commit the lock" >&2
  exit 1
fi
