/**
 * The full professional profile (issue 17), as fields added to the
 * `profiles` table of `identity.ts`, and the validators of its vocabularies
 * (built from `projections/matching/catalogue.ts`, the one definition).
 *
 * Public part (any signed-in person, unless the owner blocked them):
 * display name, headline, job title, company, industry, role, experience,
 * bio, skills, wants-to-learn, languages, mentoring and collaboration flags,
 * links, avatar, interests. Private part (the owner only; the matcher uses
 * it): goals, location, years of experience, onboarding state.
 */
import { v } from "convex/values";
import { EXPERIENCE_LEVELS, ROLES } from "../../projections/matching/catalogue";
import { ORG_CONSTRAINTS } from "../../projections/matching/types";

function literals<T extends string>(values: readonly T[]) {
  const [first, second, ...rest] = values.map((x) => v.literal(x));
  return v.union(first!, second!, ...rest);
}

/** A role key (`ROLES`). */
export const roleValidator = literals(ROLES);
/** An experience level (`EXPERIENCE_LEVELS`). */
export const experienceValidator = literals(EXPERIENCE_LEVELS);
/** An organisation constraint (`ORG_CONSTRAINTS`). */
export const orgConstraintValidator = literals(ORG_CONSTRAINTS);

/** A labelled link on a profile (https only). */
export const profileLink = v.object({ label: v.string(), url: v.string() });

/** The fields issue 17 adds to `profiles` that their owner edits (`profiles.update`). */
export const editableProfileFields = {
  displayName: v.optional(v.string()),
  industry: v.optional(v.string()),
  role: v.optional(roleValidator),
  experience: v.optional(experienceValidator),
  yearsOfExperience: v.optional(v.number()),
  goals: v.optional(v.array(v.string())),
  skills: v.optional(v.array(v.string())),
  learning: v.optional(v.array(v.string())),
  languages: v.optional(v.array(v.string())),
  offersMentoring: v.optional(v.boolean()),
  seeksMentoring: v.optional(v.boolean()),
  openToCollaborate: v.optional(v.boolean()),
  links: v.optional(v.array(profileLink)),
};

/** The fields issue 17 adds to `profiles` (all optional: older rows stay valid). */
export const profileExtensionFields = {
  ...editableProfileFields,
  /** The avatar uploaded to Convex storage (`profiles.setAvatar`). */
  avatarStorageId: v.optional(v.id("_storage")),
  /** Set when the owner finished onboarding. */
  onboardedAt: v.optional(v.number()),
};
