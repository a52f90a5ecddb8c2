/**
 * Compile-time checks between Convex validators and the pure types in
 * `projections/` (the ground floor cannot import Convex, so validators are
 * declared here and checked against the types): a check that fails stops
 * `tsc`, naming the alias that broke.
 *
 *     export type _Check = Assert<Exact<Infer<typeof fields>, TheType>>;
 */

/** Compiles only when `T` is `true`. */
export type Assert<T extends true> = T;

/** `true` when every `A` is a `B`. */
export type Covers<A, B> = [A] extends [B] ? true : false;

/**
 * `true` when `A` and `B` are the same type: same keys, same optionality and
 * mutually assignable values (an extra or missing field, or a field optional
 * on one side only, is `false`).
 */
export type Exact<A, B> =
  (<T>() => T extends Normalize<A> ? 1 : 2) extends <T>() => T extends Normalize<B> ? 1 : 2
    ? true
    : false;

/** Structural normal form (flattens intersections, readonly arrays to arrays). */
type Normalize<T> = T extends readonly (infer E)[]
  ? Normalize<E>[]
  : T extends Uint8Array | ArrayBuffer
    ? T
    : T extends object
      ? { [K in keyof T]: Normalize<T[K]> }
      : T;
