/**
 * A V8 CPU profile of the running server, taken on command (profiling runs
 * of the benchmarks: `profile start`, then `profile stop <file>` writes a
 * `.cpuprofile` that Chrome DevTools or `bench/report/profile-top.ts` reads).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

let session: Session | null = null;

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}

/** `start` or `stop <file>`; answers what happened (one line). */
export async function profileCommand(command: string): Promise<string> {
  if (command === "start") {
    if (session) return "already started";
    session = new Session();
    session.connect();
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: 500 });
    await post(session, "Profiler.start");
    return "started";
  }
  if (command.startsWith("stop ")) {
    if (!session) return "not started";
    const file = command.slice("stop ".length).trim();
    const { profile } = await post<{ profile: unknown }>(session, "Profiler.stop");
    session.disconnect();
    session = null;
    writeFileSync(file, JSON.stringify(profile));
    return `written ${file}`;
  }
  return `unknown command ${command}`;
}
