/**
 * Clients of the embedded engine as a browser would have them: the unmodified
 * `ConvexClient` over a real WebSocket (ws), authenticated with a dev token,
 * and the notes provider over it through the one-line-per-member transport
 * (the same shape as web/lib/notesTransport.ts, for `ConvexClient`).
 */
import { ConvexClient } from "convex/browser";
import WebSocket from "ws";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { NotesProvider } from "../../crdt/provider";
import { clientNotesTransport } from "./client-transports";
import type { LatencyClient } from "./typing-latency";

/** Upper bound on the server confirming a token on a loaded machine. */
const AUTH_TIMEOUT_MS = 30_000;

/**
 * A ConvexClient for `url` authenticated with `token`; `authed` resolves once
 * the server confirmed the identity (like an app waiting for
 * `isAuthenticated`). Waiting matters on the embedded engine: it may run a
 * mutation sent right after `Authenticate` before the token is verified.
 */
export function engineClient(
  url: string,
  token: string,
): { client: ConvexClient; authed: Promise<void> } {
  const client = new ConvexClient(url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: false,
    skipConvexDeploymentUrlCheck: true,
  });
  const authed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the engine did not confirm the token in time")),
      AUTH_TIMEOUT_MS,
    );
    client.setAuth(
      async () => token,
      (ok) => {
        clearTimeout(timer);
        if (ok) resolve();
        else reject(new Error("the engine refused the dev token"));
      },
    );
  });
  return { client, authed };
}

/** Counters of what went wrong in a provider (refusals, network errors). */
export type ProviderErrors = Record<string, number>;

/** A connected notes provider on the engine, as a {@link LatencyClient}. */
export function connectProvider(
  url: string,
  token: string,
  meetingId: string,
  coalesceMs: number,
  errors: ProviderErrors,
): LatencyClient {
  const { client, authed } = engineClient(url, token);
  const transport = clientNotesTransport(client);
  let pushes = 0;
  const provider = new NotesProvider<Id<"meetings">>({
    meetingId: meetingId as Id<"meetings">,
    transport: {
      ...transport,
      push: (args) => {
        pushes++;
        return transport.push(args);
      },
    },
    coalesceMs,
  });
  provider.on("error", (e) => {
    errors[e.code] = (errors[e.code] ?? 0) + 1;
  });
  const synced = authed.then(async () => {
    await provider.connect();
    if (provider.status !== "live")
      throw new Error(`provider did not go live (${provider.status})`);
  });
  return {
    doc: provider.doc,
    synced,
    writes: () => pushes,
    destroy: async () => {
      provider.destroy();
      await client.close();
    },
  };
}

export { clientNotesTransport } from "./client-transports";

/**
 * One final transcript chunk of 100 ms at `startMs`, its `key` as text and idempotency key
 * (so a subscriber's arrival names the send it answers): what the load suites' writers send.
 */
export async function appendFinalChunk(
  client: ConvexClient,
  meetingId: Id<"meetings">,
  key: string,
  startMs: number,
) {
  return await client.mutation(api.transcripts.append, {
    meetingId,
    interim: false,
    text: key,
    confidence: 0.9,
    startMs,
    endMs: startMs + 100,
    idempotencyKey: key,
  });
}
