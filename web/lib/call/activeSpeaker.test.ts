import { describe, expect, test } from "vitest";
import { HOLD_MS, NOBODY, nextSpeaker, SPEAKING_LEVEL } from "./activeSpeaker";

const levels = (o: Record<string, number>) => new Map(Object.entries(o));

describe("active speaker", () => {
  test("nobody under the speaking level; the loudest above it takes the floor", () => {
    expect(nextSpeaker(NOBODY, levels({ a: SPEAKING_LEVEL / 2, b: 0 }), 0).id).toBeNull();
    expect(nextSpeaker(NOBODY, levels({ a: 0.1, b: 0.3 }), 0).id).toBe("b");
  });

  test("the speaker keeps the floor through short pauses and while still talking", () => {
    let s = nextSpeaker(NOBODY, levels({ a: 0.2, b: 0 }), 0);
    s = nextSpeaker(s, levels({ a: 0, b: 0.5 }), HOLD_MS - 1);
    expect(s.id).toBe("a");
    s = nextSpeaker(NOBODY, levels({ a: 0.2 }), 0);
    s = nextSpeaker(s, levels({ a: 0.05, b: 0.5 }), 5_000);
    expect(s.id).toBe("a");
  });

  test("after the hold time the floor passes to whoever is loud, or to nobody", () => {
    const s = nextSpeaker(NOBODY, levels({ a: 0.2, b: 0 }), 0);
    expect(nextSpeaker(s, levels({ a: 0, b: 0.3 }), HOLD_MS).id).toBe("b");
    expect(nextSpeaker(s, levels({ a: 0, b: 0 }), HOLD_MS).id).toBeNull();
  });

  test("someone who left loses the floor at once", () => {
    const s = nextSpeaker(NOBODY, levels({ a: 0.2 }), 0);
    expect(nextSpeaker(s, levels({ b: 0 }), 10).id).toBeNull();
  });
});
