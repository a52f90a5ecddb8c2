/**
 * The upcasting mechanism shared by every event kind: lift a stored payload
 * from its `schemaVersion` to the current one, one pure step per version.
 */

/** One step: lifts a payload from version `v` to `v + 1`. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** Steps by kind, then by the version they lift from. */
export type UpcasterTable<K extends string> = Partial<Record<K, Record<number, Upcaster>>>;

/**
 * Lift `data` of `kind` from `version` to `current`. Throws (a poison event
 * for projectors) on a version from the future or a missing step.
 */
export function liftPayload<K extends string>(
  label: string,
  kind: K,
  version: number,
  data: Record<string, unknown>,
  upcasters: UpcasterTable<K>,
  current: number,
): Record<string, unknown> {
  if (version > current) {
    throw new Error(
      `${label} ${kind} has schemaVersion ${version}, newer than ${current}: deploy the code that knows it`,
    );
  }
  let out = data;
  for (let v = version; v < current; v++) {
    const step = upcasters[kind]?.[v];
    if (!step) throw new Error(`no upcaster for ${label} ${kind} from version ${v}`);
    out = step(out);
  }
  return out;
}
