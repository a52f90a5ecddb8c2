"use client";

import { useAction, useMutation, useQuery } from "convex/react";
import { type FormEvent, useState } from "react";
import {
  invitationsCreateLink,
  invitationsLinks,
  invitationsPending,
  invitationsRevokeEmail,
  invitationsRevokeLink,
  type MeetingId,
  participantsInvite,
} from "../lib/api";
import { failureOf, plainError } from "../lib/errors";

type Role = "participant" | "observer" | "cohost";

/**
 * For hosts and co-hosts: invite by email (whether or not the person has an
 * account yet), the pending invitations (with revoke), and invite links (made
 * here, shown once, revocable).
 */
export function InvitePanel({ meetingId, isHost }: { meetingId: MeetingId; isHost: boolean }) {
  const pending = useQuery(invitationsPending, { meetingId });
  const links = useQuery(invitationsLinks, { meetingId });
  const invite = useMutation(participantsInvite);
  const revokeEmail = useMutation(invitationsRevokeEmail);
  const createLink = useAction(invitationsCreateLink);
  const revokeLink = useMutation(invitationsRevokeLink);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("participant");
  const [linkRole, setLinkRole] = useState<"participant" | "observer">("participant");
  const [linkUses, setLinkUses] = useState(1);
  const [freshLink, setFreshLink] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const run = async (what: () => Promise<{ ok: boolean }>, done: string) => {
    setMsg(null);
    try {
      const r = await what();
      const failure = failureOf(r as Parameters<typeof failureOf>[0]);
      setMsg(failure ? { ok: false, text: failure } : { ok: true, text: done });
      return !failure;
    } catch (err) {
      setMsg({ ok: false, text: plainError(err) });
      return false;
    }
  };

  const onInvite = async (e: FormEvent) => {
    e.preventDefault();
    const to = email.trim();
    if (!to) return;
    const ok = await run(
      () => invite({ meetingId, email: to, role, idempotencyKey: crypto.randomUUID() }),
      `Invited ${to}. The invitation mail is on its way; without an account yet, they join when they sign in with this address (verified).`,
    );
    if (ok) setEmail("");
  };

  const onLink = async () => {
    setFreshLink(null);
    setMsg(null);
    try {
      const r = await createLink({ meetingId, role: linkRole, maxUses: linkUses });
      if (!r.ok) {
        setMsg({ ok: false, text: failureOf(r) ?? r.message });
        return;
      }
      setFreshLink(`${window.location.origin}/invite/${r.token}`);
    } catch (err) {
      setMsg({ ok: false, text: plainError(err) });
    }
  };

  return (
    <div className="invite" data-testid="invite-panel">
      <form onSubmit={onInvite} className="row" style={{ marginTop: "0.75rem", flexWrap: "wrap" }}>
        <label htmlFor="invite-email" className="sr-only">
          Email to invite
        </label>
        <input
          id="invite-email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="name@example.com"
          style={{ flex: 1, minWidth: 0 }}
        />
        <label htmlFor="invite-role" className="sr-only">
          Role
        </label>
        <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="participant">participant</option>
          <option value="observer">observer</option>
          {isHost ? <option value="cohost">co-host</option> : null}
        </select>
        <button type="submit" className="button secondary">
          Invite
        </button>
      </form>
      {pending && pending.length > 0 ? (
        <>
          <h3 className="muted">Invited by email, not signed in yet</h3>
          <ul className="people" data-testid="pending-invitations">
            {pending.map((p) => (
              <li key={p._id}>
                <span>{p.email}</span>
                <span className="muted">{p.role} · pending</span>
                <button
                  type="button"
                  className="button secondary"
                  style={{ marginLeft: "auto" }}
                  onClick={() =>
                    void run(
                      () => revokeEmail({ invitationId: p._id }),
                      `Invitation to ${p.email} withdrawn.`,
                    )
                  }
                >
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="muted">Invite link</h3>
      <div className="row" style={{ flexWrap: "wrap" }}>
        <label htmlFor="link-role" className="sr-only">
          Role of people joining with the link
        </label>
        <select
          id="link-role"
          value={linkRole}
          onChange={(e) => setLinkRole(e.target.value as "participant" | "observer")}
        >
          <option value="participant">participant</option>
          <option value="observer">observer</option>
        </select>
        <label htmlFor="link-uses" className="muted">
          people
        </label>
        <input
          id="link-uses"
          type="number"
          min={1}
          max={100}
          value={linkUses}
          onChange={(e) =>
            setLinkUses(Math.max(1, Math.min(100, Math.floor(Number(e.target.value) || 1))))
          }
          style={{ width: "4rem" }}
        />
        <button type="button" className="button secondary" onClick={() => void onLink()}>
          Make a link
        </button>
      </div>
      {freshLink ? (
        <p className="notice" data-testid="fresh-link">
          Copy it now, it is shown once (valid 72 hours):{" "}
          <input
            readOnly
            value={freshLink}
            onFocus={(e) => e.target.select()}
            style={{ width: "100%" }}
          />
        </p>
      ) : null}
      {links && links.length > 0 ? (
        <ul className="people" data-testid="invite-links">
          {links.map((l) => (
            <li key={l._id}>
              <span className="muted">
                {l.role} · {l.uses}/{l.maxUses} used · {l.state}
              </span>
              {l.state === "active" ? (
                <button
                  type="button"
                  className="button secondary"
                  style={{ marginLeft: "auto" }}
                  onClick={() => void run(() => revokeLink({ linkId: l._id }), "Link revoked.")}
                >
                  Revoke
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {msg ? (
        <p role={msg.ok ? "status" : "alert"} className={msg.ok ? "muted" : "error"}>
          {msg.text}
        </p>
      ) : null}
    </div>
  );
}
