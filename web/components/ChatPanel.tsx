"use client";

import { useMutation, useQuery } from "convex/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import {
  type ChatMessage,
  chatEdit,
  chatList,
  chatRemove,
  chatSend,
  type MeetingId,
  usersMe,
} from "../lib/api";
import { useOffline } from "../lib/connectivity";
import { failureOf, plainError } from "../lib/errors";
import { timeOfDay } from "../lib/format";

/** A message typed here that the server has not acknowledged yet. */
type Pending = { key: string; text: string; failed: string | null };

/**
 * The meeting's chat: messages in order, a box to send one, edit and delete of
 * your own messages (hosts and co-hosts may delete anyone's), and messages
 * sent while offline kept visible as "waiting to send" until the server has them.
 */
export function ChatPanel({
  meetingId,
  canSend,
  canModerate = false,
}: {
  meetingId: MeetingId;
  canSend: boolean;
  canModerate?: boolean;
}) {
  const messages = useQuery(chatList, { meetingId });
  const me = useQuery(usersMe, {});
  const send = useMutation(chatSend);
  const edit = useMutation(chatEdit);
  const remove = useMutation(chatRemove);
  const online = !useOffline();
  const [text, setText] = useState("");
  const [pending, setPending] = useState<Pending[]>([]);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const count = (messages?.length ?? 0) + pending.length;
  useEffect(() => {
    if (count > 0 && log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [count]);

  const deliver = async (p: Pending) => {
    try {
      // The Convex client queues the mutation while offline and sends it on reconnect;
      // the same key makes a retry after a failure a duplicate, not a second message.
      const failure = failureOf(await send({ meetingId, text: p.text, idempotencyKey: p.key }));
      setPending((all) =>
        failure
          ? all.map((x) => (x.key === p.key ? { ...x, failed: failure } : x))
          : all.filter((x) => x.key !== p.key),
      );
    } catch (err) {
      setPending((all) =>
        all.map((x) => (x.key === p.key ? { ...x, failed: plainError(err) } : x)),
      );
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    setError(null);
    setText("");
    const p: Pending = { key: crypto.randomUUID(), text: body, failed: null };
    setPending((all) => [...all, p]);
    void deliver(p);
  };

  const run = async (what: () => Promise<{ ok: boolean }>) => {
    setError(null);
    try {
      const failure = failureOf((await what()) as Parameters<typeof failureOf>[0]);
      if (failure) setError(failure);
      return !failure;
    } catch (err) {
      setError(plainError(err));
      return false;
    }
  };

  const onEdit = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const body = editing.text.trim();
    if (!body) return;
    const ok = await run(() =>
      edit({ meetingId, messageId: editing.id, text: body, idempotencyKey: crypto.randomUUID() }),
    );
    if (ok) setEditing(null);
  };

  const mine = (m: ChatMessage) => me !== undefined && m.authorId === me.user._id;

  return (
    <section className="panel chat" aria-labelledby="chat-h">
      <h2 id="chat-h">Chat</h2>
      <div className="chat-log" ref={log} aria-live="polite" data-testid="chat-log">
        {messages === undefined ? (
          <span className="muted">Loading…</span>
        ) : messages.length === 0 && pending.length === 0 ? (
          <span className="muted">No messages yet.</span>
        ) : (
          messages.map((m) => (
            <div key={m._id} data-testid="chat-message">
              <strong>{m.authorName}</strong> <span className="muted">{timeOfDay(m.sentAt)}</span>
              {m.editedAt !== undefined && !m.deleted ? (
                <span className="muted"> · edited</span>
              ) : null}
              {editing?.id === m.messageId ? (
                <form onSubmit={onEdit} className="row">
                  <label htmlFor="chat-edit" className="sr-only">
                    Edit message
                  </label>
                  <input
                    id="chat-edit"
                    value={editing.text}
                    onChange={(e) => setEditing({ id: m.messageId, text: e.target.value })}
                    maxLength={2000}
                  />
                  <button type="submit" className="button">
                    Save
                  </button>
                  <button type="button" className="link" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <div className={m.deleted ? "muted" : undefined}>
                  {m.deleted ? "(message deleted)" : m.text}
                </div>
              )}
              {canSend && !m.deleted && editing?.id !== m.messageId ? (
                <span className="chat-actions">
                  {mine(m) ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => setEditing({ id: m.messageId, text: m.text })}
                    >
                      Edit
                    </button>
                  ) : null}
                  {mine(m) || canModerate ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() =>
                        void run(() =>
                          remove({
                            meetingId,
                            messageId: m.messageId,
                            idempotencyKey: crypto.randomUUID(),
                          }),
                        )
                      }
                    >
                      Delete
                    </button>
                  ) : null}
                </span>
              ) : null}
            </div>
          ))
        )}
        {pending.map((p) => (
          <div key={p.key} className="muted" data-testid="chat-pending">
            <strong>You</strong>{" "}
            <span>
              {p.failed
                ? "· not sent"
                : online
                  ? "· sending…"
                  : "· waiting to send (offline): it goes out when you are back online"}
            </span>
            <div>{p.text}</div>
            {p.failed ? (
              <span role="alert" className="error">
                {p.failed}{" "}
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const retry = { ...p, failed: null };
                    setPending((all) => all.map((x) => (x.key === p.key ? retry : x)));
                    void deliver(retry);
                  }}
                >
                  Retry
                </button>
              </span>
            ) : null}
          </div>
        ))}
      </div>
      {canSend ? (
        <form onSubmit={onSubmit}>
          <label htmlFor="chat-input" className="sr-only">
            Message
          </label>
          <input
            id="chat-input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Write a message"
            maxLength={2000}
          />
          <button type="submit" className="button">
            Send
          </button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
