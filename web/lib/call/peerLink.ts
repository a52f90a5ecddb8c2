/**
 * One peer connection of the mesh, negotiated with the "perfect negotiation"
 * pattern (W3C WebRTC spec, §10.7): both sides may offer at any time (a
 * camera turned on adds a track on either side); on a collision the impolite
 * side ignores the incoming offer and the polite side rolls back its own
 * (implicitly, by `setRemoteDescription`), so glare never deadlocks.
 *
 * The first offer and ICE restarts come from one side only, the initiator
 * (decided by the session ids; it is the impolite side): Chromium may gather
 * no candidates at all for a connection whose first offer was rolled back,
 * so the two sides of a new pair never race. The initiator offers audio and
 * video either way (receive-only transceivers for what it does not send); the
 * other side attaches its tracks to those transceivers when it answers.
 *
 * It also restarts ICE when the connection fails (or stays disconnected),
 * swaps tracks for mute/camera without renegotiating when a sender exists, and
 * reports connected / failed / first media / ICE restarts with timings.
 */
import type { LinkState } from "./callClient";
import type { OutSignal, Report } from "./signaling";

/** Why 10 (5 s): the selected pair appears within a stats tick of "connected" even under load. */
const CANDIDATE_TYPE_TRIES = 10;
/** Why 4 s: "disconnected" often heals by itself within a couple of seconds (a Wi-Fi blip). */
const DISCONNECTED_GRACE_MS = 4_000;

/** What a link needs from the call around it. */
export type PeerLinkOptions = {
  /** This side makes the first offer and restarts ICE (the other side is the polite one). */
  initiator: boolean;
  iceServers: RTCIceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  /** Local tracks to send (none for a receive-only session). */
  tracks: { track: MediaStreamTrack; stream: MediaStream }[];
  /** Send signals to the peer (in order). */
  send(signals: OutSignal[]): void;
  /** The peer's media arrived or changed. */
  onStream(stream: MediaStream): void;
  onState(state: LinkState): void;
  report(report: Report): void;
  /** Fresh ICE servers before an ICE restart (TURN credentials may have expired). */
  refreshIceServers(): Promise<RTCIceServer[] | null>;
  now(): number;
};

