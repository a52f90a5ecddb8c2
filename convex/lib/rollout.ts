/**
 * Deterministic per-user rollout for feature flags: a user is in a flag's
 * rollout when `bucket(flag, user) < rolloutPercent`. The bucket is FNV-1a of
 * `flagKey:userId` mod 100, so it is stable across runs and deployments,
 * independent between flags, and raising the percentage only adds users.
 */

/** 32-bit FNV-1a of a string's UTF-16 code units (fast, well spread for short keys). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The user's bucket in 0–99 for a flag. */
export function rolloutBucket(flagKey: string, userId: string): number {
  return fnv1a32(`${flagKey}:${userId}`) % 100;
}

/** Whether a flag is on for a user. */
export function isEnabledFor(
  flag: { key: string; enabled: boolean; rolloutPercent: number },
  userId: string,
): boolean {
  return flag.enabled && rolloutBucket(flag.key, userId) < flag.rolloutPercent;
}
