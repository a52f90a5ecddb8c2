/**
 * The free tier's call in real Chromium (issue 14), through the embedded
 * engine and the production web build: three people with Chromium's fake
 * camera and microphone join from the room and connect peer to peer over
 * loopback (host candidates, no TURN configured); `getStats()` shows decoded
 * video frames and received audio bytes growing on every side; mute stops
 * audio bytes; leaving closes the others' connections to the leaver; a rejoin
 * connects again; the meeting's call metrics count it all. Then with Debian's
 * coturn on loopback (`use-auth-secret`): credentials minted by the app, relay-
 * only ICE, the selected pair is a relay pair on both sides, and wrong or
 * expired credentials get no relay. Last, transcription: a sentence spoken by
 * espeak-ng is Chromium's fake microphone, each browser cuts its own mic at
 * pauses and the segments reach an OpenAI-compatible fake on loopback (which
 * answers 429 and 500 first); the chunks appear for everyone as their speaker,
 * and an opted-out participant is not transcribed.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { mintTurnCredential } from "../../convex/lib/turnCredentials";
import { type FakeStt, startFakeStt } from "../call/fakeStt";
import { roomArgs } from "../harness/roomKey";
import { screenshot } from "./browser";
import {
  callPerson,
  callStats,
  clientAs,
  growth,
  joinCall,
  launchCallChromium,
  liveMeeting,
  waitConnected,
} from "./callHarness";
import { type Coturn, startCoturn } from "./coturn";
import { speechWav } from "./speech";
import { type Stack, startStack } from "./stack";

/** Why 45 s: two cores shared with the rest of the suite; a healthy join connects in ~2 s. */
const CONNECT_TIMEOUT = 45_000;

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchCallChromium>>;

