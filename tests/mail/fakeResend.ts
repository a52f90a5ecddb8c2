/**
 * A fake of Resend's `POST /emails` on loopback, for tests only. It checks the
 * request as Resend does (bearer key, JSON body with `from`, `to` (1–50),
 * `subject`, `html` or `text`, attachments with `filename` and base64
 * `content`), answers like it (`200 {id}`; `401`/`422` with Resend's error body
 * `{statusCode, name, message}`), de-duplicates by `Idempotency-Key` (a repeat
 * answers the first id and delivers nothing), and fails like it on demand:
 * 429 with `Retry-After`, 5xx, or `"hang"` (no answer until the client gives up).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A status code to answer, or `"hang"`. */
export type ResendFailure = number | "hang";

/** A delivered mail as the fake stored it. */
export type FakeMail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  attachments: { filename: string; content: string; contentType: string | null }[];
  idempotencyKey: string | null;
};

/** A running fake. */
export type FakeResend = {
  url: string;
  /** Mails accepted (once per idempotency key). */
  delivered: FakeMail[];
  /** Every request's status, in order. */
  statuses: number[];
  failNext(...failures: ResendFailure[]): void;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why a request is invalid (Resend's 422), or null. */
function invalid(body: Record<string, unknown>): string | null {
  if (typeof body.from !== "string" || !/^(.+ <)?[^@\s<>]+@[^@\s<>]+>?$/.test(body.from))
    return "The `from` field must be `email@example.com` or `Name <email@example.com>`.";
  const to = typeof body.to === "string" ? [body.to] : body.to;
  if (!Array.isArray(to) || to.length === 0 || to.length > 50)
    return "The `to` field must be 1 to 50 addresses.";
  if (!to.every((t) => typeof t === "string" && /^[^@\s]+@[^@\s]+$/.test(t)))
    return "Invalid `to` field.";
  if (typeof body.subject !== "string" || body.subject.length === 0)
    return "Missing `subject` field.";
  if (typeof body.html !== "string" && typeof body.text !== "string")
    return "Missing `html` or `text` field.";
  if (body.attachments !== undefined) {
    if (!Array.isArray(body.attachments)) return "The `attachments` field must be an array.";
    for (const a of body.attachments as Record<string, unknown>[]) {
      if (typeof a.filename !== "string" || a.filename.length === 0)
        return "Attachment `filename` is required.";
      if (typeof a.content !== "string" || !BASE64.test(a.content))
        return "Attachment `content` must be base64.";
    }
  }
  return null;
}

/** Start the fake on a random loopback port; `apiKey` is the key it accepts. */
export async function startFakeResend(apiKey: string): Promise<FakeResend> {
  const delivered: FakeMail[] = [];
  const statuses: number[] = [];
  const failures: ResendFailure[] = [];
  const byKey = new Map<string, string>();
  const hung = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const answer = (status: number, body: unknown, headers = {}) => {
        statuses.push(status);
        send(res, status, body, headers);
      };
      if (req.method !== "POST" || req.url !== "/emails")
        return answer(404, { statusCode: 404, name: "not_found", message: "Not found" });
      const failure = failures.shift();
      if (failure === "hang") {
        hung.add(res);
        return;
      }
      if (failure === 429)
        return answer(
          429,
          { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." },
          { "Retry-After": "0" },
        );
      if (typeof failure === "number")
        return answer(failure, {
          statusCode: failure,
          name: "internal_server_error",
          message: "fail",
        });
      if (req.headers.authorization !== `Bearer ${apiKey}`)
        return answer(401, {
          statusCode: 401,
          name: "missing_api_key",
          message: "API key is invalid",
        });
      if (!String(req.headers["content-type"]).startsWith("application/json"))
        return answer(422, { statusCode: 422, name: "validation_error", message: "Send JSON." });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return answer(422, { statusCode: 422, name: "validation_error", message: "Invalid JSON." });
      }
      const why = invalid(body);
      if (why) return answer(422, { statusCode: 422, name: "validation_error", message: why });
      const key = req.headers["idempotency-key"];
      const idempotencyKey = typeof key === "string" ? key : null;
      const prior = idempotencyKey ? byKey.get(idempotencyKey) : undefined;
      if (prior) return answer(200, { id: prior });
      const id = randomUUID();
      if (idempotencyKey) byKey.set(idempotencyKey, id);
      delivered.push({
        id,
        from: body.from as string,
        to: typeof body.to === "string" ? [body.to] : (body.to as string[]),
        subject: body.subject as string,
        html: typeof body.html === "string" ? body.html : null,
        text: typeof body.text === "string" ? body.text : null,
        attachments: ((body.attachments as Record<string, string>[] | undefined) ?? []).map(
          (a) => ({
            filename: a.filename!,
            content: a.content!,
            contentType: a.content_type ?? null,
          }),
        ),
        idempotencyKey,
      });
      answer(200, { id });
    })();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    statuses,
    failNext: (...f) => failures.push(...f),
    close: async () => {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
