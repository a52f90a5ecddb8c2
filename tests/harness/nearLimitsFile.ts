/** Where test workers record calls that came close to a Convex limit during one run. */
export const NEAR_LIMITS_FILE = "test-artifacts/near-limits.ndjson";
