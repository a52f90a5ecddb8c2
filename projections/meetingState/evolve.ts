/**
 * `meetingState` read model: where a meeting is right now, for the meeting
 * room UI. Events: every `meeting` event (lifecycle, presence, roles) and
 * `transcript` chunks (speaking time, lulls, topics; only final chunks count).
 * Pure: time arrives inside the events (`at`).
 *
 * Duplicate facts are absorbed: joining while present keeps `presentSince`;
 * a final chunk whose utterance was already counted (within the last
 * {@link DEDUPE_WINDOW} finals) adds nothing.
 */

import type { Fold } from "../core/fold";
import { topKeywords } from "../core/keywords";
import type { LogEvent } from "../core/logEvent";
import type { ParticipantRole } from "../events/meeting";

/** Why: a 10 s silence in a live call is what the product calls a lull (prompt time). */
export const LULL_MS = 10_000;
/**
 * Why: topics follow the last ~minute of speech (about 12 utterances of ~5 s).
 * Version 1 of the projection used 8 (topics flickered too fast).
 */
export const TOPIC_WINDOW = 12;
/** Why: 5 topics fit the room's header chips. */
export const TOPIC_COUNT = 5;
/** Why: recorders resend a final at most a few utterances later; 64 ids cover that. */
export const DEDUPE_WINDOW = 64;
/** Why: the UI shows recent lulls only; keeps the row far from 1 MiB. */
export const MAX_LULLS = 20;

/** One participant's presence. */
export type PresenceEntry = {
  userId: string;
  role: ParticipantRole;
  status: "invited" | "joined" | "left" | "removed";
  /** Wall-clock ms since when the participant is present; null when absent. */
  presentSince: number | null;
  /** Presence accumulated over earlier stays (ms). */
  presentMs: number;
};

/** One speaker's talk statistics (final chunks only). */
export type SpeakerStats = {
  speakerId: string;
  speaker: string;
  speakingMs: number;
  utterances: number;
};

/** The `meetingState` view of one meeting. */
export type MeetingStateView = {
  status: "none" | "scheduled" | "active" | "ended" | "cancelled";
  active: boolean;
  title: string | null;
  hostId: string | null;
  scheduledAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  /** Sorted by userId. */
  participants: PresenceEntry[];
  /** Sorted by speakerId. */
  speakers: SpeakerStats[];
  lastActivityAt: number | null;
  /** `at` of the last final transcript chunk. */
  lastSpeechAt: number | null;
  /** Silences of at least {@link LULL_MS} between final chunks while active (latest last). */
  lulls: { from: number; to: number }[];
  /** Current topics: top keywords of the last {@link TOPIC_WINDOW} final chunks. */
  topics: string[];
  recentFinals: string[];
  countedUtterances: string[];
  eventCount: number;
};

/** The view before any event. */
export function initialMeetingState(): MeetingStateView {
  return {
    status: "none",
    active: false,
    title: null,
    hostId: null,
    scheduledAt: null,
    startedAt: null,
    endedAt: null,
    participants: [],
    speakers: [],
    lastActivityAt: null,
    lastSpeechAt: null,
    lulls: [],
    topics: [],
    recentFinals: [],
    countedUtterances: [],
    eventCount: 0,
  };
}

