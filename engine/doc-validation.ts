/**
 * Schema validation of written documents without exceptions on the success path.
 *
 * convex-test checks every insert, patch and replace against the table's
 * validator with the same recursion as return values (`return-validation.ts`):
 * it throws out of every union branch that does not match, and each throw
 * captures a stack. A meeting event's `data` is a union of every event kind, so
 * appending one threw a dozen times: 38% of the CPU of issue 19's meetings
 * import (CPU profile), a cost Convex's own validation does not have. Here the
 * document is checked with the predicate `matches` first; only a document it
 * does not accept goes to convex-test's own `_validate`, which then throws its
 * own message (or accepts it: a commit-timestamp placeholder in a field that is
 * not `v.commitTs()` is resolved there first, as convex-test does).
 */
import { matches, type ValidatorJson } from "./return-validation";

type ValidatingDb = {
  _schema: {
    schemaValidation: boolean;
    tables: Map<string, { documentType?: ValidatorJson }>;
  } | null;
  _validate(tableName: string, doc: unknown): void;
};

/** Put the predicate in front of convex-test's `DatabaseFake._validate` (once, by `internals.ts`). */
export function installDocValidation(proto: object): void {
  const p = proto as ValidatingDb;
  const original = p._validate;
  if (typeof original !== "function")
    throw new Error(
      "engine: convex-test's DatabaseFake has no _validate(); pin convex-test 0.0.60",
    );
  p._validate = function (this: ValidatingDb, tableName: string, doc: unknown) {
    const schema = this._schema;
    if (schema === null || !schema.schemaValidation) return;
    const validator = schema.tables.get(tableName)?.documentType;
    if (validator === undefined || matches(validator, doc)) return;
    original.call(this, tableName, doc);
  };
}
