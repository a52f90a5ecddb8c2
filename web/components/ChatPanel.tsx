"use client";

import { useMutation, useQuery } from "convex/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { chatList, chatSend, type MeetingId } from "../lib/api";
import { failureOf, plainError } from "../lib/errors";
import { timeOfDay } from "../lib/format";

/** The meeting's chat: messages in order, and a box to send one. */
export function ChatPanel({ meetingId, canSend }: { meetingId: MeetingId; canSend: boolean }) {
  const messages = useQuery(chatList, { meetingId });
  const send = useMutation(chatSend);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const count = messages?.length ?? 0;
  useEffect(() => {
    if (count > 0 && log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [count]);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    setError(null);
    setText("");
    try {
      const failure = failureOf(
        await send({ meetingId, text: body, idempotencyKey: crypto.randomUUID() }),
      );
      if (failure) {
        setText(body);
        setError(failure);
      }
    } catch (err) {
      setText(body);
      setError(plainError(err));
    }
  };
  return (
    <section className="panel chat" aria-labelledby="chat-h">
      <h2 id="chat-h">Chat</h2>
      <div className="chat-log" ref={log} aria-live="polite">
        {messages === undefined ? (
          <span className="muted">Loading…</span>
        ) : messages.length === 0 ? (
          <span className="muted">No messages yet.</span>
        ) : (
          messages.map((m) => (
            <div key={m._id}>
              <strong>{m.authorName}</strong> <span className="muted">{timeOfDay(m.sentAt)}</span>
              <div className={m.deleted ? "muted" : undefined}>
                {m.deleted ? "(message deleted)" : m.text}
              </div>
            </div>
          ))
        )}
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
