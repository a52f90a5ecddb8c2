"use client";

import { PAGES_CACHE } from "../sw/pages";
import type { MeetingId, MeetingSummary } from "./api";

/**
 * What this browser keeps so a meeting opens without a network: the last
 * summary of each meeting the person opened (title, status, their role), in
 * localStorage under `connvo.meeting:<subject>:<id>`. The page itself is in the
 * service worker's `pages` cache and the notes are in IndexedDB (`useNotes`).
 */
const PREFIX = "connvo.meeting:";

function key(subject: string, meetingId: MeetingId): string {
  return `${PREFIX}${subject}:${meetingId}`;
}

/** Keep `meeting` as `subject` last saw it. */
export function rememberMeeting(subject: string, meeting: MeetingSummary): void {
  if (!meeting) return;
  try {
    window.localStorage.setItem(key(subject, meeting._id), JSON.stringify(meeting));
  } catch {
    // Storage full or blocked: the meeting simply does not open offline.
  }
}

/** The summary of `meetingId` as `subject` last saw it here, or null. */
export function rememberedMeeting(subject: string, meetingId: MeetingId): MeetingSummary | null {
  try {
    const raw = window.localStorage.getItem(key(subject, meetingId));
    if (!raw) return null;
    const v = JSON.parse(raw) as MeetingSummary;
    return v && v._id === meetingId && typeof v.title === "string" ? v : null;
  } catch {
    return null;
  }
}

/** Every meeting `subject` opened on this device, most recently scheduled first. */
export function rememberedMeetings(subject: string): NonNullable<MeetingSummary>[] {
  const found: NonNullable<MeetingSummary>[] = [];
  try {
    const mine = `${PREFIX}${subject}:`;
    for (let i = 0; i < window.localStorage.length; i++) {
      const k = window.localStorage.key(i);
      if (!k?.startsWith(mine)) continue;
      const meeting = rememberedMeeting(subject, k.slice(mine.length) as MeetingId);
      if (meeting) found.push(meeting);
    }
  } catch {
    // Nothing stored.
  }
  return found.sort((a, b) => b.scheduledAt - a.scheduledAt);
}

/**
 * Forget the offline copies of pages and meeting summaries (at sign-out, so the
 * next person on this browser does not find them). Note drafts in IndexedDB
 * stay: they are keyed by person, and unsynced edits must never be dropped.
 */
export async function forgetOfflineCopies(): Promise<void> {
  try {
    for (let i = window.localStorage.length - 1; i >= 0; i--) {
      const k = window.localStorage.key(i);
      if (k?.startsWith(PREFIX)) window.localStorage.removeItem(k);
    }
  } catch {
    // Nothing stored.
  }
  if ("caches" in window) await caches.delete(PAGES_CACHE).catch(() => false);
}
