/**
 * When a `crons.ts` job runs next: Convex's schedule shapes (`interval`,
 * `hourly`, `daily`, `weekly`, `monthly`, `cron` with a 5-field UTC
 * expression). Pure: time comes in as an argument.
 */

/** A schedule as `cronJobs()` records it. */
export type CronSchedule =
  | { type: "interval"; seconds?: number; minutes?: number; hours?: number }
  | { type: "hourly"; minuteUTC?: number }
  | { type: "daily"; hourUTC: number; minuteUTC?: number }
  | { type: "weekly"; dayOfWeek: string; hourUTC: number; minuteUTC?: number }
  | { type: "monthly"; day: number; hourUTC: number; minuteUTC?: number }
  | { type: "cron"; cron: string };

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
/** Search horizon for the next match of a cron expression: a bit over 4 years (Feb 29). */
const MAX_MINUTES_AHEAD = 4 * 366 * 24 * 60 + 1;

function parseField(field: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [rangePart, stepPart] = part.split("/");
    const step = stepPart === undefined ? 1 : Number(stepPart);
    let lo = min;
    let hi = max;
    if (rangePart !== "*" && rangePart !== undefined) {
      const [a, b] = rangePart.split("-");
      lo = Number(a);
      hi = b === undefined ? (stepPart === undefined ? lo : max) : Number(b);
    }
    if (![lo, hi, step].every(Number.isInteger) || step < 1 || lo < min || hi > max) {
      throw new Error(`Invalid cron field "${field}" (allowed ${min}-${max})`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** The first minute strictly after `afterMs` matching the 5-field UTC `expr`. */
export function nextCronMatch(expr: string, afterMs: number): number {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron expression needs 5 fields: "${expr}"`);
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(mi, 0, 59);
  const hours = parseField(h, 0, 23);
  const days = parseField(dom, 1, 31);
  const months = parseField(mon, 1, 12);
  const weekdays = new Set([...parseField(dow, 0, 7)].map((d) => d % 7));
  const domStar = dom === "*";
  const dowStar = dow === "*";
  let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < MAX_MINUTES_AHEAD; i++, t += 60_000) {
    const d = new Date(t);
    if (
      !months.has(d.getUTCMonth() + 1) ||
      !hours.has(d.getUTCHours()) ||
      !minutes.has(d.getUTCMinutes())
    )
      continue;
    const domOk = days.has(d.getUTCDate());
    const dowOk = weekdays.has(d.getUTCDay());
    const dayOk = domStar || dowStar ? domOk && dowOk : domOk || dowOk;
    if (dayOk) return t;
  }
  throw new Error(`Cron expression "${expr}" never matches`);
}

/** The next run strictly after `afterMs` (intervals count from `afterMs`). */
export function nextRun(schedule: CronSchedule, afterMs: number): number {
  switch (schedule.type) {
    case "interval": {
      const ms =
        ((schedule.hours ?? 0) * 3600 + (schedule.minutes ?? 0) * 60 + (schedule.seconds ?? 0)) *
        1000;
      if (ms <= 0) throw new Error("Cron interval must be positive");
      return afterMs + ms;
    }
    case "hourly":
      return nextCronMatch(`${schedule.minuteUTC ?? 0} * * * *`, afterMs);
    case "daily":
      return nextCronMatch(`${schedule.minuteUTC ?? 0} ${schedule.hourUTC} * * *`, afterMs);
    case "weekly": {
      const day = DAYS.indexOf(schedule.dayOfWeek.toLowerCase());
      if (day < 0) throw new Error(`Unknown dayOfWeek "${schedule.dayOfWeek}"`);
      return nextCronMatch(`${schedule.minuteUTC ?? 0} ${schedule.hourUTC} * * ${day}`, afterMs);
    }
    case "monthly":
      return nextCronMatch(
        `${schedule.minuteUTC ?? 0} ${schedule.hourUTC} ${schedule.day} * *`,
        afterMs,
      );
    case "cron":
      return nextCronMatch(schedule.cron, afterMs);
  }
}
