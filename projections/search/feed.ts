/**
 * The search feed fold: what the search index needs from the meeting and
 * chat streams — the title, who may read the meeting (host and invited
 * people, minus removed ones; the access matrix's "read"), and the chat
 * messages changed since the state was loaded.
 *
 * `chat` is a per-batch change list, not a view: the projector's `load`
 * starts it empty and its `save` turns it into search sources, so the stored
 * part (`title`, `readers`) is what must equal a fold from empty (it does:
 * both only depend on meeting events, folded in order). Pure.
 */
import type { Fold } from "../core/fold";

/** One chat message as the index sees it after a batch: its text, or null once deleted. */
export type ChatChange = { messageId: string; authorId: string; text: string | null; at: number };

/** The search feed state. */
export type SearchFeed = {
  title: string | null;
  /** When the meeting was scheduled for (the title hit's replay moment). */
  scheduledAt: number | null;
  /** Users who may read the meeting, sorted. */
  readers: string[];
  titleChanged: boolean;
  chat: ChatChange[];
};

function withReader(readers: string[], userId: string): string[] {
  return readers.includes(userId) ? readers : [...readers, userId].sort();
}

function withChat(changes: ChatChange[], change: ChatChange): ChatChange[] {
  const prev = changes.find((c) => c.messageId === change.messageId);
  // A deleted message stays deleted (the chat fold ignores later edits too).
  if (prev && prev.text === null) return changes;
  // An edit keeps the post's moment: the replay opens where the message was sent.
  const merged = prev ? { ...change, at: prev.at } : change;
  return [...changes.filter((c) => c.messageId !== change.messageId), merged];
}

/** The search feed fold (meeting and chat streams). */
export const searchFeedFold: Fold<SearchFeed> = {
  streams: ["meeting", "chat"],
  init: () => ({ title: null, scheduledAt: null, readers: [], titleChanged: false, chat: [] }),
  evolve: (s, e) => {
    if (e.stream === "meeting") {
      const ev = e.event;
      switch (ev.type) {
        case "MeetingScheduled":
          return {
            ...s,
            title: ev.title,
            scheduledAt: ev.scheduledAt,
            titleChanged: true,
            readers: withReader(s.readers, ev.hostId),
          };
        case "ParticipantInvited":
          return { ...s, readers: withReader(s.readers, ev.userId) };
        case "ParticipantRemoved":
          return { ...s, readers: s.readers.filter((r) => r !== ev.userId) };
        default:
          return s;
      }
    }
    if (e.stream === "chat") {
      const ev = e.event;
      const text = ev.type === "MessageDeleted" ? null : ev.text;
      return {
        ...s,
        chat: withChat(s.chat, { messageId: ev.messageId, authorId: ev.authorId, text, at: ev.at }),
      };
    }
    return s;
  },
};
