/**
 * Helpers of the call's browser tests: Chromium with its fake camera and
 * microphone, kept on loopback; meetings created through the real client as
 * the demo people; and `RTCPeerConnection.getStats()` read from each page
 * through the room's diagnostics handle (`window.connvoCall`).
 */
import { ConvexHttpClient } from "convex/browser";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { DEMO_USERS } from "../../web/lib/devUsers";
import { launchChromium, signIn } from "./browser";
import type { Stack } from "./stack";

/**
 * Chromium for calls: the fake camera and microphone without a permission
 * prompt, loopback allowed as a host candidate, and host candidates by address
 * (not mDNS names, which would go out as multicast).
 */
export async function launchCallChromium(extraArgs: string[] = []): Promise<Browser> {
  return await launchChromium([
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
    ...extraArgs,
  ]);
}

/**
 * Keeps every page's WebRTC traffic on this machine: remote candidates that
 * are not 127.0.0.1 (its other interfaces) are dropped before they reach the
 * peer connection, so connectivity checks target only 127.0.0.1. (Chromium
 * still sends some checks from sockets bound to its other interfaces; the
 * replies go back to that same local address as a peer-reflexive candidate,
 * and never leave the machine.)
 */
const LOOPBACK_ONLY = `(() => {
  const loopback = (line) => / 127\\.0\\.0\\.1 \\d+ typ /.test(line);
  const add = RTCPeerConnection.prototype.addIceCandidate;
  RTCPeerConnection.prototype.addIceCandidate = function (c, ...rest) {
    const line = c && typeof c === "object" ? c.candidate : "";
    if (line && !loopback(line)) return Promise.resolve();
    return add.call(this, c, ...rest);
  };
  const setRemote = RTCPeerConnection.prototype.setRemoteDescription;
  RTCPeerConnection.prototype.setRemoteDescription = function (d, ...rest) {
    if (d && d.sdp) d = { type: d.type, sdp: d.sdp.split("\\r\\n").filter((l) => !l.startsWith("a=candidate:") || loopback(l)).join("\\r\\n") };
    return setRemote.call(this, d, ...rest);
  };
})();`;

/** A fresh context signed in as the demo person `name`, WebRTC kept on loopback. */
export async function callPerson(
  browser: Browser,
  webUrl: string,
  name: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(LOOPBACK_ONLY);
  if (process.env.CALL_DEBUG)
    await context.addInitScript(() => localStorage.setItem("connvoCallDebug", "1"));
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.text().startsWith("[call]")) console.log(`[${name}] ${m.text()}`);
  });
  await signIn(page, webUrl, name);
  return { context, page };
}

/** A Convex client authenticated as the demo person `name` (the same token the web app gets). */
export async function clientAs(stack: Stack, name: string): Promise<ConvexHttpClient> {
  const u = DEMO_USERS.find((d) => d.name === name);
  if (!u) throw new Error(`no demo user ${name}`);
  const client = new ConvexHttpClient(stack.engine.url);
  client.setAuth(
    await stack.engine.mintDevToken({ subject: u.subject, name: u.name, email: u.email }),
  );
  return client;
}

/** A new live meeting hosted by Ada with Grace and Alan invited. */
export async function liveMeeting(stack: Stack, title: string): Promise<Id<"meetings">> {
  const ada = await clientAs(stack, "Ada Lovelace");
  await ada.mutation(api.users.ensure, {});
  const ids: Id<"users">[] = [];
  for (const n of ["Grace Hopper", "Alan Turing"]) {
    const c = await clientAs(stack, n);
    ids.push((await c.mutation(api.users.ensure, {}))._id);
  }
  const r = await ada.mutation(api.meetings.schedule, {
    title,
    scheduledAt: Date.now(),
    durationMinutes: 30,
    invitees: ids.map((userId) => ({ userId, role: "participant" as const })),
  });
  if (!r.ok) throw new Error(r.message);
  const started = await ada.mutation(api.meetings.start, { meetingId: r.meetingId });
  if (!started.ok) throw new Error(started.message);
  return r.meetingId;
}

/** What one page's connection to one peer shows in `getStats()`. */
export type PeerStats = {
  name: string;
  state: string;
  framesDecoded: number;
  audioBytes: number;
  local: string | null;
  remote: string | null;
  /** The selected pair's addresses. */
  localAddress: string | null;
  remoteAddress: string | null;
};

