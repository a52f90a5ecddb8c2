/**
 * Run-time configuration read on the server (never inlined at build time, so
 * one production build serves any engine URL — the browser tests start the
 * engine on a random port).
 */

/** The Convex deployment (or embedded engine) URL, without a trailing slash. */
export function engineUrl(): string | undefined {
  const url = process.env.CONVEX_URL ?? process.env.NEXT_PUBLIC_CONVEX_URL;
  return url?.replace(/\/+$/, "");
}

/**
 * True when WorkOS AuthKit is configured (client id, API key and a cookie
 * password of 32+ characters, as `@workos-inc/authkit-nextjs` requires); the
 * development sign-in is then off.
 */
export function workosConfigured(): boolean {
  return Boolean(
    process.env.WORKOS_CLIENT_ID &&
      process.env.WORKOS_API_KEY &&
      (process.env.WORKOS_COOKIE_PASSWORD?.length ?? 0) >= 32,
  );
}
