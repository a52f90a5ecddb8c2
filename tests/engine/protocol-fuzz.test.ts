/**
 * Seeded protocol fuzzer over the sync socket (issue 12).
 *
 * Invariant: whatever frames hostile sockets send — random bytes, mutated
 * valid frames, deep and oversize values, Unicode (lone surrogates, emoji,
 * combining marks), well-formed messages with wrong field types — the engine
 * stays up, every hostile socket ends with a clean close (never an abnormal
 * 1006 from a crashed process) and a close reason of at most 123 bytes, and
 * a well-behaved client keeps being served (its subscription sees its own
 * write after every round).
 *
 * Bounded: `ROUNDS` rounds of `SOCKETS_PER_ROUND` sockets, each sending up to
 * `FRAMES_PER_SOCKET` frames; the seed is printed on failure and can be
 * pinned with `PROTOCOL_FUZZ_SEED`. Seeds that found bugs are kept below.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { assertServing, type RawSocket, rawSocket, startFixtureEngine } from "./helpers";

const ROUNDS = 6;
const SOCKETS_PER_ROUND = 6;
const FRAMES_PER_SOCKET = 12;
/** Small enough to exercise the size cap without allocating much. */
const MAX_FRAME_BYTES = 256 * 1024;

/** mulberry32: a small seeded PRNG (never Math.random inside the property). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const UNICODE = [
  "€",
  "😀",
  "\u0301",
  "\ud800",
  "\udfff",
  "\u0000",
  "\u202e",
  "ß",
  "字",
  "\n",
  '"',
  "\\",
];

function unicodeString(r: Rand, max: number): string {
  let s = "";
  const n = int(r, max);
  for (let i = 0; i < n; i++) {
    s += r() < 0.5 ? pick(r, UNICODE) : String.fromCharCode(int(r, 0x10000));
  }
  return s;
}

function deepValue(r: Rand): string {
  const depth = pick(r, [70, 500, 5_000, 20_000]);
  return r() < 0.5
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

function randomValue(r: Rand, depth = 0): unknown {
  const k = int(r, depth > 3 ? 5 : 8);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() * 1e6 - 5e5;
    case 2:
      return unicodeString(r, 20);
    case 3:
      return r() < 0.5;
    case 4:
      return { $integer: unicodeString(r, 8) };
    case 5:
      return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(r, 4) }, () => [unicodeString(r, 6), randomValue(r, depth + 1)]),
      );
  }
}

const TYPES = ["Connect", "ModifyQuerySet", "Mutation", "Action", "Authenticate", "Event", "Nope"];

/** A message of a real type whose fields are random (right and wrong types mixed). */
function plausible(r: Rand): Record<string, unknown> {
  const type = pick(r, TYPES);
  const udfPath = pick(r, [
    "messages:list",
    "messages:send",
    "messages:insertInternal",
    "nope:x",
    "",
    "_system:x",
  ]);
  switch (type) {
    case "ModifyQuerySet":
      return {
        type,
        baseVersion: r() < 0.7 ? 0 : randomValue(r),
        newVersion: r() < 0.7 ? 1 : randomValue(r),
        modifications: Array.from({ length: int(r, 4) }, () =>
          r() < 0.7
            ? {
                type: pick(r, ["Add", "Remove"]),
                queryId: int(r, 5),
                udfPath,
                args: [randomValue(r)],
              }
            : randomValue(r),
        ),
      };
    case "Mutation":
    case "Action":
      return {
        type,
        requestId: r() < 0.8 ? int(r, 10) : randomValue(r),
        udfPath: r() < 0.8 ? udfPath : randomValue(r),
        args: r() < 0.8 ? [randomValue(r)] : randomValue(r),
        ...(r() < 0.2 ? { componentPath: unicodeString(r, 10) } : {}),
      };
    case "Authenticate":
      return {
        type,
        baseVersion: r() < 0.7 ? 0 : randomValue(r),
        tokenType: pick(r, ["User", "Admin", "None", unicodeString(r, 10)]),
        value: r() < 0.5 ? unicodeString(r, 200) : randomValue(r),
      };
    case "Connect":
      return {
        type,
        sessionId: r() < 0.5 ? unicodeString(r, 40) : randomValue(r),
        connectionCount: randomValue(r),
      };
    default:
      return { type: r() < 0.5 ? type : randomValue(r), payload: randomValue(r) };
  }
}

function mutate(r: Rand, text: string): string {
  const chars = [...text];
  const edits = 1 + int(r, 4);
  for (let i = 0; i < edits && chars.length > 0; i++) {
    const at = int(r, chars.length);
    const op = int(r, 4);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, pick(r, UNICODE));
    else if (op === 2) chars[at] = String.fromCharCode(int(r, 128));
    else chars.splice(at);
  }
  return chars.join("");
}

/** One random frame. */
function frame(r: Rand): string | Buffer {
  switch (int(r, 7)) {
    case 0:
      return Buffer.from(Array.from({ length: int(r, 200) }, () => int(r, 256)));
    case 1:
      return unicodeString(r, 200);
    case 2:
      return deepValue(r);
    case 3:
      return JSON.stringify({ type: "Event", blob: "x".repeat(MAX_FRAME_BYTES + int(r, 1000)) });
    case 4:
      return mutate(r, JSON.stringify(plausible(r)));
    default:
      return JSON.stringify(plausible(r));
  }
}

async function hostileSocket(engine: Engine, r: Rand): Promise<RawSocket> {
  const sock = await rawSocket(engine.url);
  const n = 1 + int(r, FRAMES_PER_SOCKET);
  for (let i = 0; i < n; i++) sock.send(frame(r));
  return sock;
}

const SEED = Number(process.env.PROTOCOL_FUZZ_SEED ?? Date.now() % 1_000_000);
/** Seeds worth keeping (none has failed yet; add any that does, with what it found). */
const PINNED_SEEDS = [1, 20261130];

describe("sync protocol fuzz", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startFixtureEngine({
      dataDir: null,
      limits: { maxFrameBytes: MAX_FRAME_BYTES },
    });
  });
  afterAll(async () => {
    await engine.close();
  });

  for (const seed of [...PINNED_SEEDS, SEED]) {
    it(`seed ${seed}: the engine stays up and keeps serving a well-behaved client`, async () => {
      const r = prng(seed);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const socks = await Promise.all(
            Array.from({ length: SOCKETS_PER_ROUND }, () => hostileSocket(engine, r)),
          );
          // Sockets the engine has not closed are closed by us after a moment.
          await new Promise((res) => setTimeout(res, 100));
          for (const s of socks) s.ws.close();
          for (const s of socks) {
            const { code, reason } = await s.closed;
            expect(code).not.toBe(1006);
            expect(reason.length).toBeLessThanOrEqual(123);
          }
          await assertServing(engine, `seed${seed}-round${round}`);
        }
      } catch (e) {
        throw new Error(
          `protocol fuzz failed with seed ${seed} (PROTOCOL_FUZZ_SEED=${seed}): ${(e as Error).message}`,
        );
      }
    });
  }
});
