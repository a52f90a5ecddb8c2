import { NextResponse } from "next/server";

/** Liveness for `scripts/start.sh` and the browser tests. */
export function GET(): Response {
  return NextResponse.json({ ok: true });
}
