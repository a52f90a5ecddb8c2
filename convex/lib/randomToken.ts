/**
 * Unguessable tokens: base64url (no padding) of `bytes` random bytes from
 * `crypto.getRandomValues`. Convex's default runtime implements it as a host
 * op (`crypto/getRandomValues`) in queries, mutations and actions alike; the
 * same source makes the AES-GCM IVs of `personalData.ts`.
 */
export function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  let binary = "";
  for (const b of raw) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
