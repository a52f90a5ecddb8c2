"use client";

import { useMutation, useQuery } from "convex/react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { EXPERIENCE_LEVELS, ROLES } from "../../../projections/matching/catalogue";
import {
  type MyProfile,
  profilesGenerateAvatarUploadUrl,
  profilesInterestCatalogue,
  profilesMine,
  profilesRemoveAvatar,
  profilesSetAvatar,
  profilesUpdate,
} from "../../lib/api";
import { plainError, refusalText } from "../../lib/errors";

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const joined = (xs: readonly string[]) => xs.join(", ");

type Role = (typeof ROLES)[number];
type Level = (typeof EXPERIENCE_LEVELS)[number];

function Avatar({ profile }: { profile: MyProfile }) {
  const generate = useMutation(profilesGenerateAvatarUploadUrl);
  const setAvatar = useMutation(profilesSetAvatar);
  const remove = useMutation(profilesRemoveAvatar);
  const [note, setNote] = useState<string | null>(null);
  const upload = async (file: File) => {
    setNote("Uploading…");
    try {
      const url = await generate({});
      if (!url.ok) return setNote(refusalText(url));
      const res = await fetch(url.url, {
        method: "POST",
        headers: { "Content-Type": file.type },
        body: file,
      });
      if (!res.ok) return setNote(`The upload failed (HTTP ${res.status}).`);
      const { storageId } = (await res.json()) as { storageId: string };
      const r = await setAvatar({ storageId: storageId as never });
      setNote(r.ok ? "Avatar updated." : refusalText(r));
    } catch (e) {
      setNote(plainError(e));
    }
  };
  return (
    <div className="row">
      {profile.public.avatarUrl ? (
        // biome-ignore lint/performance/noImgElement: avatars are Convex storage URLs.
        <img className="avatar-large" src={profile.public.avatarUrl} alt="Your avatar" />
      ) : null}
      <label>
        Avatar <span className="muted">(PNG, JPEG, WebP or GIF, up to 2 MiB)</span>
        <input
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
          }}
        />
      </label>
      {profile.hasUploadedAvatar ? (
        <button type="button" className="link" onClick={() => void remove({})}>
          Remove avatar
        </button>
      ) : null}
      {note ? (
        <span className="muted" role="status">
          {note}
        </span>
      ) : null}
    </div>
  );
}

