/**
 * The free tier's `CallClient`: a WebRTC full mesh (one `PeerLink` per other
 * person, at most the plan's limit) with signaling through Convex.
 *
 * Join: local media (camera + mic, mic only, or none; a refused permission
 * falls back to less) → ICE servers (TURN credentials minted by the server, or
 * host candidates only) → a session (`rtcSessions.join`; CONFLICT = the call
 * is full) → two subscriptions: the peer list (links are opened for new peers
 * and closed for peers that left, at once) and this session's inbox (signals
 * are routed to their link in order, then acknowledged, which deletes them).
 * A heartbeat keeps the session and publishes mute/camera; a sampler reads
 * each link's stats for the active speaker and time to first media.
 */

import type { Id } from "../../../convex/_generated/dataModel";
import { NOBODY, nextSpeaker, type SpeakerState } from "./activeSpeaker";
import {
  type CallClient,
  type CallState,
  IDLE_CALL,
  type JoinMode,
  type LinkState,
  type PeerDiagnostics,
  refusedJoin,
} from "./callClient";
import { debug } from "./callDebug";
import { membersOf, newDeviceId, type Peer, sampleLevels } from "./callMembers";
import { openLocalMedia, VIDEO, withVideoTrack } from "./localMedia";
import { PeerLink } from "./peerLink";
import type { InboxView, OutSignal, PeersView, SessionId, SignalingChannel } from "./signaling";
import { drainSignals, type SignalBox } from "./signalOutbox";

/** Why 15 s: the server's heartbeat interval (`HEARTBEAT_INTERVAL_MS`); its TTL is three of them. */
const HEARTBEAT_MS = 15_000;
/** Why 400 ms: the speaking highlight follows speech without flooding getStats. */
const SAMPLE_MS = 400;
/** Why 5 min: re-mint TURN credentials this long before they expire. */
const ICE_REFRESH_MARGIN_MS = 5 * 60_000;

