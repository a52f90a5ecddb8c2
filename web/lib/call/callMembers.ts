/** The call's member list as the page shows it: this person first, then each peer. */
import type { CallMember, LinkState } from "./callClient";
import type { PeerLink } from "./peerLink";

/** What the mesh knows of another person in the call. */
export type Peer = {
  name: string;
  userId: string;
  audio: boolean;
  video: boolean;
  receiveOnly: boolean;
};

/** This person's own entry: their session id and local stream. */
export type SelfEntry = Peer & { id: string; stream: MediaStream | null };

/** Members from this person (when joined) and the peers keyed by session id. Pure. */
export function membersOf(
  self: SelfEntry | null,
  peers: ReadonlyMap<string, Peer>,
  streams: ReadonlyMap<string, MediaStream>,
  linkStates: ReadonlyMap<string, LinkState>,
): CallMember[] {
  const members: CallMember[] = [];
  if (self)
    members.push({
      id: self.id,
      userId: self.userId,
      name: self.name,
      isSelf: true,
      audio: self.audio,
      video: self.video,
      receiveOnly: self.receiveOnly,
      stream: self.stream,
      connection: "connected",
    });
  for (const [id, p] of peers)
    members.push({
      id,
      userId: p.userId,
      name: p.name,
      isSelf: false,
      audio: p.audio,
      video: p.video,
      receiveOnly: p.receiveOnly,
      stream: streams.get(id) ?? null,
      connection: linkStates.get(id) ?? "connecting",
    });
  return members;
}

/**
 * One stats sample of every link: each peer's speaking level (0 while they
 * are muted) and the loudest local level any link saw.
 */
export async function sampleLevels(
  links: ReadonlyMap<string, PeerLink>,
  peers: ReadonlyMap<string, Peer>,
): Promise<{ levels: Map<string, number>; localLevel: number }> {
  const levels = new Map<string, number>();
  let localLevel = 0;
  for (const [id, link] of links) {
    try {
      const s = await link.sample();
      levels.set(id, peers.get(id)?.audio === false ? 0 : s.remoteAudioLevel);
      if (s.localAudioLevel !== null) localLevel = Math.max(localLevel, s.localAudioLevel);
    } catch {
      // A link closing mid-sample.
    }
  }
  return { levels, localLevel };
}

/** A per-tab id for this person's call session (one person may join from two tabs). */
export function newDeviceId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : String(Math.random());
}
