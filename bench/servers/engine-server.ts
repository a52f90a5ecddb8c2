/**
 * The embedded engine for the benchmarks, as a child process (its own core,
 * like a real server). Seeds the meetings described by `BENCH_SEED` (JSON
 * {@link SeedSpec}) through the real public functions (users.ensure,
 * meetings.schedule/start, participants.join), optionally types the first
 * `coldKeystrokes` of automerge-paper into the first meeting as coalesced
 * pushes, then prints `READY <port>` and one JSON line with the URL, meeting
 * ids and a dev token per person. Optimistic-concurrency simulation is on
 * (unless `BENCH_OCC=0`); `stats` on stdin prints `STATS <json>` counters;
 * `profile start` / `profile stop <file>` take a V8 CPU profile of the engine (`PROFILE <answer>`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { UserIdentity } from "convex/server";
import * as Y from "yjs";
import { startEngine } from "../../engine/engine";
import { keysPerPush, toArrayBuffer } from "../lib/notes-workload";
import { loadSequentialTrace, tracesDir, typeTrace } from "../lib/trace";
import { VirtualClock } from "../lib/virtual-clock";
import { profileCommand } from "./profile";
import { seedHistory, waitForProjectors } from "./seed-history";

/** What to seed. */
export type SeedSpec = {
  /** `history`: prior note updates and transcript chunks written by the host (seed-history.ts). */
  meetings: { label: string; people: number; history?: { notes: number; chunks: number } }[];
  /** Keystrokes of automerge-paper typed into meetings[0] by its host (0 = none). */
  coldKeystrokes: number;
  coldKeysPerSecond: number;
};

/** What the server reports after READY. */
export type SeededInfo = {
  url: string;
  meetings: {
    label: string;
    meetingId: string;
    people: { subject: string; name: string; email: string; token: string }[];
  }[];
  coldPushes: number;
  /** Seconds spent seeding prior history (all meetings), and whether the projectors caught up. */
  history: { seconds: number; caughtUp: boolean } | null;
  /**
   * The meetingNotes projector through the engine while the cold document was
   * pushed: push time, events it had folded when the last push committed, and
   * how long it then took to catch up (null when the status was unavailable).
   */
  notesProjector: {
    pushMs: number;
    processedAtLastPush: number;
    catchUpMs: number;
    processed: number;
  } | null;
};

/** Why: the bench's own operator token for `projections:status` (a random one per run). */
const ADMIN_TOKEN = `bench-${process.pid}-${Date.now()}`;
/** Upper bound on waiting for the notes projector to catch up after the cold pushes. */
const CATCH_UP_MAX_MS = 120_000;

type ProjectionStatus = { read: { meetings: number; caughtUp: number; processed: number } };

async function notesStatus(engine: Awaited<ReturnType<typeof startEngine>>) {
  try {
    const all = (await engine.run("projections:status", {
      adminToken: ADMIN_TOKEN,
      projection: "meetingNotes",
    })) as ProjectionStatus[];
    return all[0]?.read ?? null;
  } catch {
    return null;
  }
}

type Ok = { ok: true; meetingId: string } | { ok: false; code: string; message: string };

