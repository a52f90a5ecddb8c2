/**
 * The storage routes of the API origin, as Convex serves them:
 * `POST /api/storage/upload?token=…` (the body is the file; answers
 * `{"storageId"}`) and `GET /api/storage/<id>[?component=…]` (the bytes, with
 * `Content-Type`, `Content-Length`, `Digest`, and one byte range when asked).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type FileStorage, type StorageHost, UPLOAD_TIMEOUT_MS } from "./file-storage";

type Json = (res: ServerResponse, status: number, body: unknown) => void;

/** `POST /api/storage/upload?token=…`. */
export async function handleUpload(
  host: StorageHost,
  storage: FileStorage,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sendJson: Json,
): Promise<void> {
  const token = url.searchParams.get("token");
  const component = token === null ? null : storage.verifyToken(token);
  if (component === null) {
    req.resume();
    sendJson(res, 401, {
      code: "StorageTokenInvalid",
      message:
        "The upload URL is invalid or has expired. Generate a new one with ctx.storage.generateUploadUrl().",
    });
    return;
  }
  const deadline = AbortSignal.timeout(UPLOAD_TIMEOUT_MS);
  const contentType = req.headers["content-type"];
  try {
    const storageId = await storage.store(host, component, req, contentType, deadline);
    sendJson(res, 200, { storageId });
  } catch (e) {
    const timedOut = deadline.aborted;
    sendJson(res, timedOut ? 408 : 500, {
      code: timedOut ? "UploadTimeout" : "StorageUploadFailed",
      message: timedOut
        ? `The upload did not finish within ${UPLOAD_TIMEOUT_MS / 1000} s`
        : `Upload failed: ${(e as Error).message}`,
    });
  }
}

/** `GET /api/storage/<id>`. */
export function handleDownload(
  host: StorageHost,
  storage: FileStorage,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sendJson: Json,
): void {
  const id = decodeURIComponent(url.pathname.slice("/api/storage/".length));
  const component = url.searchParams.get("component") ?? "";
  const meta = storage.meta(host, component, id, true);
  const bytes = meta === null ? null : storage.read(component, id);
  if (meta === null || bytes === null) {
    sendJson(res, 404, { code: "FileNotFound", message: `File ${id} not found` });
    return;
  }
  const headers: Record<string, string> = {
    "Cache-Control": "private, max-age=2592000",
    "Accept-Ranges": "bytes",
    "Access-Control-Allow-Origin": "*",
    Digest: `sha-256=${Buffer.from(meta.sha256, "hex").toString("base64")}`,
  };
  if (meta.contentType) headers["Content-Type"] = meta.contentType;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  if (req.headers.range !== undefined) {
    const size = bytes.length;
    const start = range?.[1] ? Number(range[1]) : range?.[2] ? size - Number(range[2]) : 0;
    const end = range?.[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (!range || (!range[1] && !range[2]) || start < 0 || start > end || start >= size) {
      res.writeHead(416, { "Content-Range": `bytes */${size}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Content-Length": String(end - start + 1),
    });
    res.end(req.method === "HEAD" ? undefined : bytes.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, { ...headers, "Content-Length": String(bytes.length) });
  res.end(req.method === "HEAD" ? undefined : bytes);
}
