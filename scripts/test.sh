#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every check and test.
# Usage: bash scripts/test.sh   (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium (never a downloaded browser build).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "[test] installing Debian chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "[test] chromium is missing: run 'sudo apt-get install -y chromium' and retry" >&2
    exit 1
  fi
fi

# Install exactly the locked dependencies when they are missing or stale.
bash scripts/install.sh

npm test
