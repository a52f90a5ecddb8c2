"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { RequireSignIn } from "../../components/RequireSignIn";
import { mailDevMailbox } from "../../lib/api";

function Mailbox() {
  const box = useQuery(mailDevMailbox, {});
  if (box === undefined) return <p className="muted">Loading…</p>;
  return (
    <section className="card">
      <h1>Mailbox</h1>
      {box.provider === "dev-mailbox" ? (
        <p className="notice" role="note">
          <strong>Development mailbox.</strong> No mail provider is configured (
          <code>RESEND_API_KEY</code> is unset), so mails are stored here instead of being sent. You
          see mails to your verified email and the ones you caused.
        </p>
      ) : (
        <p className="muted">Mails go out through Resend; this lists them with their status.</p>
      )}
      {box.mails.length === 0 ? <p className="muted">No mail.</p> : null}
      <ul className="mails" data-testid="mailbox">
        {box.mails.map((m) => (
          <li key={m._id} className="card">
            <p>
              <strong>{m.subject}</strong>
            </p>
            <p className="muted">
              to {m.to} · {m.kind} · {m.status} · {new Date(m.createdAt).toLocaleString()}
            </p>
            <pre style={{ whiteSpace: "pre-wrap" }}>{m.text}</pre>
            <p>
              <Link href={`/meetings/${m.meetingId}`}>Open the meeting</Link>
              {m.ics ? (
                <>
                  {" · "}
                  <a
                    href={`data:text/calendar;charset=utf-8,${encodeURIComponent(m.ics)}`}
                    download="invite.ics"
                  >
                    invite.ics
                  </a>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `/mailbox` — the development mailbox (mails stored instead of sent). */
export default function MailboxPage() {
  return (
    <div className="page">
      <RequireSignIn>
        <Mailbox />
      </RequireSignIn>
    </div>
  );
}
