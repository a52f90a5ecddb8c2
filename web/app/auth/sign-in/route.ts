import { getSignInUrl } from "@workos-inc/authkit-nextjs";
import { NextResponse } from "next/server";
import { safeNext } from "../../../lib/safeNext";
import { workosConfigured } from "../../../lib/serverConfig";

/**
 * Sends the browser to WorkOS AuthKit's hosted sign-in (or to the development
 * sign-in), returning afterwards to `?next=` when it is a same-origin path.
 */
export async function GET(request: Request): Promise<Response> {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (!workosConfigured()) {
    const to = new URL("/sign-in", request.url);
    if (next !== "/") to.searchParams.set("next", next);
    return NextResponse.redirect(to);
  }
  return NextResponse.redirect(await getSignInUrl(next === "/" ? {} : { returnTo: next }));
}
