/**
 * A fake OpenAI-compatible speech-to-text server on loopback, for tests only.
 * It checks the request shape the real endpoint requires (`POST
 * /v1/audio/transcriptions`, multipart with `file`, `model`,
 * `response_format`, bearer key), answers like the real one (JSON `{text}`;
 * 400 with an OpenAI error body on a malformed request), and fails like it on
 * demand (429 with Retry-After, 500, or `"hang"`: an answer that never comes,
until the client gives up) so clients' retries and timeouts are exercised.
 *
 * It does not recognize speech: the test says what was spoken (`sentence`),
 * and the fake answers it for a segment whose audio has speech energy, and an
 * empty text for silence. That is what lets a test check the audio arrived
 * whole (decodable WAV, plausible duration, not silent).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeWav, rms } from "../../web/lib/call/wav";

/** A status code to answer, or `"hang"`: hold the request open and never answer. */
export type SttFailure = number | "hang";

/** One request as the fake saw it. */
export type SttRequest = {
  status: number;
  model: string | null;
  responseFormat: string | null;
  fileName: string | null;
  fileType: string | null;
  bytes: number;
  durationMs: number | null;
  rms: number | null;
  error: string | null;
};

/** Options of the fake. */
export type FakeSttOptions = {
  /** The model the deployment must send. */
  model: string;
  /** The API key it must send as a bearer token (null: none required). */
  apiKey: string | null;
  /** What was spoken: the answer for segments with speech energy. */
  sentence: string;
  /** Failures to answer first, in order, before answering normally (e.g. [429, 500, "hang"]). */
  failFirst?: SttFailure[];
  /** Why 0.01: espeak speech is ~0.1 RMS; Chromium's fake silence and quiet gaps are ~0. */
  speechRms?: number;
};

/** A running fake. */
export type FakeStt = {
  /** Base URL to configure as `STT_URL` (ends in `/v1`). */
  url: string;
  requests: SttRequest[];
  /** Queue more failures for the next requests. */
  failNext(...failures: SttFailure[]): void;
  close(): Promise<void>;
};

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function openAiError(message: string, type: string) {
  return JSON.stringify({ error: { message, type, param: null, code: null } });
}

/** Start the fake on 127.0.0.1 (a free port). */
export async function startFakeStt(options: FakeSttOptions): Promise<FakeStt> {
  const failures = [...(options.failFirst ?? [])];
  const requests: SttRequest[] = [];
  const threshold = options.speechRms ?? 0.01;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const seen: SttRequest = {
        status: 0,
        model: null,
        responseFormat: null,
        fileName: null,
        fileType: null,
        bytes: raw.length,
        durationMs: null,
        rms: null,
        error: null,
      };
      const answer = (status: number, json: string, headers: Record<string, string> = {}) => {
        seen.status = status;
        requests.push(seen);
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(json);
      };
      if (req.method !== "POST" || req.url !== "/v1/audio/transcriptions")
        return answer(
          404,
          openAiError(`no route ${req.method} ${req.url}`, "invalid_request_error"),
        );
      if (options.apiKey !== null && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        seen.error = "bad key";
        return answer(401, openAiError("Incorrect API key provided", "invalid_request_error"));
      }
      let form: FormData;
      try {
        form = await new Request("http://fake/", {
          method: "POST",
          headers: { "content-type": req.headers["content-type"] ?? "" },
          body: new Uint8Array(raw),
        }).formData();
      } catch (e) {
        seen.error = `not multipart: ${String(e)}`;
        return answer(400, openAiError("Could not parse multipart form", "invalid_request_error"));
      }
      const model = form.get("model");
      const format = form.get("response_format");
      const file = form.get("file");
      seen.model = typeof model === "string" ? model : null;
      seen.responseFormat = typeof format === "string" ? format : null;
      if (file instanceof File) {
        seen.fileName = file.name;
        seen.fileType = file.type;
      }
      if (seen.model !== options.model) {
        seen.error = `model ${seen.model}`;
        return answer(400, openAiError(`model must be ${options.model}`, "invalid_request_error"));
      }
      if (seen.responseFormat !== "json" && seen.responseFormat !== "verbose_json") {
        seen.error = `response_format ${seen.responseFormat}`;
        return answer(400, openAiError("response_format must be json", "invalid_request_error"));
      }
      if (!(file instanceof File) || !file.name.endsWith(".wav")) {
        seen.error = "no wav file";
        return answer(400, openAiError("file must be a .wav upload", "invalid_request_error"));
      }
      try {
        const wav = decodeWav(new Uint8Array(await file.arrayBuffer()));
        seen.durationMs = (wav.samples.length / wav.sampleRate) * 1000;
        seen.rms = rms(wav.samples);
      } catch (e) {
        seen.error = `bad audio: ${String(e)}`;
        return answer(400, openAiError("Invalid file format", "invalid_request_error"));
      }
      const fail = failures.shift();
      if (fail === "hang") {
        seen.status = -1; // never answered
        requests.push(seen);
        return;
      }
      if (fail === 429)
        return answer(429, openAiError("Rate limit reached", "requests"), { "retry-after": "0.2" });
      if (fail !== undefined)
        return answer(fail, openAiError("The server had an error", "server_error"));
      const text = (seen.rms ?? 0) >= threshold ? options.sentence : "";
      return answer(200, JSON.stringify({ text }));
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (...statuses) => failures.push(...statuses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
