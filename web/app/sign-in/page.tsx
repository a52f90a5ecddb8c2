"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, Suspense, useEffect, useState } from "react";
import { signInAs } from "../../lib/devSession";
import { DEMO_USERS, type DevUser, subjectFor } from "../../lib/devUsers";
import { useMe } from "../../lib/me";
import { safeNext } from "../../lib/safeNext";

function SignInForm() {
  const router = useRouter();
  const { mode } = useMe();
  useEffect(() => {
    // With WorkOS configured this page is not used: go to AuthKit's hosted sign-in.
    if (mode === "workos") window.location.replace("/auth/sign-in");
  }, [mode]);
  // Only a same-origin path: a crafted `?next=https://evil.example` goes home instead.
  const next = safeNext(useSearchParams().get("next"));
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [verified, setVerified] = useState(true);
  const go = (u: DevUser) => {
    signInAs(u);
    router.push(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const subject = subjectFor(email.trim() ? `${email.trim()} ${trimmed}` : trimmed);
    const address = email.trim().toLowerCase();
    go(
      address
        ? { subject, name: trimmed, email: address, emailVerified: verified }
        : { subject, name: trimmed, email: `${subject}@connvo.dev` },
    );
  };
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <p className="notice" role="note">
        <strong>Local development sign-in.</strong> WorkOS is not configured, so this app signs you
        in with the embedded engine&apos;s development issuer. Use a different demo person in each
        browser to collaborate.
      </p>
      <h2>Demo people</h2>
      <ul className="choices">
        {DEMO_USERS.map((u) => (
          <li key={u.subject}>
            <button type="button" className="button" onClick={() => go(u)}>
              Continue as {u.name}
            </button>
            <span className="muted"> {u.email}</span>
          </li>
        ))}
      </ul>
      <h2>Or someone new</h2>
      <p className="muted">
        With an email, the development issuer puts it in the token with <code>email_verified</code>{" "}
        as ticked (WorkOS sets it once the address is confirmed). Invitations to that address are
        claimed only when it is verified.
      </p>
      <form onSubmit={onSubmit} className="row">
        <label htmlFor="new-name" className="sr-only">
          Your name
        </label>
        <input
          id="new-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Your name"
          maxLength={60}
          required
        />
        <label htmlFor="new-email" className="sr-only">
          Your email (optional)
        </label>
        <input
          id="new-email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="Email (optional)"
          maxLength={254}
        />
        <label className="muted">
          <input
            type="checkbox"
            checked={verified}
            onChange={(e) => setVerified(e.target.checked)}
          />{" "}
          email verified
        </label>
        <button type="submit" className="button">
          Create and sign in
        </button>
      </form>
    </section>
  );
}

/** Local development sign-in: pick a demo person or create one. */
export default function SignInPage() {
  return (
    <div className="page">
      <Suspense>
        <SignInForm />
      </Suspense>
    </div>
  );
}
