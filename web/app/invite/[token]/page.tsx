"use client";

import { useMutation } from "convex/react";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { RequireSignIn } from "../../../components/RequireSignIn";
import { invitationsRedeemLink } from "../../../lib/api";
import { failureOf, plainError } from "../../../lib/errors";

function Redeem({ token }: { token: string }) {
  const redeem = useMutation(invitationsRedeemLink);
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await redeem({ token });
      if (r.ok) {
        router.replace(`/meetings/${r.meetingId}`);
        return;
      }
      // The server says exactly what is wrong with the link (used, expired, revoked, removed).
      setError(r.message ? r.message.charAt(0).toUpperCase() + r.message.slice(1) : failureOf(r));
    } catch (e) {
      setError(plainError(e));
    }
    setBusy(false);
  };
  return (
    <section className="card narrow">
      <h1>You are invited to a meeting</h1>
      <p>Joining with this link adds you to the meeting with the role the host chose.</p>
      <button
        type="button"
        className="button"
        onClick={() => void join()}
        disabled={busy}
        data-testid="redeem-link"
      >
        Join the meeting
      </button>
      {error ? (
        <p role="alert" className="error" data-testid="redeem-error">
          {error}
        </p>
      ) : null}
      <p>
        <Link href="/">Your meetings</Link>
      </p>
    </section>
  );
}

/** `/invite/:token` — join a meeting with an invite link (after signing in, it comes back here). */
export default function InvitePage() {
  const { token } = useParams<{ token: string }>();
  return (
    <div className="page">
      <RequireSignIn>
        <Redeem token={decodeURIComponent(token)} />
      </RequireSignIn>
    </div>
  );
}
