import type { AssertionResult } from '../assertions.js';
import type { RunReport } from '../run-report.js';

/** Wall-clock facts of a run; the only part of report.json that differs between identical runs. */
export interface WallFacts {
  startedAt: string;
  host: string;
  simulateMs: number;
  storeMs: number;
  reportMs: number;
  totalMs: number;
  spansStored: number;
}

/** report.json: the run report, the verdict, and the wall-clock facts under `wall`. */
export interface ReportDocument extends RunReport {
  verdict: { passed: boolean; exitCode: number; assertions: AssertionResult[] };
  wall: WallFacts;
}

/** report.json text: stable key order (as built), two-space indent, trailing newline. */
export function renderJson(document: ReportDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** ": N unfinished" after a failed count when workflows were still running at the end, else nothing. */
export function unfinishedNote(unfinished: number): string {
  return unfinished > 0 ? `: ${unfinished} unfinished` : '';
}
