import { NextResponse } from "next/server";
import { engineUrl, workosConfigured } from "../../../../lib/serverConfig";

/**
 * Local development sign-in: forwards `{subject, name, email}` to the embedded
 * engine's development issuer and returns its JWT. Refused when WorkOS is
 * configured, so a production deployment never mints development tokens.
 */
export async function POST(req: Request): Promise<Response> {
  if (workosConfigured()) {
    return NextResponse.json(
      { error: "Development sign-in is off because WorkOS is configured." },
      { status: 403 },
    );
  }
  let body: { subject?: unknown; name?: unknown; email?: unknown; emailVerified?: unknown };
  try {
    body = (await req.json()) as typeof body;
  } catch {
    return NextResponse.json({ error: "Send JSON: {subject, name, email}." }, { status: 400 });
  }
  if (typeof body.subject !== "string" || body.subject.length === 0 || body.subject.length > 80) {
    return NextResponse.json(
      { error: "A subject of 1 to 80 characters is needed." },
      { status: 400 },
    );
  }
  const url = engineUrl();
  if (!url) {
    return NextResponse.json({ error: "CONVEX_URL is not set for the web app." }, { status: 500 });
  }
  try {
    const res = await fetch(`${url}/dev-auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        subject: body.subject,
        name: typeof body.name === "string" ? body.name : body.subject,
        email: typeof body.email === "string" ? body.email : undefined,
        emailVerified: typeof body.emailVerified === "boolean" ? body.emailVerified : undefined,
      }),
      cache: "no-store",
    });
    const text = await res.text();
    if (!res.ok) {
      return NextResponse.json(
        { error: `The development issuer refused: ${text.slice(0, 200)}` },
        { status: 502 },
      );
    }
    const parsed = JSON.parse(text) as { token?: unknown };
    if (typeof parsed.token !== "string") {
      return NextResponse.json({ error: "The development issuer sent no token." }, { status: 502 });
    }
    return NextResponse.json({ token: parsed.token });
  } catch {
    return NextResponse.json(
      { error: `The engine at ${url} cannot be reached. Is it running?` },
      { status: 502 },
    );
  }
}
