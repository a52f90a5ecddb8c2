/**
 * Where to go after signing in: only a same-origin relative path (`/meetings/…`),
 * never another site. Anything else (absolute URLs, `//host`, `/\host`,
 * `javascript:`, control characters, encoded tricks that resolve elsewhere)
 * becomes `/`. Pure; used by the sign-in page and the WorkOS sign-in route.
 */
export function safeNext(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
  if (!raw.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(raw)) return "/";
  if (raw.startsWith("//")) return "/";
  const base = "https://connvo.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  const out = `${url.pathname}${url.search}${url.hash}`;
  // The sign-in pages themselves are no destination (a loop).
  if (/^\/(sign-in|auth\/sign-in|callback)(\/|\?|#|$)/.test(url.pathname)) return "/";
  return out;
}

/** The sign-in URL that returns to `path` afterwards. */
export function signInHref(mode: "workos" | "dev", path: string): string {
  const next = safeNext(path);
  const base = mode === "workos" ? "/auth/sign-in" : "/sign-in";
  return next === "/" ? base : `${base}?next=${encodeURIComponent(next)}`;
}