async function main(): Promise<void> {
  const spec = JSON.parse(
    process.env.BENCH_SEED ?? '{"meetings":[],"coldKeystrokes":0}',
  ) as SeedSpec;
  const root = resolve(process.cwd());
  const dataDir = mkdtempSync(join(tmpdir(), "connvo-bench-engine-"));
  process.env.CONNVO_ADMIN_TOKEN = ADMIN_TOKEN;
  // The clock only moves forward (virtual time for the cold document's pushes), never back.
  const clock = new VirtualClock().install();
  const engine = await startEngine({
    port: 0,
    sitePort: null,
    dataDir,
    reset: true,
    functionsDir: join(root, "convex"),
    logLevel: "error",
    crons: false,
    // Convex-like optimistic concurrency: conflicts are detected, retried and counted.
    occ: process.env.BENCH_OCC !== "0",
  });
  const info: SeededInfo = {
    url: engine.url,
    meetings: [],
    coldPushes: 0,
    history: null,
    notesProjector: null,
  };
  let historySeconds = 0;
  for (const m of spec.meetings) {
    const people: SeededInfo["meetings"][number]["people"] = [];
    const identities: UserIdentity[] = [];
    const userIds: string[] = [];
    for (let i = 0; i < m.people; i++) {
      const subject = `${m.label}-p${i}`;
      const name = `Person ${i} of ${m.label}`;
      const email = `${subject}@bench.connvo.dev`;
      const identity = { ...engine.devIdentity(subject), name, email } as UserIdentity;
      const user = (await engine.run("users:ensure", {}, identity)) as { _id: string };
      identities.push(identity);
      userIds.push(user._id);
      people.push({
        subject,
        name,
        email,
        token: await engine.mintDevToken({ subject, name, email }),
      });
    }
    const scheduled = (await engine.run(
      "meetings:schedule",
      {
        title: `Bench ${m.label}`,
        scheduledAt: Date.now(),
        durationMinutes: 60,
        invitees: userIds.slice(1).map((userId) => ({ userId, role: "participant" })),
      },
      identities[0],
    )) as Ok;
    if (!scheduled.ok) throw new Error(`schedule: ${scheduled.message}`);
    const meetingId = scheduled.meetingId;
    const started = (await engine.run("meetings:start", { meetingId }, identities[0])) as Ok;
    if (!started.ok) throw new Error(`start: ${started.message}`);
    for (const id of identities.slice(1)) {
      const joined = (await engine.run("participants:join", { meetingId }, id)) as Ok;
      if (!joined.ok) throw new Error(`join: ${joined.message}`);
    }
    info.meetings.push({ label: m.label, meetingId, people });
    if (m.history) {
      historySeconds += await seedHistory(engine, clock, meetingId, identities[0], m.history, () =>
        waitForProjectors(engine, ADMIN_TOKEN),
      );
    }
    if (info.meetings.length === 1 && spec.coldKeystrokes > 0) {
      const trace = loadSequentialTrace(tracesDir(root), "automerge-paper");
      const typed = typeTrace(trace, spec.coldKeystrokes);
      const per = keysPerPush(spec.coldKeysPerSecond);
      const clientId = typed.doc.clientID;
      const reg = (await engine.run(
        "notes:registerClient",
        { meetingId, clientId },
        identities[0],
      )) as {
        ok: boolean;
      };
      if (!reg.ok) throw new Error("registerClient refused");
      let seq = 0;
      const pushStart = performance.now();
      for (let i = 0; i < typed.updates.length; i += per) {
        clock.advance(250);
        const group = typed.updates.slice(i, i + per);
        const merged = group.length === 1 ? group[0]! : Y.mergeUpdates(group);
        const r = (await engine.run(
          "notes:push",
          { meetingId, clientId, clientSeq: ++seq, update: toArrayBuffer(merged) },
          identities[0],
        )) as { ok: boolean; message?: string };
        if (!r.ok) throw new Error(`push ${seq}: ${r.message}`);
      }
      info.coldPushes = seq;
      const pushMs = performance.now() - pushStart;
      const atLast = await notesStatus(engine);
      const t0 = performance.now();
      let now = atLast;
      while (now && now.caughtUp < now.meetings && performance.now() - t0 < CATCH_UP_MAX_MS) {
        await new Promise((r) => setTimeout(r, 10));
        now = await notesStatus(engine);
      }
      if (atLast && now && now.caughtUp >= now.meetings) {
        info.notesProjector = {
          pushMs,
          processedAtLastPush: atLast.processed,
          catchUpMs: performance.now() - t0,
          processed: now.processed,
        };
      }
    }
  }
  if (spec.meetings.some((m) => m.history)) {
    const caughtUp = await waitForProjectors(engine, ADMIN_TOKEN);
    info.history = { seconds: historySeconds, caughtUp };
  }
  process.stdout.write(`READY ${new URL(engine.url).port}\n${JSON.stringify(info)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    engine.close().then(
      () => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Commands on stdin, one per line: `stats` answers `STATS <json>` (engine and OCC counters).
  // stdin closing means the bench process is gone: never outlive it.
  createInterface({ input: process.stdin })
    .on("line", (line) => {
      if (line.startsWith("profile ")) {
        profileCommand(line.slice("profile ".length).trim()).then(
          (r) => process.stdout.write(`PROFILE ${r}\n`),
          (e: unknown) => process.stdout.write(`PROFILE error ${String(e)}\n`),
        );
      }
      if (line.trim() === "stats") {
        process.stdout.write(
          `STATS ${JSON.stringify({ engine: engine.stats(), occ: engine.occStats(), cpuMs: cpuMs() })}\n`,
        );
      }
    })
    .on("close", stop);
}

/** CPU time this process used so far (user + system), ms: the engine's work whatever the machine's load. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

main().catch((e: unknown) => {
  process.stderr.write(
    `engine-server failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