/** What the mesh needs from its surroundings (the browser, by default). */
export type MeshDeps = {
  signaling: SignalingChannel;
  getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream>;
  /** Override the deployment's ICE transport policy (`TURN_RELAY_ONLY` sets "relay"). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  now?: () => number;
};

/** The mesh implementation of {@link CallClient}. */
export class MeshCall implements CallClient {
  readonly provider = "mesh";
  private state: CallState = IDLE_CALL;
  private listeners = new Set<(s: CallState) => void>();
  private readonly sig: SignalingChannel;
  private readonly gum: (c: MediaStreamConstraints) => Promise<MediaStream>;
  private readonly now: () => number;
  private readonly forcedPolicy: RTCIceTransportPolicy | null;
  private policy: RTCIceTransportPolicy = "all";
  private sessionId: SessionId | null = null;
  private receiveOnly = false;
  private local: MediaStream | null = null;
  private iceServers: RTCIceServer[] = [];
  private iceExpiresAt: number | null = null;
  private links = new Map<string, PeerLink>();
  private peers = new Map<string, Peer>();
  private streams = new Map<string, MediaStream>();
  private linkStates = new Map<string, LinkState>();
  private self: Peer | null = null;
  private early = new Map<string, { id: string; kind: OutSignal["kind"]; payload: string }[]>();
  private handled = new Set<string>();
  private outbox = new Map<string, SignalBox>();
  private stops: (() => void)[] = [];
  private speaker: SpeakerState = NOBODY;
  private readonly deviceId = newDeviceId();

  constructor(deps: MeshDeps) {
    this.sig = deps.signaling;
    this.gum = deps.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
    this.now = deps.now ?? (() => performance.now());
    this.forcedPolicy = deps.iceTransportPolicy ?? null;
  }

  getState(): CallState {
    return this.state;
  }

  subscribe(listener: (s: CallState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<CallState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  private publishMembers(): void {
    const self =
      this.self && this.sessionId
        ? {
            ...this.self,
            id: this.sessionId,
            audio: this.state.mic,
            video: this.state.camera,
            receiveOnly: this.receiveOnly,
            stream: this.local,
          }
        : null;
    this.set({ members: membersOf(self, this.peers, this.streams, this.linkStates) });
  }

  async join(mode: JoinMode): Promise<void> {
    if (this.state.status === "joining" || this.state.status === "live") return;
    this.set({ ...IDLE_CALL, status: "joining", mode });
    const { stream, warning } = await openLocalMedia(this.gum, mode);
    const ice = await this.sig.iceServers().catch((e: unknown) => ({
      ok: false as const,
      code: "INTERNAL",
      message: String(e),
    }));
    if (!ice.ok) {
      for (const t of stream?.getTracks() ?? []) t.stop();
      this.set({ status: "error", message: `Could not prepare the call: ${ice.message}` });
      return;
    }
    this.iceServers = ice.iceServers;
    this.iceExpiresAt = ice.expiresAt;
    this.policy = this.forcedPolicy ?? ice.iceTransportPolicy;
    const media = {
      audio: !!stream?.getAudioTracks().length,
      video: !!stream?.getVideoTracks().length,
    };
    const r = await this.sig.join({ deviceId: this.deviceId, media });
    if (!r.ok) {
      for (const t of stream?.getTracks() ?? []) t.stop();
      this.set(refusedJoin(r));
      return;
    }
    this.sessionId = r.sessionId;
    this.receiveOnly = r.receiveOnly;
    if (r.receiveOnly) for (const t of stream?.getTracks() ?? []) t.stop();
    this.local = r.receiveOnly ? null : stream;
    this.set({
      status: "live",
      message: r.receiveOnly
        ? "Observers watch and listen: your camera and microphone stay off."
        : warning,
      mic: !r.receiveOnly && media.audio,
      camera: !r.receiveOnly && media.video,
      iceMode: ice.mode,
    });
    const sid = r.sessionId;
    this.stops.push(
      this.sig.watchPeers(
        sid,
        (v) => this.onPeers(v),
        (e) => this.fail(e),
      ),
      this.sig.watchInbox(
        sid,
        (v) => this.onInbox(v),
        (e) => this.fail(e),
      ),
    );
    const beat = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    const sample = setInterval(() => void this.sample(), SAMPLE_MS);
    this.stops.push(
      () => clearInterval(beat),
      () => clearInterval(sample),
    );
  }

  private fail(e: Error): void {
    const removed = /not a participant|FORBIDDEN/.test(e.message);
    this.teardown();
    this.set({
      status: removed ? "ended" : "error",
      message: removed
        ? "You are no longer a participant of this meeting."
        : `The call stopped: ${e.message}`,
    });
  }

  private onPeers(view: PeersView): void {
    if (view.status === "ended") {
      this.teardown();
      this.set({ status: "ended", message: `You left the call: ${view.reason}.` });
      return;
    }
    this.self = {
      name: view.self.name,
      userId: view.self.userId,
      ...view.self.media,
      receiveOnly: view.self.receiveOnly,
    };
    const present = new Set<string>();
    for (const p of view.peers) {
      present.add(p.sessionId);
      this.peers.set(p.sessionId, {
        name: p.name,
        userId: p.userId,
        ...p.media,
        receiveOnly: p.receiveOnly,
      });
      if (!this.links.has(p.sessionId)) this.openLink(p.sessionId);
    }
    for (const id of [...this.links.keys()]) if (!present.has(id)) this.closeLink(id);
    this.publishMembers();
  }

  private openLink(peerId: string): void {
    const sid = this.sessionId;
    if (!sid) return;
    const tracks = this.local
      ? this.local.getTracks().map((track) => ({ track, stream: this.local as MediaStream }))
      : [];
    const link = new PeerLink({
      initiator: sid < peerId,
      iceServers: this.iceServers,
      iceTransportPolicy: this.policy,
      tracks,
      send: (signals) => this.enqueue(peerId, signals),
      onStream: (stream) => {
        this.streams.set(peerId, stream);
        this.publishMembers();
      },
      onState: (s) => {
        debug("state", peerId.slice(-12, -6), s);
        this.linkStates.set(peerId, s);
        this.publishMembers();
      },
      report: (r) => void this.sig.report(sid, r).catch(() => undefined),
      refreshIceServers: () => this.freshIceServers(),
      now: this.now,
    });
    this.links.set(peerId, link);
    debug("open", peerId.slice(-12, -6), {
      initiator: sid < peerId,
      early: this.early.get(peerId)?.length ?? 0,
    });
    for (const s of this.early.get(peerId) ?? []) void link.handle(s.kind, s.payload);
    this.early.delete(peerId);
  }

  private closeLink(peerId: string): void {
    this.links.get(peerId)?.close();
    this.links.delete(peerId);
    this.peers.delete(peerId);
    this.streams.delete(peerId);
    this.linkStates.delete(peerId);
    this.outbox.delete(peerId);
    this.early.delete(peerId);
  }

  /** Signals to one peer go out one call at a time, coalescing what queued meanwhile. */
  private enqueue(peerId: string, signals: OutSignal[]): void {
    const box = this.outbox.get(peerId) ?? { sending: false, queue: [] };
    this.outbox.set(peerId, box);
    box.queue.push(...signals);
    debug(
      "send",
      peerId.slice(-12, -6),
      signals.map((x) => x.kind),
    );
    if (!box.sending) void this.drain(peerId, box);
  }

  private drain(peerId: string, box: SignalBox): Promise<void> {
    return drainSignals(
      box,
      (batch) => this.sig.send(this.sessionId as SessionId, peerId as SessionId, batch),
      () => this.sessionId !== null && this.outbox.get(peerId) === box,
    );
  }

  private onInbox(view: InboxView): void {
    if (view.status !== "live" || !this.sessionId) return;
    const done: Id<"rtcSignals">[] = [];
    for (const s of view.signals) {
      if (this.handled.has(s.id)) continue;
      this.handled.add(s.id);
      done.push(s.id);
      const link = this.links.get(s.from);
      debug("recv", s.from.slice(-12, -6), s.kind, link ? "link" : "early");
      if (link) void link.handle(s.kind, s.payload);
      else {
        const list = this.early.get(s.from) ?? [];
        list.push({ id: s.id, kind: s.kind, payload: s.payload });
        this.early.set(s.from, list);
      }
    }
    if (done.length > 0)
      void this.sig.ack(this.sessionId, done).catch(() => {
        for (const id of done) this.handled.delete(id);
      });
  }

  private async freshIceServers(): Promise<RTCIceServer[] | null> {
    if (this.iceExpiresAt === null || this.iceExpiresAt - Date.now() > ICE_REFRESH_MARGIN_MS)
      return null;
    const r = await this.sig.iceServers();
    if (!r.ok) return null;
    this.iceServers = r.iceServers;
    this.iceExpiresAt = r.expiresAt;
    return r.iceServers;
  }

  private async heartbeat(): Promise<void> {
    if (!this.sessionId) return;
    const r = await this.sig
      .heartbeat(this.sessionId, { audio: this.state.mic, video: this.state.camera })
      .catch(() => null);
    if (r && !r.ok && r.code !== "RATE_LIMITED") {
      this.teardown();
      this.set({ status: "ended", message: `You left the call: ${r.message}` });
    }
  }

  private async sample(): Promise<void> {
    const { levels, localLevel } = await sampleLevels(this.links, this.peers);
    if (this.sessionId) levels.set(this.sessionId, this.state.mic ? localLevel : 0);
    this.speaker = nextSpeaker(this.speaker, levels, Date.now());
    if (this.speaker.id !== this.state.activeSpeaker) this.set({ activeSpeaker: this.speaker.id });
  }

  async setMicEnabled(on: boolean): Promise<void> {
    if (this.state.status !== "live" || this.receiveOnly) return;
    let track = this.local?.getAudioTracks()[0] ?? null;
    if (on && !track) {
      const s = await this.gum({ audio: true }).catch(() => null);
      if (!s) return this.set({ message: "Your microphone is blocked or missing." });
      track = s.getAudioTracks()[0] ?? null;
      if (!track) return;
      this.local = this.local ?? new MediaStream();
      this.local.addTrack(track);
    }
    if (track) track.enabled = on;
    for (const link of this.links.values())
      await link.setTrack("audio", on ? track : null, this.local as MediaStream);
    this.set({ mic: on });
    this.publishMembers();
    void this.heartbeat();
  }

  async setCameraEnabled(on: boolean): Promise<void> {
    if (this.state.status !== "live" || this.receiveOnly) return;
    const old = this.local?.getVideoTracks()[0] ?? null;
    let track: MediaStreamTrack | null = null;
    if (on) {
      const s = await this.gum({ video: VIDEO }).catch(() => null);
      track = s?.getVideoTracks()[0] ?? null;
      if (!track) return this.set({ message: "Your camera is blocked or missing." });
    }
    this.local = withVideoTrack(this.local, old, track);
    for (const link of this.links.values()) await link.setTrack("video", track, this.local);
    this.set({ camera: on });
    this.publishMembers();
    void this.heartbeat();
  }

  localAudioTrack(): MediaStreamTrack | null {
    if (this.state.status !== "live" || !this.state.mic) return null;
    return this.local?.getAudioTracks()[0] ?? null;
  }

  diagnostics(): PeerDiagnostics[] {
    return [...this.links.entries()].map(([id, l]) => ({
      id,
      name: this.peers.get(id)?.name ?? "",
      pc: l.pc,
    }));
  }

  private teardown(): void {
    this.sessionId = null;
    for (const stop of this.stops.splice(0)) stop();
    for (const id of [...this.links.keys()]) this.closeLink(id);
    for (const t of this.local?.getTracks() ?? []) t.stop();
    this.local = null;
    this.self = null;
    this.early.clear();
    this.handled.clear();
    this.speaker = NOBODY;
    this.set({ members: [], mic: false, camera: false, activeSpeaker: null });
  }

  async leave(): Promise<void> {
    const sid = this.sessionId;
    this.sessionId = null;
    this.teardown();
    this.set({ status: "idle", message: null, mode: null });
    if (sid) await this.sig.leave(sid).catch(() => undefined);
  }

  dispose(): void {
    void this.leave();
    this.listeners.clear();
  }
}
