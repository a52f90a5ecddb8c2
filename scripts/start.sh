#!/usr/bin/env bash
# The start command: installs what is needed, starts the embedded Convex engine
# (data kept in .data/ across restarts), seeds the demo data once, builds and
# starts the web app, and prints the URL to open. Ctrl-C stops everything.
#
# Usage: bash scripts/start.sh [--reset]
#   --reset          start over with an empty database (deletes .data/)
# Environment:
#   ENGINE_PORT=3210 WEB_PORT=3000   ports to listen on
#   WEB_DEV=1                        run `next dev` instead of a production build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BIN="$ROOT/node_modules/.bin"

RESET=0
for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "[start] unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

ENGINE_PORT="${ENGINE_PORT:-3210}"
WEB_PORT="${WEB_PORT:-3000}"
ENGINE_URL="http://127.0.0.1:${ENGINE_PORT}"
export NEXT_TELEMETRY_DISABLED=1

# 1. Dependencies: exactly the locked versions, when missing or stale.
bash scripts/install.sh

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  if [ "${#PIDS[@]}" -gt 0 ]; then
    echo
    echo "[start] stopping…"
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM

for port in "$ENGINE_PORT" "$((ENGINE_PORT + 1))" "$WEB_PORT"; do
  if node -e "require('net').connect($port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then
    echo "[start] port $port is already in use. Stop what runs there, or set ENGINE_PORT (uses it and the next port) / WEB_PORT." >&2
    exit 1
  fi
done

# 2. The engine, with the demo data seeded once (the seed is idempotent).
ENGINE_ARGS=(--port "$ENGINE_PORT" --data .data)
if [ "$RESET" = 1 ]; then ENGINE_ARGS+=(--reset); echo "[start] --reset: starting with an empty database"; fi
echo "[start] starting the engine on ${ENGINE_URL} (data in .data/) and seeding the demo…"
"$BIN/tsx" scripts/start/engine.ts "${ENGINE_ARGS[@]}" &
PIDS+=($!)
"$BIN/tsx" scripts/start/wait-for.ts "${ENGINE_URL}/" 120

# 4. The web app.
export CONVEX_URL="$ENGINE_URL"
if [ "${WEB_DEV:-0}" = 1 ]; then
  "$BIN/next" dev web -p "$WEB_PORT" &
  PIDS+=($!)
else
  STAMP=web/.next/BUILD_ID
  if [ ! -f "$STAMP" ] || [ -n "$(find web crdt projections convex/_generated package-lock.json \
      -newer "$STAMP" -type f -not -path 'web/.next/*' -not -name 'next-env.d.ts' -print -quit 2>/dev/null)" ]; then
    echo "[start] building the web app (first run or sources changed)…"
    "$BIN/next" build web
  fi
  "$BIN/next" start web -p "$WEB_PORT" &
  PIDS+=($!)
fi
"$BIN/tsx" scripts/start/wait-for.ts "http://127.0.0.1:${WEB_PORT}/api/health" 180

cat <<MSG

  Connvo is running.

    Open   http://localhost:${WEB_PORT}
    Engine ${ENGINE_URL}   (data in ${ROOT}/.data — bash scripts/start.sh --reset to start over)

  To write notes together, open the URL in two browsers (or one normal and one
  private window) and sign in as a different demo person in each:
    browser 1 → "Continue as Ada Lovelace"
    browser 2 → "Continue as Grace Hopper"
  then open the live meeting "Connvo demo: launch planning".

  Press Ctrl-C to stop.

MSG
wait -n "${PIDS[@]}" || true
echo "[start] a process exited; stopping the rest." >&2