function Form({ profile, onboarding }: { profile: MyProfile; onboarding: boolean }) {
  const update = useMutation(profilesUpdate);
  const router = useRouter();
  const p = profile.public;
  const [f, setF] = useState({
    displayName: profile.displayName ?? p.name,
    headline: p.headline ?? "",
    jobTitle: p.jobTitle ?? "",
    company: p.company ?? "",
    industry: p.industry ?? "",
    location: profile.location ?? "",
    role: (p.role ?? "") as Role | "",
    experience: (p.experience ?? "") as Level | "",
    bio: p.bio ?? "",
    goals: joined(profile.goals),
    interests: joined(p.interests.map((i) => i.label)),
    skills: joined(p.skills),
    learning: joined(p.learning),
    languages: joined(p.languages),
    links: p.links.map((l) => `${l.label} | ${l.url}`).join("\n"),
    offersMentoring: p.offersMentoring,
    seeksMentoring: p.seeksMentoring,
    openToCollaborate: p.openToCollaborate,
  });
  const catalogue = useQuery(profilesInterestCatalogue, {});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => {
    setSaved(false);
    setF((x) => ({ ...x, [k]: v }));
  };
  const text = (
    k: "displayName" | "headline" | "jobTitle" | "company" | "industry" | "location",
    label: string,
  ) => (
    <label>
      {label}
      <input value={f[k]} onChange={(e) => set(k, e.target.value)} maxLength={120} />
    </label>
  );
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const links = f.links
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [label, url] = l.includes("|") ? l.split("|") : ["Link", l];
          return { label: (label ?? "").trim(), url: (url ?? "").trim() };
        });
      const r = await update({
        displayName: f.displayName,
        headline: f.headline,
        jobTitle: f.jobTitle,
        company: f.company,
        industry: f.industry,
        location: f.location,
        ...(f.role ? { role: f.role } : {}),
        ...(f.experience ? { experience: f.experience } : {}),
        bio: f.bio,
        goals: list(f.goals),
        interests: list(f.interests),
        skills: list(f.skills),
        learning: list(f.learning),
        languages: list(f.languages),
        links,
        offersMentoring: f.offersMentoring,
        seeksMentoring: f.seeksMentoring,
        openToCollaborate: f.openToCollaborate,
        ...(onboarding ? { completeOnboarding: true } : {}),
      });
      if (!r.ok) setError(refusalText(r));
      else if (onboarding) router.push("/meet");
      else setSaved(true);
    } catch (err) {
      setError(plainError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={onSubmit} aria-label="Profile">
      <h2>Public</h2>
      <p className="muted">Anyone signed in sees this part (except people you block).</p>
      <div className="row">
        {text("displayName", "Display name")}
        {text("headline", "Headline")}
      </div>
      <div className="row">
        {text("jobTitle", "Job title")}
        {text("company", "Company")}
        {text("industry", "Industry")}
      </div>
      <div className="row">
        <label>
          Role
          <select value={f.role} onChange={(e) => set("role", e.target.value as Role)}>
            <option value="">Choose…</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Experience
          <select value={f.experience} onChange={(e) => set("experience", e.target.value as Level)}>
            <option value="">Choose…</option>
            {EXPERIENCE_LEVELS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Languages <span className="muted">(codes, e.g. en, de)</span>
          <input value={f.languages} onChange={(e) => set("languages", e.target.value)} />
        </label>
      </div>
      <label>
        Interests <span className="muted">(comma-separated)</span>
        <input
          value={f.interests}
          onChange={(e) => set("interests", e.target.value)}
          list="interest-catalogue"
        />
        <datalist id="interest-catalogue">
          {(catalogue ?? []).map((i) => (
            <option key={i.key} value={i.label} />
          ))}
        </datalist>
      </label>
      <div className="row">
        <label>
          Skills <span className="muted">(what you know well)</span>
          <input value={f.skills} onChange={(e) => set("skills", e.target.value)} />
        </label>
        <label>
          Wants to learn
          <input value={f.learning} onChange={(e) => set("learning", e.target.value)} />
        </label>
      </div>
      <label>
        Bio
        <textarea
          value={f.bio}
          onChange={(e) => set("bio", e.target.value)}
          rows={4}
          maxLength={2000}
        />
      </label>
      <div className="checks">
        <label>
          <input
            type="checkbox"
            checked={f.offersMentoring}
            onChange={(e) => set("offersMentoring", e.target.checked)}
          />
          I offer mentoring
        </label>
        <label>
          <input
            type="checkbox"
            checked={f.seeksMentoring}
            onChange={(e) => set("seeksMentoring", e.target.checked)}
          />
          I am looking for a mentor
        </label>
        <label>
          <input
            type="checkbox"
            checked={f.openToCollaborate}
            onChange={(e) => set("openToCollaborate", e.target.checked)}
          />
          Open to collaborating
        </label>
      </div>
      <label>
        Links <span className="muted">(one per line: label | https://…)</span>
        <textarea value={f.links} onChange={(e) => set("links", e.target.value)} rows={2} />
      </label>
      <h2>Private</h2>
      <p className="muted">Only you see this; matching uses your goals.</p>
      <div className="row">
        {text("location", "Location")}
        <label>
          Goals <span className="muted">(comma-separated)</span>
          <input value={f.goals} onChange={(e) => set("goals", e.target.value)} />
        </label>
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {saved ? <p role="status">Saved.</p> : null}
      <button type="submit" className="button" disabled={busy}>
        {onboarding ? "Finish onboarding" : "Save profile"}
      </button>
    </form>
  );
}

/** The caller's profile: onboarding after the first sign-in, editing afterwards. */
export function ProfileEditor({ onboardingRequested }: { onboardingRequested: boolean }) {
  const profile = useQuery(profilesMine, {});
  if (profile === undefined) return <p className="muted">Loading your profile…</p>;
  const onboarding = onboardingRequested || !profile.onboarded;
  return (
    <>
      <div className="pagehead">
        <h1>{onboarding ? "Welcome! Tell people who you are" : "Your profile"}</h1>
      </div>
      {onboarding && profile.missing.length > 0 ? (
        <p className="notice" data-testid="onboarding-missing">
          To meet people, fill in: {profile.missing.join(", ")}.
        </p>
      ) : null}
      <Avatar profile={profile} />
      <Form profile={profile} onboarding={onboarding} />
    </>
  );
}
