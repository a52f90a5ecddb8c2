/** Every benchmark suite, in run order (baselines first: later suites divide by them). */
import type { Suite } from "../lib/suite";
import { hocuspocusSuite } from "./hocuspocus";
import { notesInprocSuite } from "./notes-inproc";
import { yjsBaselinesSuite } from "./yjs-baselines";

/** The suites `npm run bench` runs. */
export const allSuites: Suite[] = [yjsBaselinesSuite, hocuspocusSuite, notesInprocSuite];