function upsert<T>(
  list: readonly T[],
  key: (x: T) => string,
  id: string,
  f: (x: T | undefined) => T,
): T[] {
  const out = list.filter((x) => key(x) !== id);
  out.push(f(list.find((x) => key(x) === id)));
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function withPresence(
  view: MeetingStateView,
  userId: string,
  f: (p: PresenceEntry | undefined) => PresenceEntry,
): MeetingStateView {
  return { ...view, participants: upsert(view.participants, (p) => p.userId, userId, f) };
}

function absent(p: PresenceEntry, at: number, status: PresenceEntry["status"]): PresenceEntry {
  const stay = p.presentSince === null ? 0 : Math.max(0, at - p.presentSince);
  return { ...p, status, presentSince: null, presentMs: p.presentMs + stay };
}

function fresh(userId: string, role: ParticipantRole): PresenceEntry {
  return { userId, role, status: "invited", presentSince: null, presentMs: 0 };
}

function evolveMeeting(
  view: MeetingStateView,
  e: LogEvent & { stream: "meeting" },
): MeetingStateView {
  const ev = e.event;
  switch (ev.type) {
    case "MeetingScheduled":
      return withPresence(
        {
          ...view,
          status: "scheduled",
          title: ev.title,
          hostId: ev.hostId,
          scheduledAt: ev.scheduledAt,
        },
        ev.hostId,
        (p) => p ?? fresh(ev.hostId, "host"),
      );
    case "MeetingStarted":
      return { ...view, status: "active", active: true, startedAt: view.startedAt ?? ev.at };
    case "MeetingEnded":
    case "MeetingCancelled": {
      const participants = view.participants.map((p) =>
        p.status === "joined" ? absent(p, ev.at, "left") : p,
      );
      const status = ev.type === "MeetingEnded" ? "ended" : "cancelled";
      return { ...view, status, active: false, endedAt: view.endedAt ?? ev.at, participants };
    }
    case "ParticipantInvited":
      return withPresence(view, ev.userId, (p) =>
        p ? { ...p, role: ev.role } : fresh(ev.userId, ev.role),
      );
    case "ParticipantJoined":
      return withPresence(view, ev.userId, (p) => {
        const base = p ?? fresh(ev.userId, "participant");
        if (base.status === "joined") return base;
        return { ...base, status: "joined", presentSince: ev.at };
      });
    case "ParticipantLeft":
    case "ParticipantRemoved":
      return withPresence(view, ev.userId, (p) =>
        absent(
          p ?? fresh(ev.userId, "participant"),
          ev.at,
          ev.type === "ParticipantLeft" ? "left" : "removed",
        ),
      );
    case "ParticipantRoleChanged": {
      const next = withPresence(view, ev.userId, (p) => ({
        ...(p ?? fresh(ev.userId, ev.role)),
        role: ev.role,
      }));
      return ev.role === "host" ? { ...next, hostId: ev.userId } : next;
    }
    // The paid call's media facts: presence here is the meeting's, not the call's,
    // so the view (and the projection's version) is unchanged by them.
    case "CallParticipantJoined":
    case "CallParticipantLeft":
    case "CallEnded":
    case "RecordingStarted":
    case "RecordingStopped":
    case "RecordingReady":
      return view;
  }
}

function evolveTranscript(
  view: MeetingStateView,
  e: LogEvent & { stream: "transcript" },
  topicWindow: number,
): MeetingStateView {
  const c = e.chunk;
  if (!c.isFinal || view.countedUtterances.includes(c.utteranceId)) return view;
  const lulls =
    view.active && view.lastSpeechAt !== null && e.at - view.lastSpeechAt >= LULL_MS
      ? [...view.lulls, { from: view.lastSpeechAt, to: e.at }].slice(-MAX_LULLS)
      : view.lulls;
  const recentFinals = [...view.recentFinals, c.text].slice(-topicWindow);
  const speakers = upsert(
    view.speakers,
    (s) => s.speakerId,
    c.speakerId,
    (s) => ({
      speakerId: c.speakerId,
      speaker: c.speaker,
      speakingMs: (s?.speakingMs ?? 0) + Math.max(0, c.endMs - c.startMs),
      utterances: (s?.utterances ?? 0) + 1,
    }),
  );
  return {
    ...view,
    speakers,
    lulls,
    recentFinals,
    topics: topKeywords(recentFinals, TOPIC_COUNT),
    lastSpeechAt: Math.max(view.lastSpeechAt ?? e.at, e.at),
    countedUtterances: [...view.countedUtterances, c.utteranceId].slice(-DEDUPE_WINDOW),
  };
}

/** Apply one event (meeting or transcript stream). */
export function evolveMeetingState(
  view: MeetingStateView,
  e: LogEvent,
  topicWindow: number = TOPIC_WINDOW,
): MeetingStateView {
  let next: MeetingStateView;
  if (e.stream === "meeting") next = evolveMeeting(view, e);
  else if (e.stream === "transcript") next = evolveTranscript(view, e, topicWindow);
  else return view;
  return {
    ...next,
    lastActivityAt: Math.max(view.lastActivityAt ?? e.at, e.at),
    eventCount: view.eventCount + 1,
  };
}

/** The ongoing lull at wall-clock `now`, if the meeting is active and silent for {@link LULL_MS}. */
export function currentLull(view: MeetingStateView, now: number): { since: number } | null {
  if (!view.active) return null;
  const since = view.lastSpeechAt ?? view.startedAt;
  return since !== null && now - since >= LULL_MS ? { since } : null;
}

/** The `meetingState` fold with a given topic window (the knob that differs between versions). */
export function makeMeetingStateFold(options: { topicWindow: number }): Fold<MeetingStateView> {
  return {
    streams: ["meeting", "transcript"],
    init: initialMeetingState,
    evolve: (view, e) => evolveMeetingState(view, e, options.topicWindow),
  };
}
