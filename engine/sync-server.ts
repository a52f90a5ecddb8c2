/**
 * The WebSocket side of the API port (`/api/<version>/sync`): one
 * {@link SyncSession} per socket, behind the connection limits of
 * `frame-guard.ts`. The socket boundary catches everything: whatever one
 * connection sends or triggers, the worst outcome is that this connection
 * is closed (with a reason of at most 123 bytes); the engine and every other
 * client go on.
 */
import type { Server } from "node:http";
import { WebSocketServer } from "ws";
import { type ConnectionLimits, closeReason, RateLimiter } from "./frame-guard";
import type { Logger } from "./logger";
import { type SessionHost, SyncSession } from "./sync-session";

/** How often sessions get a Ping: well under the client's 60 s inactivity reconnect. */
const PING_INTERVAL_MS = 15_000;

/** Close codes (RFC 6455) the server uses. */
const CLOSE = { normal: 1000, policy: 1008, internal: 1011 } as const;

/** The running WebSocket server. */
export type SyncServer = {
  sessions: Set<SyncSession>;
  /** Terminate every socket (clients reconnect). */
  dropConnections(): void;
  close(): Promise<void>;
};

/** Serve the sync protocol on `api`'s upgrades once `ready` resolves. */
export function startSyncServer(
  api: Server,
  ready: Promise<void>,
  host: () => SessionHost,
  limits: ConnectionLimits,
  log: Logger,
): SyncServer {
  const sessions = new Set<SyncSession>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  api.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://engine").pathname;
    if (!/^\/api\/[^/]+\/sync$/.test(path)) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let session: SyncSession | null = null;
      let closing = false;
      const send = (m: Record<string, unknown> | string) => {
        try {
          if (ws.readyState === ws.OPEN) ws.send(typeof m === "string" ? m : JSON.stringify(m));
        } catch (e) {
          log.warn(`sync: could not send a frame: ${(e as Error).message}`);
        }
      };
      const closeWith = (code: number, reason: string) => {
        if (closing) return;
        closing = true;
        try {
          ws.close(code, closeReason(reason));
        } catch {
          ws.terminate();
        }
      };
      const fatal = (reason: string, code: number = CLOSE.internal) => {
        if (closing) return;
        log.warn(`sync: closing a client: ${closeReason(reason)}`);
        send({ type: "FatalError", error: reason.slice(0, 1000) });
        closeWith(code, reason);
      };
      const rate = new RateLimiter(limits.messagesPerSecond, limits.messageBurst, Date.now());
      // Pings keep the client from reconnecting after its 60 s of inactivity.
      const ping = setInterval(() => send({ type: "Ping" }), PING_INTERVAL_MS);
      ping.unref();
      const queue: string[] = [];
      void ready.then(() => {
        if (closing) return;
        try {
          session = new SyncSession(host(), send, fatal, (reason) =>
            closeWith(CLOSE.normal, reason),
          );
          sessions.add(session);
          for (const m of queue.splice(0)) session.receive(m);
        } catch (e) {
          fatal(`Internal error: ${(e as Error).message}`);
        }
      });
      ws.on("message", (data) => {
        try {
          if (closing) return;
          if (!rate.take(Date.now())) {
            fatal(
              `TooManyRequests: more than ${limits.messagesPerSecond} messages per second on one connection`,
              CLOSE.policy,
            );
            return;
          }
          const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : data.toString();
          if (session) session.receive(text);
          else queue.push(text);
        } catch (e) {
          fatal(`Internal error handling a message: ${(e as Error).message}`);
        }
      });
      ws.on("close", () => {
        clearInterval(ping);
        if (session) {
          session.close();
          sessions.delete(session);
        }
      });
      // Oversized frames (maxPayload) and protocol errors end up here; ws closes the socket.
      ws.on("error", (e) => log.debug(`sync: socket error: ${e.message}`));
    });
  });
  return {
    sessions,
    dropConnections: () => {
      for (const client of wss.clients) client.terminate();
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const s of sessions) s.close();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
