#!/usr/bin/env bash
# Installs exactly the locked dependencies when node_modules is missing or older than the lock.
# Used by scripts/start.sh and scripts/test.sh (and so by CI).
#
# The lock is committed as npm writes it, with every platform's optional entries, and installed
# with plain `npm ci`: no fallback, no pruning. `npm ci` never downloads another platform's
# optional binary, so the install does not depend on what the registry holds for them.
# An install must never change a tracked file; if it does, this fails (CI runs on a clean
# checkout, so any change there means package.json and the lock disagree).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  exit 0
fi

tracked_state() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    { git status --porcelain --untracked-files=no; git diff; } | sha256sum
  fi
}
before="$(tracked_state)"

echo "[install] npm ci"
if ! npm ci --no-audit --no-fund >/tmp/connvo-npm-ci.log 2>&1; then
  cat /tmp/connvo-npm-ci.log >&2
  echo "[install] npm ci failed (above). If it says package.json and the lock are out of sync, run 'npm install' and commit package-lock.json as npm writes it." >&2
  exit 1
fi

if [ "$(tracked_state)" != "$before" ]; then
  git status --porcelain --untracked-files=no >&2
  echo "[install] the install changed tracked files (above); commit the lock as npm writes it" >&2
  exit 1
fi
