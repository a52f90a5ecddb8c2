/**
 * Reads an HTTP `Authorization` header the way Convex does: `Bearer <jwt>`
 * for users, `Convex <admin key>[:<base64 identity>]` for admins (the Convex
 * CLI and `ConvexHttpClient.setAdminAuth` send that). Pure.
 */

/** What an `Authorization` header carries. */
export type AuthHeader =
  | { kind: "none" }
  | { kind: "bearer"; credential: string }
  | { kind: "admin"; credential: string }
  | { kind: "unsupported"; scheme: string };

/** Classify an `Authorization` header value. */
export function describeAuthHeader(header: string | undefined): AuthHeader {
  if (header === undefined || header === "") return { kind: "none" };
  const space = header.indexOf(" ");
  const scheme = space === -1 ? header : header.slice(0, space);
  const credential = space === -1 ? "" : header.slice(space + 1).trim();
  if (scheme === "Bearer" && credential) return { kind: "bearer", credential };
  if (scheme === "Convex" && credential) return { kind: "admin", credential };
  return { kind: "unsupported", scheme: scheme.slice(0, 40) };
}
