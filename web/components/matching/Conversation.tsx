"use client";

import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import type { Id } from "../../../convex/_generated/dataModel";
import {
  directMessagesList,
  directMessagesMarkRead,
  directMessagesSend,
  directMessagesThreads,
  directMessagesWithPerson,
} from "../../lib/api";
import { plainError, refusalText } from "../../lib/errors";
import { timeOfDay, when } from "../../lib/format";
import { PersonChip } from "../PersonChip";

/** Why 30: a screenful of messages; older ones load on demand. */
const PAGE = 30;

function Messages({ threadId }: { threadId: Id<"dmThreads"> }) {
  const { results, status, loadMore } = usePaginatedQuery(
    directMessagesList,
    { threadId },
    { initialNumItems: PAGE },
  );
  const markRead = useMutation(directMessagesMarkRead);
  const newest = results[0]?._id;
  useEffect(() => {
    if (newest) void markRead({ threadId }).catch(() => undefined);
  }, [newest, threadId, markRead]);
  return (
    <>
      {status === "CanLoadMore" ? (
        <button type="button" className="link" onClick={() => loadMore(PAGE)}>
          Earlier messages
        </button>
      ) : null}
      <ul className="thread" data-testid="thread" aria-live="polite">
        {[...results].reverse().map((m) => (
          <li key={m._id} className={m.mine ? "mine" : undefined}>
            {m.text} <span className="muted">{timeOfDay(m.at)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A conversation with one person: messages (paginated, reactive) and the send box. */
export function Conversation({ userId }: { userId: Id<"users"> }) {
  const info = useQuery(directMessagesWithPerson, { userId });
  const send = useMutation(directMessagesSend);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (info === undefined) return <p className="muted">Loading…</p>;
  if (!info.person) return <p role="alert">You cannot message this person.</p>;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setError(null);
    try {
      const r = await send({ to: userId, text, clientKey: crypto.randomUUID() });
      if (r.ok) setText("");
      else setError(refusalText(r));
    } catch (err) {
      setError(plainError(err));
    }
  };
  return (
    <section className="card">
      <div className="pagehead">
        <h1>
          <PersonChip person={info.person} />
        </h1>
        <Link href="/messages">All conversations</Link>
      </div>
      {info.threadId ? (
        <Messages threadId={info.threadId} />
      ) : (
        <p className="muted">No messages yet.</p>
      )}
      {info.canSend ? (
        <form className="row" onSubmit={onSubmit} aria-label="Send a message">
          <label className="sr-only" htmlFor="dm-text">
            Message
          </label>
          <input
            id="dm-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={2000}
            placeholder="Write a message"
          />
          <button type="submit" className="button">
            Send
          </button>
        </form>
      ) : (
        <p className="muted">You can message people once you are connected.</p>
      )}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </section>
  );
}

/** The caller's conversations, latest first. */
export function Threads() {
  const threads = useQuery(directMessagesThreads, {});
  if (threads === undefined) return <p className="muted">Loading…</p>;
  return (
    <>
      <div className="pagehead">
        <h1>Messages</h1>
        <Link href="/connections">Connections</Link>
      </div>
      {threads.length === 0 ? (
        <p className="muted">No conversations yet. Message a connection to start one.</p>
      ) : null}
      <ul className="list">
        {threads.map((t) => (
          <li key={t.threadId}>
            <span>
              <PersonChip person={t.person} link={false} />
              <br />
              <Link href={`/messages/${t.person.userId}`}>
                {t.unread ? <strong>{t.lastPreview}</strong> : t.lastPreview}
              </Link>
            </span>
            <span className="muted">{when(t.lastAt)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
