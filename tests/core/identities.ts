/**
 * Test identities for the meeting core: build a convex-test client per person
 * the way a WorkOS token would look, and provision their user rows.
 */
import type { TestBackend } from "../harness/convex";

/** The issuer test identities claim (any string works in convex-test). */
export const TEST_ISSUER = "https://auth.test.connvo";

/** A person's identity claims. */
export type Person = {
  subject: string;
  name: string;
  email: string;
  orgId?: string;
  role?: string;
  /** The `email_verified` claim (default true, as AuthKit says of a confirmed address). */
  emailVerified?: boolean;
};

/** A convex-test client acting as `p` (no user row yet). */
export function as(t: TestBackend, p: Person) {
  return t.withIdentity({
    subject: p.subject,
    issuer: TEST_ISSUER,
    tokenIdentifier: `${TEST_ISSUER}|${p.subject}`,
    name: p.name,
    email: p.email,
    emailVerified: p.emailVerified ?? true,
    ...(p.orgId !== undefined ? { org_id: p.orgId } : {}),
    ...(p.role !== undefined ? { role: p.role } : {}),
  });
}

/** A person of org `acme` by first name. */
export function person(name: string, orgId = "org_acme"): Person {
  const lower = name.toLowerCase();
  return { subject: `user_${lower}`, name, email: `${lower}@example.com`, orgId, role: "member" };
}
