import { insightsQualitySuite } from "./bench/suites/insights-quality";
const out = await insightsQualitySuite.run({ root: process.cwd(), progress: (m: string) => process.stderr.write(m + "\n") } as never);
console.log(JSON.stringify(out.tables[0], null, 1));
console.log(out.tables[1]!.rows.map((r) => r.join(" | ")).join("\n"));
