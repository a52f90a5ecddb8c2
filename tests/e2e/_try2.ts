import { launchChromium, personIn, screenshot } from "./browser";

const web = "http://127.0.0.1:3400";
const b = await launchChromium();
const a = await personIn(b, web, "Ada Lovelace");
const g = await personIn(b, web, "Grace Hopper");
for (const [n, p] of [
  ["ada", a.page],
  ["grace", g.page],
] as const) {
  p.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning")
      console.log(n, "console:", m.type(), m.text().slice(0, 300));
  });
}
await a.page.getByRole("link", { name: "Connvo demo: weekly sync" }).click();
await a.page.waitForURL(/meetings\/[^/]+$/);
const url = a.page.url();
await g.page.goto(url);
const ea = a.page.getByTestId("notes-editor");
const eg = g.page.getByTestId("notes-editor");
await ea.waitFor({ timeout: 15000 });
await eg.waitFor({ timeout: 15000 });
await ea.click();
await a.page.keyboard.press("Control+End");
await a.page.keyboard.press("Enter");
await a.page.keyboard.type("Ada writes this line.");
await eg.click();
await g.page.keyboard.press("Control+End");
await g.page.keyboard.press("Enter");
await g.page.keyboard.type("Grace adds hers.");
await a.page.waitForTimeout(3000);
console.log("ADA:", await ea.innerText());
console.log("GRACE:", await eg.innerText());
console.log(
  "status",
  await a.page.getByTestId("sync-status").innerText(),
  await g.page.getByTestId("sync-status").innerText(),
);
await screenshot(a.page, "try-room-ada");
await b.close();