/** Every peer connection of the page's call, with its inbound media counters and selected pair. */
export async function callStats(page: Page): Promise<PeerStats[]> {
  return await page.evaluate(async () => {
    const call = window.connvoCall;
    if (!call) return [];
    const out = [];
    for (const d of call.diagnostics()) {
      if (!d.pc) continue;
      const stats = await d.pc.getStats();
      let framesDecoded = 0;
      let audioBytes = 0;
      let pairId: string | undefined;
      stats.forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") framesDecoded += s.framesDecoded ?? 0;
        if (s.type === "inbound-rtp" && s.kind === "audio") audioBytes += s.bytesReceived ?? 0;
        if (s.type === "transport" && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
      });
      const pair = pairId ? stats.get(pairId) : undefined;
      const lc = pair ? stats.get(pair.localCandidateId) : undefined;
      const rc = pair ? stats.get(pair.remoteCandidateId) : undefined;
      out.push({
        name: d.name,
        state: d.pc.connectionState,
        framesDecoded,
        audioBytes,
        local: lc?.candidateType ?? null,
        remote: rc?.candidateType ?? null,
        localAddress: lc?.address ?? null,
        remoteAddress: rc?.address ?? null,
      });
    }
    return out;
  });
}

/** Waits until the page has a connected peer connection to each of `names`. */
export async function waitConnected(page: Page, names: string[], timeout: number): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    const s = await callStats(page);
    const connected = new Set(s.filter((p) => p.state === "connected").map((p) => p.name));
    if (names.every((n) => connected.has(n))) return;
    if (Date.now() > until) {
      const detail = await page.evaluate(() => ({
        log: (window as unknown as { connvoCallLog?: string[] }).connvoCallLog ?? [],
        pcs: (window.connvoCall?.diagnostics() ?? []).map((d) => ({
          name: d.name,
          signaling: d.pc?.signalingState,
          ice: d.pc?.iceConnectionState,
          gathering: d.pc?.iceGatheringState,
          local: d.pc?.localDescription?.type,
          remote: d.pc?.remoteDescription?.type,
        })),
      }));
      console.log(`[${names.join(",")}] ${JSON.stringify(detail.pcs)}\n${detail.log.join("\n")}`);
      throw new Error(
        `not connected to ${names.join(", ")} in ${timeout} ms: ${JSON.stringify(s)}`,
      );
    }
    await page.waitForTimeout(250);
  }
}

/** Opens the room of `meetingId` and joins the call with the button named `button`. */
export async function joinCall(
  page: Page,
  webUrl: string,
  meetingId: string,
  button: string,
): Promise<void> {
  await page.goto(`${webUrl}/meetings/${meetingId}`);
  const join = page.getByRole("button", { name: button, exact: true });
  await join.waitFor({ timeout: 45_000 });
  await page.waitForFunction(() => !!window.connvoCall, undefined, { timeout: 45_000 });
  await join.click();
  await page.locator('[data-testid="call"][data-status="live"]').waitFor({ timeout: 45_000 });
}

/** Why 1.5 s: at 30 fps and Opus's 50 packets/s, counters move many times in that window. */
const GROWTH_WINDOW_MS = 1_500;

function byName(stats: PeerStats[]): Map<string, PeerStats> {
  return new Map(stats.map((s) => [s.name, s]));
}

/** Counters of every page's connection to every peer, twice, `GROWTH_WINDOW_MS` apart. */
export async function growth(pages: Record<string, Page>) {
  const before = new Map<string, Map<string, PeerStats>>();
  for (const [n, p] of Object.entries(pages)) before.set(n, byName(await callStats(p)));
  await new Promise((r) => setTimeout(r, GROWTH_WINDOW_MS));
  const out: { page: string; peer: string; frames: [number, number]; audio: [number, number] }[] =
    [];
  for (const [n, p] of Object.entries(pages)) {
    for (const s of await callStats(p)) {
      const b = before.get(n)?.get(s.name);
      out.push({
        page: n,
        peer: s.name,
        frames: [b?.framesDecoded ?? 0, s.framesDecoded],
        audio: [b?.audioBytes ?? 0, s.audioBytes],
      });
    }
  }
  return out;
}
