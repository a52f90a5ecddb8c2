import { launchChromium, personIn } from "./browser";

const web = "http://127.0.0.1:3600";
const b = await launchChromium();
const a = await personIn(b, web, "Ada Lovelace");
const g = await personIn(b, web, "Grace Hopper");
await a.page.getByRole("link", { name: "Connvo demo: launch planning" }).click();
await a.page.waitForURL(/meetings\/[^/]+$/);
const url = a.page.url();
await g.page.goto(url);
const eg = g.page.getByTestId("notes-editor");
await eg.waitFor({ timeout: 15000 });
await a.page.getByTestId("notes-editor").waitFor();
await g.context.setOffline(true);
const t0 = Date.now();
await eg.click();
await g.page.keyboard.press("Control+End");
await g.page.keyboard.press("Enter");
await g.page.keyboard.type("Typed while offline.");
for (let i = 0; i < 10; i++) {
  console.log(Date.now() - t0, await g.page.getByTestId("sync-status").textContent());
  await g.page.waitForTimeout(1000);
}
const r = await g.page.reload().then(
  () => "reloaded",
  (e) => `reload failed: ${String(e).slice(0, 100)}`,
);
console.log(r);
await g.context.setOffline(false);
await g.page.goto(url);
await g.page.getByTestId("notes-editor").waitFor();
await g.page.waitForTimeout(3000);
console.log("grace:", await g.page.getByTestId("notes-editor").textContent());
console.log("ada:", await a.page.getByTestId("notes-editor").textContent());
console.log(await g.page.getByTestId("sync-status").textContent());
await b.close();
