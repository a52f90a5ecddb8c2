import { authkitProxy } from "@workos-inc/authkit-nextjs";
import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import { workosConfigured } from "./lib/serverConfig";

/** AuthKit's session handling (cookie refresh), only when WorkOS is configured. */
const workos = workosConfigured() ? authkitProxy() : null;

/** Next.js proxy (formerly middleware): AuthKit sessions, or nothing in development. */
export default function proxy(request: NextRequest, event: NextFetchEvent) {
  return workos ? workos(request, event) : NextResponse.next();
}

export const config = {
  // Pages and the auth routes; not static assets, nor the service worker script.
  matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico|serwist/).*)"],
};
