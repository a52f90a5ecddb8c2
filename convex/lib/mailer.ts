/**
 * Mail behind one interface, with a real client of Resend's HTTP API
 * (`POST {base}/emails`, `Authorization: Bearer <key>`, JSON body with
 * `from`, `to`, `subject`, `html`, `text`, `attachments[{filename, content
 * (base64), content_type}]`, `Idempotency-Key` so a retried send is delivered
 * once). `fetch` only, so it runs in a Convex action without "use node".
 * Failures are {@link ProviderError}s: 429, 408, 5xx, timeouts and network
 * errors are retryable (`withRetries`), other 4xx are not.
 *
 * Why not `@convex-dev/resend` (0.2.8): it posts to Resend's batch endpoint,
 * which takes no attachments (the calendar invitation is one), and its URL is
 * fixed to api.resend.com, so it cannot be pointed at a test server.
 *
 * The local default is not a mailer: without `RESEND_API_KEY` the outbox row is
 * the delivery (the **dev mailbox**, see `convex/mail.ts`).
 */
import { ProviderError, type RetryPolicy, retryAfterMs, retryableStatus } from "./providerRetry";

/** One mail to send. */
export type MailMessage = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** Same key, same mail: the provider delivers a retried send once. */
  idempotencyKey: string;
};

/** A mail provider. */
export interface Mailer {
  /** Send one mail; the provider's id. Throws {@link ProviderError}. */
  send(message: MailMessage): Promise<{ id: string }>;
}

/** Settings of the Resend client. */
export type ResendSettings = {
  apiKey: string;
  /** `https://api.resend.com` unless `RESEND_BASE_URL` says otherwise. */
  baseUrl: string;
  from: string;
  timeoutMs: number;
};

/** Why 15 s: Resend answers in well under a second; a hung connection must not hold the action. */
export const DEFAULT_MAIL_TIMEOUT_MS = 15_000;

/**
 * Why 4 tries over ~7 s of backoff (+ Retry-After up to 20 s): Resend's rate limit is
 * per second, so a 429 clears at once; an outage longer than this fails the mail
 * (kept with its error in the outbox) rather than holding the action.
 */
export const MAIL_RETRY: Omit<RetryPolicy, "sleep"> = { attempts: 4, baseMs: 1_000, maxMs: 20_000 };

/** Settings from the environment, or null (the dev mailbox) when `RESEND_API_KEY` is unset. */
export function readMailConfig(env: Record<string, string | undefined>): ResendSettings | null {
  const apiKey = env.RESEND_API_KEY?.trim();
  if (!apiKey) return null;
  const timeout = Number(env.MAIL_TIMEOUT_MS);
  return {
    apiKey,
    baseUrl: (env.RESEND_BASE_URL?.trim() || "https://api.resend.com").replace(/\/+$/, ""),
    from: env.MAIL_FROM?.trim() || "Connvo <meetings@connvo.dev>",
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_MAIL_TIMEOUT_MS,
  };
}

/** Base64 of a UTF-8 string (Web APIs only). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The Resend client. */
export function resendMailer(settings: ResendSettings): Mailer {
  return {
    async send(m) {
      const body = {
        from: m.from,
        to: [m.to],
        subject: m.subject,
        html: m.html,
        text: m.text,
        ...(m.attachments?.length
          ? {
              attachments: m.attachments.map((a) => ({
                filename: a.filename,
                content: a.content,
                content_type: a.contentType,
              })),
            }
          : {}),
      };
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), settings.timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${settings.baseUrl}/emails`, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${settings.apiKey}`,
            "Content-Type": "application/json",
            "Idempotency-Key": m.idempotencyKey,
          },
          body: JSON.stringify(body),
          signal: abort.signal,
        });
        text = await res.text();
      } catch (e) {
        const why = abort.signal.aborted ? `timed out after ${settings.timeoutMs} ms` : String(e);
        throw new ProviderError(`mail provider unreachable: ${why}`, true);
      } finally {
        clearTimeout(timer);
      }
      if (!res.ok) {
        throw new ProviderError(
          `mail provider answered ${res.status}: ${text.slice(0, 300)}`,
          retryableStatus(res.status),
          res.status,
          retryAfterMs(res.headers.get("retry-after"), Date.now()),
        );
      }
      let id: unknown;
      try {
        id = (JSON.parse(text) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      if (typeof id !== "string") throw new ProviderError("mail provider answer has no id", false);
      return { id };
    },
  };
}