beforeAll(async () => {
  for (const k of ["TURN_URLS", "TURN_SECRET", "TURN_RELAY_ONLY", "STUN_URLS"])
    delete process.env[k];
  stack = await startStack();
  browser = await launchCallChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("the call in Chromium (mesh, host candidates)", () => {
  it("three people see and hear each other; mute stops audio; leaving closes the peers' connections; rejoin works", async () => {
    const meetingId: Id<"meetings"> = await liveMeeting(stack, "Call test");
    const ada = await callPerson(browser, stack.web.url, "Ada Lovelace");
    const grace = await callPerson(browser, stack.web.url, "Grace Hopper");
    const alan = await callPerson(browser, stack.web.url, "Alan Turing");
    const pages = { ada: ada.page, grace: grace.page, alan: alan.page };
    onTestFailed(async () => {
      for (const [n, p] of Object.entries(pages))
        if (!p.isClosed()) await screenshot(p, `failed-call-${n}`).catch(() => undefined);
    });
    try {
      await joinCall(ada.page, stack.web.url, meetingId, "Join with camera");
      await joinCall(grace.page, stack.web.url, meetingId, "Join with camera");
      await joinCall(alan.page, stack.web.url, meetingId, "Join with camera");
      try {
        await waitConnected(ada.page, ["Grace Hopper", "Alan Turing"], CONNECT_TIMEOUT);
        await waitConnected(grace.page, ["Ada Lovelace", "Alan Turing"], CONNECT_TIMEOUT);
        await waitConnected(alan.page, ["Ada Lovelace", "Grace Hopper"], CONNECT_TIMEOUT);
      } catch (e) {
        for (const [n, p] of Object.entries(pages))
          console.log(
            `--- ${n}\n${(await p.evaluate(() => (window as unknown as { connvoCallLog?: string[] }).connvoCallLog ?? [])).join("\n")}`,
          );
        throw e;
      }

      // A tile per person, with their name, on every page.
      for (const p of Object.values(pages)) {
        const names = await p
          .getByTestId("call-tile")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-name")).sort());
        expect(names).toEqual(["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
      }
      // Video frames decoded and audio bytes received keep growing on every side.
      await expect
        .poll(
          async () =>
            (await growth(pages)).filter(
              (g) => !(g.frames[1] > g.frames[0] && g.audio[1] > g.audio[0]),
            ),
          {
            timeout: CONNECT_TIMEOUT,
            interval: 500,
          },
        )
        .toEqual([]);
      const all = await growth(pages);
      expect(all).toHaveLength(6);
      // Direct connections (no TURN is configured): host or peer-reflexive candidates, never a relay.
      for (const p of Object.values(pages))
        for (const s of await callStats(p)) {
          expect(["host", "prflx"]).toContain(s.local);
          expect(["host", "prflx"]).toContain(s.remote);
        }
      await screenshot(ada.page, "call-three");

      // Mute: Grace's microphone sends nothing; the others' audio bytes from her stop.
      await grace.page.getByRole("button", { name: "Mute", exact: true }).click();
      await ada.page
        .locator('[data-name="Grace Hopper"] [title="muted"]')
        .waitFor({ timeout: CONNECT_TIMEOUT });
      const fromGrace = async () =>
        (await growth({ ada: ada.page, alan: alan.page })).filter((g) => g.peer === "Grace Hopper");
      // Packets already in flight may still land: wait (generously) until her audio stops, then
      // check over one more window that it stays stopped while her video goes on.
      await expect
        .poll(async () => (await fromGrace()).filter((g) => g.audio[1] !== g.audio[0]).length, {
          timeout: CONNECT_TIMEOUT,
        })
        .toBe(0);
      const muted = await fromGrace();
      expect(muted).toHaveLength(2);
      for (const g of muted) {
        expect(g.audio[1]).toBe(g.audio[0]);
        expect(g.frames[1]).toBeGreaterThan(g.frames[0]); // her video goes on
      }
      await grace.page.getByRole("button", { name: "Unmute", exact: true }).click();
      await expect
        .poll(
          async () =>
            (await growth({ ada: ada.page }))
              .find((g) => g.peer === "Grace Hopper")
              ?.audio.reduce((a, b) => b - a),
          { timeout: CONNECT_TIMEOUT },
        )
        .toBeGreaterThan(0);

      // Leave: the others' connections to Alan close and his tile goes.
      for (const p of [ada.page, grace.page])
        await p.evaluate(() => {
          const d = window.connvoCall?.diagnostics().find((x) => x.name === "Alan Turing");
          (window as unknown as { alanPc?: RTCPeerConnection | null }).alanPc = d?.pc ?? null;
        });
      await alan.page.getByRole("button", { name: "Hang up" }).click();
      for (const p of [ada.page, grace.page]) {
        await expect
          .poll(
            () =>
              p.evaluate(
                () => (window as unknown as { alanPc?: RTCPeerConnection }).alanPc?.connectionState,
              ),
            {
              timeout: CONNECT_TIMEOUT,
            },
          )
          .toBe("closed");
        await expect
          .poll(() => p.locator('[data-testid="call-tile"][data-name="Alan Turing"]').count(), {
            timeout: CONNECT_TIMEOUT,
          })
          .toBe(0);
        expect((await callStats(p)).map((s) => s.name)).not.toContain("Alan Turing");
      }
      // Ada and Grace stay connected to each other.
      await expect
        .poll(
          async () =>
            (await growth({ ada: ada.page, grace: grace.page }))
              .filter((g) => g.audio[1] > g.audio[0])
              .map((g) => `${g.page}<-${g.peer}`)
              .sort(),
          { timeout: CONNECT_TIMEOUT },
        )
        .toEqual(["ada<-Grace Hopper", "grace<-Ada Lovelace"]);

      // Rejoin (audio only this time): connected to both again.
      await alan.page.getByRole("button", { name: "Audio only", exact: true }).click();
      await alan.page
        .locator('[data-testid="call"][data-status="live"]')
        .waitFor({ timeout: CONNECT_TIMEOUT });
      await waitConnected(alan.page, ["Ada Lovelace", "Grace Hopper"], CONNECT_TIMEOUT);
      await waitConnected(ada.page, ["Grace Hopper", "Alan Turing"], CONNECT_TIMEOUT);

      // The meeting's call metrics, as the host sees them.
      const host = await clientAs(stack, "Ada Lovelace");
      await expect
        .poll(
          async () =>
            (await host.query(api.rtcMetrics.forMeeting, { meetingId })).connections.succeeded,
          {
            timeout: CONNECT_TIMEOUT,
          },
        )
        .toBeGreaterThanOrEqual(8);
      const m = await host.query(api.rtcMetrics.forMeeting, { meetingId });
      expect(m.signals.total).toBeGreaterThan(0);
      expect(m.turnMints.total).toBeGreaterThanOrEqual(4);
      expect(m.turnMints.withTurn).toBe(0);
      expect(m.connections.byCandidateType.host).toBe(m.connections.succeeded);
      expect(m.timeToFirstMedia.count).toBeGreaterThanOrEqual(6);
      expect(m.timeToConnect.medianMs).toBeGreaterThan(0);
    } finally {
      for (const p of [ada, grace, alan]) await p.context.close();
    }
  }, 240_000);

  it("through coturn: relay-only ICE connects over a relay pair; wrong or expired credentials get no relay", async () => {
    let turn: Coturn | undefined;
    const saved = { ...process.env };
    const ada = await callPerson(browser, stack.web.url, "Ada Lovelace");
    const grace = await callPerson(browser, stack.web.url, "Grace Hopper");
    try {
      turn = await startCoturn();
      process.env.TURN_URLS = turn.url;
      process.env.TURN_SECRET = turn.secret;
      process.env.TURN_RELAY_ONLY = "1";
      process.env.TURN_TTL_SECONDS = "600";
      const meetingId = await liveMeeting(stack, "TURN test");
      await joinCall(ada.page, stack.web.url, meetingId, "Join with camera");
      await joinCall(grace.page, stack.web.url, meetingId, "Audio only");
      await waitConnected(ada.page, ["Grace Hopper"], CONNECT_TIMEOUT);
      await waitConnected(grace.page, ["Ada Lovelace"], CONNECT_TIMEOUT);
      for (const p of [ada.page, grace.page]) {
        const [s] = await callStats(p);
        expect([s?.local, s?.remote]).toEqual(["relay", "relay"]);
      }
      // Media flows through the relay: Grace decodes Ada's video, both receive audio.
      await expect
        .poll(
          async () => {
            const g = await growth({ ada: ada.page, grace: grace.page });
            return (
              g.every((x) => x.audio[1] > x.audio[0]) &&
              g.some((x) => x.page === "grace" && x.frames[1] > x.frames[0])
            );
          },
          { timeout: CONNECT_TIMEOUT },
        )
        .toBe(true);
      expect(turn.log()).toMatch(/allocation|ALLOCATE|relay/i);

      // Credentials: right secret and a future expiry get a relay candidate; anything else none.
      const userId = "someone";
      const now = Date.now();
      const good = await mintTurnCredential(turn.secret, userId, now, 600);
      const wrong = await mintTurnCredential("not-the-secret", userId, now, 600);
      const expired = await mintTurnCredential(turn.secret, userId, now - 3_600_000, 60);
      const relays = (cred: { username: string; credential: string }) =>
        ada.page.evaluate(
          async ({ url, cred }) => {
            const pc = new RTCPeerConnection({
              iceServers: [{ urls: url, username: cred.username, credential: cred.credential }],
              iceTransportPolicy: "relay",
            });
            const found: string[] = [];
            pc.onicecandidate = (e) => {
              if (e.candidate?.candidate.includes(" typ relay")) found.push(e.candidate.candidate);
            };
            pc.addTransceiver("audio");
            await pc.setLocalDescription();
            const until = Date.now() + 20_000; // generous: gathering ends sooner either way
            while (pc.iceGatheringState !== "complete" && Date.now() < until)
              await new Promise((r) => setTimeout(r, 100));
            pc.close();
            return found.length;
          },
          { url: turn?.url ?? "", cred },
        );
      expect(await relays(good)).toBeGreaterThan(0);
      expect(await relays(wrong)).toBe(0);
      expect(await relays(expired)).toBe(0);

      const m = await (await clientAs(stack, "Ada Lovelace")).query(api.rtcMetrics.forMeeting, {
        meetingId,
      });
      expect(m.turnMints.withTurn).toBeGreaterThanOrEqual(2);
      await expect
        .poll(
          async () =>
            (
              await (
                await clientAs(stack, "Ada Lovelace")
              ).query(api.rtcMetrics.forMeeting, { meetingId })
            ).connections.byCandidateType.relay ?? 0,
          { timeout: CONNECT_TIMEOUT },
        )
        .toBeGreaterThanOrEqual(2);
    } finally {
      await ada.context.close();
      await grace.context.close();
      await turn?.close();
      for (const k of ["TURN_URLS", "TURN_SECRET", "TURN_RELAY_ONLY", "TURN_TTL_SECONDS"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  }, 180_000);

  it("transcription: each microphone is cut at pauses, sent to the provider, and shown to everyone as its speaker", async () => {
    const SENTENCE = "The pricing page ships on Monday.";
    const wav = speechWav(SENTENCE);
    let stt: FakeStt | undefined;
    const saved = { ...process.env };
    const mic = await launchCallChromium([`--use-file-for-fake-audio-capture=${wav.path}`]);
    try {
      stt = await startFakeStt({
        model: "whisper-e2e",
        apiKey: "sk-e2e",
        sentence: SENTENCE,
        failFirst: [429, 500],
      });
      process.env.STT_URL = stt.url;
      process.env.STT_MODEL = "whisper-e2e";
      process.env.STT_API_KEY = "sk-e2e";
      const meetingId = await liveMeeting(stack, "Transcription test");
      const ada = await callPerson(mic, stack.web.url, "Ada Lovelace");
      const grace = await callPerson(mic, stack.web.url, "Grace Hopper");
      await joinCall(ada.page, stack.web.url, meetingId, "Audio only");
      await joinCall(grace.page, stack.web.url, meetingId, "Audio only");
      const status = (p: Page) => p.getByTestId("transcription-status").getAttribute("data-state");
      expect(await status(grace.page)).toBe("off");
      // Grace opts out before the host turns it on; then the host turns it on; everyone sees it.
      await grace.page.getByRole("button", { name: "Don’t transcribe me" }).click();
      await ada.page.getByText("Opted out: Grace Hopper").waitFor({ timeout: CONNECT_TIMEOUT });
      await grace.page
        .getByRole("button", { name: "Transcribe me again" })
        .waitFor({ timeout: CONNECT_TIMEOUT });
      await ada.page.getByRole("button", { name: "Turn transcription on" }).click();
      await expect.poll(() => status(grace.page), { timeout: CONNECT_TIMEOUT }).toBe("on");
      const reader = await clientAs(stack, "Grace Hopper");
      const chunks = async () =>
        (await reader.query(api.transcripts.stream, { ...(await roomArgs(reader, meetingId)) }))
          .chunks;
      await expect
        .poll(async () => (await chunks()).filter((c) => c.speaker === "Ada Lovelace").length, {
          timeout: CONNECT_TIMEOUT,
        })
        .toBeGreaterThanOrEqual(2);
      await expect
        .poll(() => grace.page.getByTestId("transcript").textContent(), {
          timeout: CONNECT_TIMEOUT,
        })
        .toContain(SENTENCE);
      const before = await chunks();
      // Grace opted out before it was on: nothing of hers was sent or stored.
      expect(before.filter((c) => c.speaker !== "Ada Lovelace")).toEqual([]);
      for (const c of before) {
        expect(c).toMatchObject({ text: SENTENCE, isFinal: true });
        expect(c.utteranceId).toMatch(/^stt:/);
      }
      expect(new Set(before.map((c) => c.utteranceId)).size).toBe(before.length);
      // The provider saw the request shape it requires, failed twice, and every segment is
      // the spoken sentence's length (cut at the pauses around it), not the whole stream.
      expect(stt.requests.slice(0, 3).map((r) => r.status)).toEqual([429, 500, 200]);
      const spoken = stt.requests.filter((r) => r.status === 200 && (r.rms ?? 0) > 0.01);
      expect(spoken.length).toBeGreaterThanOrEqual(2);
      for (const r of stt.requests) {
        expect(r).toMatchObject({
          model: "whisper-e2e",
          responseFormat: "json",
          fileType: "audio/wav",
          error: null,
        });
        expect(r.fileName).toMatch(/\.wav$/);
      }
      // (A first segment may start mid-sentence: the fake microphone was already playing.)
      for (const r of spoken) expect(r.durationMs ?? 0).toBeLessThan(wav.voicedMs + 1500);
      expect(
        spoken.filter((r) => (r.durationMs ?? 0) > wav.voicedMs * 0.8).length,
      ).toBeGreaterThanOrEqual(1);
      await screenshot(grace.page, "call-transcript");
      // Grace opts back in: her own microphone is transcribed as her.
      await grace.page.getByRole("button", { name: "Transcribe me again" }).click();
      await expect
        .poll(async () => (await chunks()).filter((c) => c.speaker === "Grace Hopper").length, {
          timeout: CONNECT_TIMEOUT,
        })
        .toBeGreaterThanOrEqual(1);
      await expect
        .poll(() => ada.page.getByTestId("transcript").textContent(), { timeout: CONNECT_TIMEOUT })
        .toContain("Grace Hopper");
    } finally {
      await mic.close();
      await stt?.close();
      wav.remove();
      for (const k of ["STT_URL", "STT_MODEL", "STT_API_KEY"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  }, 180_000);
});
