#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every check and test.
# Usage: bash scripts/test.sh   (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium (never a downloaded browser build); the call's tests
# also run Debian's coturn (TURN) and speak with espeak-ng (the fake microphone's sentence).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "[test] installing Debian packages for the browser and call tests: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "[test] missing: run 'sudo apt-get install -y ${missing[*]}' and retry" >&2
    exit 1
  fi
fi

# Install exactly the locked dependencies when they are missing or stale.
bash scripts/install.sh

npm test
