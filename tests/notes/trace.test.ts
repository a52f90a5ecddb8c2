/**
 * Every shared trace replays through the full stack (providers, the real
 * ConvexClient, the embedded engine, the notes functions, the meetingNotes
 * projector and the timeline) to its exact `endContent`.
 *
 * The automerge-paper trace (259,778 keystrokes) is replayed as a fast typist's
 * provider would push it: 50-keystroke windows (200 keys/s with the 250 ms
 * coalescing), 5,196 pushes, each acknowledged before the next; about a
 * minute on two cores. The test timeout is the time bound.
 */
import { describe, expect, test } from "vitest";
import { replayTrace } from "../../scripts/trace/replay";

const DIR = "/work/shared/data/traces";

describe("trace replays through the full stack", () => {
  test("sveltecomponent (sequential, echoed to a reader, timeline checkpoints)", {
    timeout: 600_000,
  }, async () => {
    const { result, checkpoints } = await replayTrace({
      file: `${DIR}/sveltecomponent.json.gz`,
      clients: 2,
      checkpoints: 2,
    });
    expect(result).toMatchObject({
      endContentMatches: true,
      clientsConverged: true,
      projectionMatches: true,
    });
    expect(result.updatesStored).toBe(result.pushes);
    expect(checkpoints).toHaveLength(2);
    expect(checkpoints.every((c) => c.matches)).toBe(true);
  });

  test("friendsforever (concurrent, each agent holds exactly a txn's parents)", {
    timeout: 1_200_000,
  }, async () => {
    const { result, checkpoints } = await replayTrace({
      file: `${DIR}/friendsforever.json.gz`,
      checkpoints: 2,
    });
    expect(result).toMatchObject({
      clients: 2,
      endContentMatches: true,
      clientsConverged: true,
      projectionMatches: true,
    });
    expect(checkpoints.every((c) => c.matches)).toBe(true);
  });

  test("automerge-paper (259,778 keystrokes, a 200 keys/s typist)", {
    timeout: 900_000,
  }, async () => {
    const { result, checkpoints } = await replayTrace({
      file: `${DIR}/automerge-paper.json.gz`,
      clients: 2,
      checkpoints: 2,
    });
    expect(checkpoints.every((c) => c.matches)).toBe(true);
    // Storage: ≤ 0.3 rows per keystroke at typing speed (sealing packs older updates).
    expect(result.rowsStored / result.keystrokes).toBeLessThan(0.3);
    expect(result).toMatchObject({
      keystrokes: 259_778,
      endContentMatches: true,
      clientsConverged: true,
      projectionMatches: true,
    });
  });
});
