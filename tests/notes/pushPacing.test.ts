/** The provider paces its pushes by the same limit the server enforces on `notes.push`. */
import { expect, test } from "vitest";
import { LIMITS } from "../../convex/lib/rateLimits";
import { CLIENT_PUSH_BURST, MIN_PUSH_INTERVAL_MS, NOTE_PUSH_LIMIT } from "../../crdt/editBuffer";

test("the server's notes.push limit is the one the provider paces by", () => {
  expect(LIMITS.notePushes).toMatchObject({
    kind: "token bucket",
    rate: NOTE_PUSH_LIMIT.ratePerSec,
    capacity: NOTE_PUSH_LIMIT.capacity,
  });
  // One provider's burst leaves most of the person's server bucket to other tabs and drains.
  expect(CLIENT_PUSH_BURST * 2).toBeLessThanOrEqual(NOTE_PUSH_LIMIT.capacity);
  expect(MIN_PUSH_INTERVAL_MS * NOTE_PUSH_LIMIT.ratePerSec).toBe(1000);
});