/** One RTCPeerConnection to one peer session. */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private readonly createdAt: number;
  private reportedConnected = false;
  private reportedMedia = false;
  private disconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private remote = new MediaStream();
  /** The answering side attached its tracks to the first offer's transceivers. */
  private attached = false;
  /** Remote candidates that arrived before any remote description. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /** Signals handled one after another (descriptions before their candidates). */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: PeerLinkOptions) {
    this.createdAt = o.now();
    this.pc = new RTCPeerConnection({
      iceServers: o.iceServers,
      iceTransportPolicy: o.iceTransportPolicy,
    });
    if (o.initiator) {
      for (const { track, stream } of o.tracks) this.pc.addTrack(track, stream);
      for (const kind of ["audio", "video"] as const)
        if (!o.tracks.some((t) => t.track.kind === kind))
          this.pc.addTransceiver(kind, { direction: "recvonly" });
    }
    this.pc.onnegotiationneeded = () => void this.enqueue(() => this.negotiate(), "negotiation");
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) o.send([{ kind: "candidate", payload: JSON.stringify(candidate.toJSON()) }]);
    };
    this.pc.ontrack = ({ track, streams }) => {
      const stream = streams[0];
      if (stream) this.remote = stream;
      else if (!this.remote.getTracks().includes(track)) this.remote.addTrack(track);
      o.onStream(this.remote);
    };
    this.pc.onconnectionstatechange = () => this.onConnectionState();
  }

  /**
   * Our own offers and the peer's signals run one at a time on one queue, so
   * an offer we make never interleaves with a description we apply (the
   * browser's own operation chain would otherwise turn our "offer" into an
   * answer, or the answer we owe into a new offer).
   */
  private enqueue(task: () => Promise<void>, what: string): Promise<void> {
    this.queue = this.queue.then(task).catch((e: unknown) => {
      console.warn(`[call] ${what} failed`, e);
    });
    return this.queue;
  }

  private async negotiate(): Promise<void> {
    // Not stable: an exchange is under way; the browser fires negotiationneeded again once stable.
    if (this.closed || this.pc.signalingState !== "stable") return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      const d = this.pc.localDescription;
      if (d?.type === "offer") this.o.send([{ kind: "offer", payload: d.sdp }]);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Handle one signal from the peer (queued: in arrival order). */
  handle(kind: OutSignal["kind"], payload: string): Promise<void> {
    return this.enqueue(() => this.apply(kind, payload), `applying a ${kind}`);
  }

  private async apply(kind: OutSignal["kind"], payload: string): Promise<void> {
    if (this.closed) return;
    if (kind === "candidate") {
      const candidate = JSON.parse(payload) as RTCIceCandidateInit;
      // Before any remote description (we ignored their offer, or it is still on its way),
      // keep it: after a rollback the peer's answer may reuse these ICE credentials without
      // sending its candidates again.
      if (!this.pc.remoteDescription) {
        this.pendingCandidates.push(candidate);
        return;
      }
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (e) {
        if (!this.ignoreOffer) throw e;
      }
      return;
    }
    const readyForOffer =
      !this.makingOffer && (this.pc.signalingState === "stable" || this.settingRemoteAnswer);
    const collision = kind === "offer" && !readyForOffer;
    this.ignoreOffer = this.o.initiator && collision;
    if (this.ignoreOffer) return;
    this.settingRemoteAnswer = kind === "answer";
    try {
      await this.pc.setRemoteDescription({ type: kind, sdp: payload });
    } finally {
      this.settingRemoteAnswer = false;
    }
    // Candidates kept from before: those of other ICE credentials fail and are dropped.
    for (const c of this.pendingCandidates.splice(0))
      await this.pc.addIceCandidate(c).catch(() => undefined);
    if (kind === "offer" && !this.o.initiator && !this.attached) this.attachTracks();
    if (kind === "offer" && this.pc.signalingState === "have-remote-offer") {
      await this.pc.setLocalDescription();
      const d = this.pc.localDescription;
      if (d?.type === "answer") this.o.send([{ kind: "answer", payload: d.sdp }]);
    }
  }

  /** Send our tracks on the transceivers the initiator's first offer created. */
  private attachTracks(): void {
    this.attached = true;
    for (const { track, stream } of this.o.tracks) {
      const t = this.pc
        .getTransceivers()
        .find(
          (x) =>
            x.receiver.track.kind === track.kind &&
            x.sender.track === null &&
            x.currentDirection !== "stopped",
        );
      if (t) {
        void t.sender.replaceTrack(track);
        t.sender.setStreams?.(stream);
        t.direction = "sendrecv";
      } else {
        this.pc.addTrack(track, stream);
      }
    }
  }

  private onConnectionState(): void {
    const s = this.pc.connectionState;
    if (s === "connected") {
      this.clearDisconnect();
      this.o.onState("connected");
      if (!this.reportedConnected) {
        this.reportedConnected = true;
        void this.reportConnected();
      }
    } else if (s === "failed") {
      this.o.onState("failed");
      this.o.report({ kind: "failed", ms: Math.round(this.o.now() - this.createdAt) });
      if (this.o.initiator) void this.restartIce();
    } else if (s === "disconnected") {
      this.o.onState("reconnecting");
      this.clearDisconnect();
      this.disconnectTimer = setTimeout(() => {
        if (this.pc.connectionState === "disconnected" && this.o.initiator) void this.restartIce();
      }, DISCONNECTED_GRACE_MS);
    } else if (s === "closed") {
      this.o.onState("closed");
    } else {
      this.o.onState(this.reportedConnected ? "reconnecting" : "connecting");
    }
  }

  private clearDisconnect(): void {
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    this.disconnectTimer = null;
  }

  /** Restart ICE (with fresh servers when the call can mint them); negotiation follows. */
  async restartIce(): Promise<void> {
    if (this.closed) return;
    const servers = await this.o.refreshIceServers().catch(() => null);
    if (servers && !this.closed)
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: servers });
    if (this.closed) return;
    this.o.report({ kind: "iceRestart" });
    this.pc.restartIce();
  }

  private async reportConnected(): Promise<void> {
    const ms = Math.round(this.o.now() - this.createdAt);
    // A loaded browser may expose the selected pair a moment after "connected": look again a
    // few times (bounded), so the metric names the candidate type rather than none.
    let type = await this.selectedCandidateType();
    for (let i = 0; i < CANDIDATE_TYPE_TRIES && !type.candidateType && !this.closed; i++) {
      await new Promise((r) => setTimeout(r, 500));
      type = await this.selectedCandidateType();
    }
    if (this.closed) return;
    this.o.report({ kind: "connected", ms, ...type });
  }

  /** The selected candidate pair's local candidate type (host, srflx, prflx, relay). */
  async selectedCandidateType(): Promise<{ candidateType?: string }> {
    const stats = await this.pc.getStats();
    let pairId: string | undefined;
    stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
      if (s.type === "transport" && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    const pair = pairId
      ? (stats.get(pairId) as { localCandidateId?: string } | undefined)
      : undefined;
    const local = pair?.localCandidateId
      ? (stats.get(pair.localCandidateId) as { candidateType?: string } | undefined)
      : undefined;
    return local?.candidateType ? { candidateType: local.candidateType } : {};
  }

  /**
   * Sample stats: the peer's audio level (0–1) for the active speaker, and
   * report time to first media once any audio or video arrived.
   */
  async sample(): Promise<{ remoteAudioLevel: number; localAudioLevel: number | null }> {
    let remoteAudioLevel = 0;
    let localAudioLevel: number | null = null;
    let media = false;
    const stats = await this.pc.getStats();
    stats.forEach(
      (s: {
        type: string;
        kind?: string;
        audioLevel?: number;
        bytesReceived?: number;
        framesDecoded?: number;
      }) => {
        if (s.type === "inbound-rtp") {
          if (s.kind === "audio") remoteAudioLevel = Math.max(remoteAudioLevel, s.audioLevel ?? 0);
          if ((s.framesDecoded ?? 0) > 0 || (s.kind === "audio" && (s.bytesReceived ?? 0) > 0))
            media = true;
        } else if (s.type === "media-source" && s.kind === "audio" && s.audioLevel !== undefined) {
          localAudioLevel = s.audioLevel;
        }
      },
    );
    if (media && !this.reportedMedia) {
      this.reportedMedia = true;
      this.o.report({ kind: "firstMedia", ms: Math.round(this.o.now() - this.createdAt) });
    }
    return { remoteAudioLevel, localAudioLevel };
  }

  /**
   * Send `track` as this link's `kind` (null stops sending it): replaces the
   * track of an existing sender (no renegotiation), or adds one (the
   * negotiation follows).
   */
  async setTrack(
    kind: "audio" | "video",
    track: MediaStreamTrack | null,
    stream: MediaStream,
  ): Promise<void> {
    if (this.closed) return;
    const transceiver = this.pc
      .getTransceivers()
      .find(
        (t) =>
          t.currentDirection !== "stopped" &&
          (t.sender.track?.kind ?? t.receiver.track.kind) === kind &&
          this.sends(t),
      );
    if (transceiver) {
      await transceiver.sender.replaceTrack(track);
      return;
    }
    if (track) this.pc.addTrack(track, stream);
  }

  private sends(t: RTCRtpTransceiver): boolean {
    return t.direction === "sendrecv" || t.direction === "sendonly" || t.sender.track !== null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearDisconnect();
    this.pc.close();
    this.o.onState("closed");
  }
}
