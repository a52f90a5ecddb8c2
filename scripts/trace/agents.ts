/**
 * The people of a trace replay: agents signed in with development tokens over
 * the real `ConvexClient`, in one started meeting, and the storage accounting
 * of the meeting's note log afterwards.
 */
import { ConvexClient } from "convex/browser";
import WebSocket from "ws";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { Engine } from "../../engine/engine";

/** Agents signed in with dev tokens, in one started meeting (agent 0 hosts). */
export type Agents = {
  meetingId: Id<"meetings">;
  clients: ConvexClient[];
  userIds: Array<Id<"users">>;
};

/** Sign in `count` agents over the real `ConvexClient` and start a meeting they all joined. */
export async function connectAgents(engine: Engine, count: number): Promise<Agents> {
  const clients: ConvexClient[] = [];
  const userIds: Array<Id<"users">> = [];
  for (let i = 0; i < count; i++) {
    const token = await engine.mintDevToken({
      subject: `trace-agent-${i}`,
      name: `Agent ${i}`,
      email: `agent${i}@trace.local`,
    });
    const client = new ConvexClient(engine.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      unsavedChangesWarning: false,
      logger: false,
    });
    await new Promise<void>((resolve, reject) =>
      client.setAuth(
        async () => token,
        (ok) => (ok ? resolve() : reject(new Error(`agent ${i} could not authenticate`))),
      ),
    );
    const me = await client.mutation(api.users.ensure, {});
    clients.push(client);
    userIds.push(me._id);
  }
  const host = clients[0]!;
  const scheduled = await host.mutation(api.meetings.schedule, {
    title: "Trace replay",
    scheduledAt: Date.now(),
    durationMinutes: 600,
    invitees: userIds.slice(1).map((userId) => ({ userId, role: "participant" as const })),
  });
  if (!scheduled.ok) throw new Error(`cannot schedule: ${scheduled.message}`);
  const meetingId = scheduled.meetingId;
  const started = await host.mutation(api.meetings.start, { meetingId });
  if (!started.ok) throw new Error(`cannot start: ${started.message}`);
  for (const c of clients.slice(1)) {
    const joined = await c.mutation(api.participants.join, { meetingId });
    if (!joined.ok) throw new Error(`cannot join: ${joined.message}`);
  }
  return { meetingId, clients, userIds };
}

/** Rows, updates and bytes of a meeting's note log (raw rows and sealed segments). */
export async function logStats(engine: Engine, meetingId: Id<"meetings">) {
  let updatesStored = 0;
  let rowsStored = 0;
  let storedBytes = 0;
  let updateBytes = 0;
  for (const table of ["noteUpdates", "noteSegments"] as const) {
    let cursor: string | null = null;
    for (;;) {
      const page = (await engine.run("notes/stats:logStatsPage", { meetingId, table, cursor })) as {
        rows: number;
        updates: number;
        updateBytes: number;
        payloadBytes: number;
        continueCursor: string;
        isDone: boolean;
      };
      rowsStored += page.rows;
      updatesStored += page.updates;
      storedBytes += page.payloadBytes;
      updateBytes += page.updateBytes;
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
  }
  return { updatesStored, rowsStored, storedBytes, updateBytes };
}
