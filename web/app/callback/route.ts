import { handleAuth } from "@workos-inc/authkit-nextjs";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { workosConfigured } from "../../lib/serverConfig";

/** WorkOS AuthKit's redirect URI (`NEXT_PUBLIC_WORKOS_REDIRECT_URI` = `<app>/callback`). */
export async function GET(request: NextRequest): Promise<Response> {
  if (!workosConfigured()) {
    return NextResponse.json({ error: "WorkOS is not configured." }, { status: 404 });
  }
  return await handleAuth({ returnPathname: "/" })(request);
}
