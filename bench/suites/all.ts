/** Every benchmark suite, in run order (baselines first: later suites divide by them). */
import type { Suite } from "../lib/suite";
import { browserKeystrokeSuite } from "./browser-keystroke";
import { capacitySuite } from "./capacity";
import { engineColdOpenSuite } from "./engine-cold-open";
import { engineGrowthSuite } from "./engine-growth";
import { engineLatencySuite } from "./engine-latency";
import { engineTranscriptsSuite } from "./engine-transcripts";
import { hocuspocusSuite } from "./hocuspocus";
import { insightsQualitySuite } from "./insights-quality";
import { liveMeetingSuite } from "./live-meeting";
import { matchingSuite } from "./matching";
import { notesInprocSuite } from "./notes-inproc";
import { projectionsSuite } from "./projections";
import { yjsBaselinesSuite } from "./yjs-baselines";

/** The suites `npm run bench` runs, in order; the cost report and capacity model come last. */
export const allSuites: Suite[] = [
  yjsBaselinesSuite,
  hocuspocusSuite,
  notesInprocSuite,
  engineColdOpenSuite,
  engineLatencySuite,
  browserKeystrokeSuite,
  engineTranscriptsSuite,
  engineGrowthSuite,
  liveMeetingSuite,
  projectionsSuite,
  matchingSuite,
  capacitySuite,
  insightsQualitySuite,
];
