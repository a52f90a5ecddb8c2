import { getSignInUrl } from "@workos-inc/authkit-nextjs";
import { NextResponse } from "next/server";
import { workosConfigured } from "../../../lib/serverConfig";

/** Sends the browser to WorkOS AuthKit's hosted sign-in (or to the development sign-in). */
export async function GET(request: Request): Promise<Response> {
  if (!workosConfigured()) return NextResponse.redirect(new URL("/sign-in", request.url));
  return NextResponse.redirect(await getSignInUrl());
}
