"use client";

import { useMutation, useQuery } from "convex/react";
import { type ReactNode, useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { ErrorBoundary } from "../../components/ErrorBoundary";
import { RequireSignIn } from "../../components/RequireSignIn";
import { plainError } from "../../lib/errors";
import { when } from "../../lib/format";
import { OpsPanels } from "./OpsPanels";

type OrgId = Id<"orgs">;

/**
 * A console panel: its heading, "Loading…" until its query answers, then
 * `children(value)`, and `footer` (shown while loading too).
 */
function Panel<T>(props: {
  id: string;
  title: string;
  value: T | undefined;
  children: (value: T) => ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      {props.value === undefined ? <p className="muted">Loading…</p> : props.children(props.value)}
      {props.footer}
    </section>
  );
}

function UsageBar({ used, limit }: { used: number; limit: number }) {
  return (
    <meter
      aria-label="transcription minutes used this month"
      data-testid="usage-meter"
      min={0}
      max={limit}
      low={limit * 0.8}
      high={limit * 0.95}
      optimum={0}
      value={Math.min(used, limit)}
      style={{ width: "100%", maxWidth: 360 }}
    />
  );
}

function PlanSection({ orgId }: { orgId: OrgId }) {
  const view = useQuery(api.billing.entitlements.forOrg, { orgId });
  if (!view) return <p className="muted">Loading the plan…</p>;
  const e = view.entitlements;
  return (
    <section className="panel" aria-labelledby="plan-h">
      <h2 id="plan-h">
        Plan: <span data-testid="plan-name">{e.plan}</span>
      </h2>
      <p className="muted">
        {view.subscription
          ? `${view.subscription.status} · from ${view.subscription.source}${
              view.subscription.currentPeriodEnd
                ? ` · renews ${when(view.subscription.currentPeriodEnd)}`
                : ""
            }`
          : "No subscription: the free plan."}
      </p>
      <ul>
        <li>
          Calls: {e.callProvider === "getstream" ? "GetStream Video" : "WebRTC (peer to peer)"}
        </li>
        <li>Recording: {e.recording ? "included" : "not included"}</li>
        <li>
          People in a call: {e.maxParticipants} · per meeting: {e.maxMeetingSize}
        </li>
        <li>AI: {e.aiFeatures.join(", ") || "none"}</li>
      </ul>
      <p>
        Transcription this month ({view.usage.period}): {view.usage.transcriptionMinutesUsed} of{" "}
        {e.transcriptionMinutesPerMonth} minutes
      </p>
      <UsageBar used={view.usage.transcriptionMinutesUsed} limit={e.transcriptionMinutesPerMonth} />
    </section>
  );
}

function MembersSection({ orgId, isAdmin }: { orgId: OrgId; isAdmin: boolean }) {
  const members = useQuery(api.orgs.members.list, { orgId });
  const invite = useMutation(api.orgs.invitations.invite);
  const [email, setEmail] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const inviteForm = isAdmin ? (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        setNote(null);
        invite({ orgId, email, role: "member" })
          .then(() => {
            setNote(`Invited ${email}.`);
            setEmail("");
          })
          .catch((e: unknown) => setNote(plainError(e)));
      }}
    >
      <label>
        Invite by email{" "}
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>{" "}
      <button type="submit">Invite</button>
      {note ? <p role="status">{note}</p> : null}
    </form>
  ) : null;
  return (
    <Panel id="members" title="Members" value={members} footer={inviteForm}>
      {(list) => (
        <ul data-testid="org-members">
          {list.map((m) => (
            <li key={m.userId}>
              {m.name} <span className="muted">· {m.role}</span>
              {m.email ? <span className="muted"> · {m.email}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function FlagsSection() {
  const flags = useQuery(api.featureFlags.listMine, {});
  return (
    <Panel id="flags" title="Features" value={flags}>
      {(list) => (
        <ul data-testid="flags">
          {list.map((f) => (
            <li key={f.key}>
              {f.key}: {f.enabled ? "on" : "off"}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function AuditSection({ orgId }: { orgId: OrgId }) {
  const rows = useQuery(api.orgs.audit.list, { orgId, limit: 50 });
  return (
    <Panel id="audit" title="Audit log" value={rows}>
      {(list) =>
        list.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <table data-testid="org-audit">
            <tbody>
              {list.map((r) => (
                <tr key={`${r.at}-${r.action}-${r.detail ?? ""}`}>
                  <td>{when(r.at)}</td>
                  <td>{r.action}</td>
                  <td>{r.operator ? `operator ${r.operator}` : (r.actorName ?? "system")}</td>
                  <td>
                    {r.detail}
                    {r.reason ? ` — ${r.reason}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Panel>
  );
}

/** What an operator token opens: projection lag, parked dead letters, then the ops panels. */
function OperatorViews({ token }: { token: string }) {
  const status = useQuery(api.projections.status, { adminToken: token });
  const dead = useQuery(api.projections.deadLetters, { adminToken: token, limit: 20 });
  if (status === undefined) return <p className="muted">Checking the token…</p>;
  return (
    <>
      <table data-testid="projection-lag">
        <tbody>
          {status.map((p) => (
            <tr key={p.projection}>
              <td>{p.projection}</td>
              <td>v{p.readVersion}</td>
              <td>{p.phase}</td>
              <td>lag {Math.round(p.read.maxLagMs)} ms</td>
              <td>{p.parkedDeadLetters} parked</td>
            </tr>
          ))}
        </tbody>
      </table>
      {dead && dead.length > 0 ? (
        <ul>
          {dead.map((d) => (
            <li key={d.id}>
              {d.projection} v{d.version}: {d.error}
            </li>
          ))}
        </ul>
      ) : null}
      <OpsPanels token={token} />
    </>
  );
}

function OperatorSection() {
  const [draft, setDraft] = useState("");
  const [token, setToken] = useState("");
  return (
    <section className="panel" aria-labelledby="ops-h">
      <h2 id="ops-h">Operator</h2>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          setToken(draft.trim());
        }}
      >
        <label>
          Operator token{" "}
          <input
            type="password"
            autoComplete="off"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>{" "}
        <button type="submit">Open</button>
      </form>
      {token ? (
        // A new token gets a fresh boundary: a refused one says so instead of breaking the page.
        <ErrorBoundary
          key={token}
          fallback={(message, code) => (
            <p role="alert" className="error" data-testid="operator-error">
              {code === "FORBIDDEN"
                ? "The deployment refused this operator token: it is wrong, or CONNVO_ADMIN_TOKEN is not set there."
                : message}
            </p>
          )}
        >
          <OperatorViews token={token} />
        </ErrorBoundary>
      ) : null}
    </section>
  );
}

/** The operator console: your orgs' members, plan and usage, flags, audit log; operator tools. */
export default function ConsolePage() {
  // The body's queries run only once the person is signed in and their user row exists
  // (RequireSignIn waits for `users.ensure`); asked earlier they are refused.
  return (
    <div className="page">
      <RequireSignIn>
        <ConsoleBody />
      </RequireSignIn>
    </div>
  );
}

function ConsoleBody() {
  const orgs = useQuery(api.orgs.members.mine, {});
  const [picked, setPicked] = useState<OrgId | null>(null);
  const org = orgs?.find((o) => o.orgId === picked) ?? orgs?.[0];
  return (
    <>
      <div className="pagehead">
        <h1>Console{org ? `: ${org.name}` : ""}</h1>
        {orgs && orgs.length > 1 ? (
          <select value={org?.orgId} onChange={(e) => setPicked(e.target.value as OrgId)}>
            {orgs.map((o) => (
              <option key={o.orgId} value={o.orgId}>
                {o.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {orgs === undefined ? (
        <p className="muted">Loading…</p>
      ) : !org ? (
        <p>You are not a member of an organization.</p>
      ) : (
        <>
          <PlanSection orgId={org.orgId} />
          <MembersSection orgId={org.orgId} isAdmin={org.role === "admin"} />
          <FlagsSection />
          {org.role === "admin" ? <AuditSection orgId={org.orgId} /> : null}
        </>
      )}
      <OperatorSection />
    </>
  );
}
