/**
 * Reading and verifying a GetStream webhook body before anything is parsed:
 * the raw body read with a byte cap (counted as it streams in, whatever
 * `Content-Length` claims), gunzipped with an output cap when GetStream
 * compressed it (`Content-Encoding: gzip`; a gzip bomb stops at the cap), and
 * the signature checked as GetStream signs: `X-SIGNATURE` = hex HMAC-SHA256 of
 * the **uncompressed** body keyed with the app's API secret, compared in
 * constant time. Web APIs only (`DecompressionStream`, WebCrypto).
 */
import { constantTimeEqual, hmacSha256Hex } from "../lib/webhookHmac";

/** Why 256 KiB: GetStream's call events are a few KiB; more is a flood. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** Why 1 MiB: JSON compresses ~5–10×; a body that inflates past this is a bomb, not an event. */
export const MAX_WEBHOOK_INFLATED_BYTES = 1024 * 1024;

/** A refusal of the body, with the HTTP status to answer. */
export type BodyRefusal = { ok: false; status: 400 | 413 | 415; error: string };

async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false }> {
  if (stream === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return { ok: false };
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return { ok: true, bytes };
}

/** The request's body, uncompressed, within the caps; or why not. */
export async function readWebhookBody(
  request: Request,
): Promise<{ ok: true; bytes: Uint8Array } | BodyRefusal> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BODY_BYTES) return { ok: false, status: 413, error: "body too large" };
  const raw = await readCapped(request.body, MAX_WEBHOOK_BODY_BYTES);
  if (!raw.ok) return { ok: false, status: 413, error: "body too large" };
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return raw;
  if (encoding !== "gzip" || typeof DecompressionStream === "undefined")
    return { ok: false, status: 415, error: `unsupported Content-Encoding ${encoding}` };
  const inflating = new Blob([raw.bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"));
  try {
    const out = await readCapped(inflating, MAX_WEBHOOK_INFLATED_BYTES);
    if (!out.ok) return { ok: false, status: 413, error: "body inflates past the cap" };
    return out;
  } catch {
    return { ok: false, status: 400, error: "not valid gzip" };
  }
}

/** Whether `signature` (hex) is GetStream's HMAC-SHA256 of `body` with `secret`. */
export async function verifyGetStreamSignature(
  body: Uint8Array,
  signature: string,
  secret: string,
): Promise<boolean> {
  const given = signature.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return constantTimeEqual(given, await hmacSha256Hex(secret, body));
}
