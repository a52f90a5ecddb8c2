import { openLegacy } from "./legacy/open.ts";
import { runImport } from "./migration/importer.ts";
import { memoryEngine, recordingProgress, seededLegacy } from "./tests/migration/helpers.ts";

const s = await seededLegacy(40, 21);
const legacy = await openLegacy(s.dir);
const { engine, admin } = await memoryEngine();
await runImport({ legacy, admin, progress: recordingProgress() });
const people = await legacy.query<{ id: string; email: string }>(
  `SELECT u.id, lower(trim(u.email)) AS email FROM users u WHERE lower(trim(u.email)) ~ '^[^ @]+@[^ @]+\\.[^ @]+$' AND EXISTS (SELECT 1 FROM meetings m WHERE m.user1_id = u.id) ORDER BY u.id LIMIT 3`,
);
const p = people[0]!;
console.log(p, await engine.run("migrationStatus:lookup", { table: "users", legacyIds: [p.id] }));
const ident = {
  issuer: "https://api.workos.com/user_management/client_test",
  subject: "wos_first",
  tokenIdentifier: "https://api.workos.com/user_management/client_test|wos_first",
  email: p.email,
  emailVerified: true,
  name: "First Person",
};
const orig = console.error;
try {
  console.log(await engine.run("users:ensure", {}, ident));
} catch (e) {
  console.log("ERR", e);
}
await engine.close();
await legacy.close();
process.exit(0);
