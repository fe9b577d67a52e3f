import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRecordTracer } from '../../collector/tracing/record-tracer.js';
import type { RunColumns, SpanRecord } from '../../collector/span-rows.js';
import { RunMetrics } from '../../collector/run-metrics.js';
import { SpanSink } from '../../collector/sink/span-sink.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import { sqlString } from '../../collector/store/sql.js';
import { simulate, type SimulationResult } from '../../simulator/simulate.js';
import type { SimulationOptions } from '../../simulator/options.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { simulationOptions, type Scenario } from '../../scenarios/format/load-scenario.js';
import { computeRunReport } from '../../reports/run-report.js';
import { checkAssertions } from '../../reports/assertions.js';
import type { ReportDocument } from '../../reports/render/report-document.js';
import { writeReportFiles } from './report-files.js';
import { writingTo } from '../out-paths.js';
import { isHandoffSpan, runRow, violationRows } from './run-rows.js';
import { EXIT } from '../exit-codes.js';
import { BATON_VERSION } from '../version.js';
import { runIdOf } from './run-id.js';

/** What a run needs besides the scenario. */
export interface RunRequest {
  scenario: Scenario;
  seed: number;
  store: SpanStore;
  /** Directory for report.json and report.md; none writes no files. */
  outDir?: string;
  /** Assertions on top of the scenario's `assert:` block. */
  extraAssertions?: string[];
  sweepId?: string;
  /**
   * Changes the simulator options before the run (agent behaviours written in
   * TypeScript, hooks). Code is not part of the scenario text, so a caller
   * that customizes must name the customization in `variant`.
   */
  customize?: (options: SimulationOptions) => SimulationOptions;
  /** Part of the run id: distinguishes runs of the same scenario and seed with different code. */
  variant?: string;
}

/** The outcome of a run: the report document and the simulation behind it. */
export interface RunOutcome {
  document: ReportDocument;
  simulation: SimulationResult;
  exitCode: number;
}

/**
 * Simulates one seed of a scenario, stores its spans, runs and violations,
 * computes the report by SQL, checks the assertions and writes report files.
 */
export async function runScenario(request: RunRequest): Promise<RunOutcome> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { scenario, seed, store } = request;
  const runId = runIdOf(scenario.text, seed, BATON_VERSION, request.variant ?? '');
  await store.migrate();
  const recordedDate = await recordedDateOf(store, runId);
  const columns: RunColumns = {
    runId,
    sweepId: request.sweepId ?? '',
    scenario: scenario.spec.name,
    seed,
    recordedDate,
    serviceName: 'baton-sim',
  };
  const sink = new SpanSink(store);
  const random = new SeededRandom(seed);
  let handoffsTotal = 0;
  // Spans end inside the simulation, which cannot wait for storage: one run's
  // records are kept, then handed to the sink with its backpressure honoured.
  const records: SpanRecord[] = [];
  const metrics = new RunMetrics();
  const tracer = createRecordTracer(random.stream('ids'), (record) => {
    if (isHandoffSpan(record)) handoffsTotal++;
    records.push(record);
    metrics.add(record);
  });
  const options = simulationOptions(scenario, seed);
  const simulation = await simulate(request.customize ? request.customize(options) : options, tracer);
  const simulated = performance.now();

  for (const record of records) {
    const backpressure = sink.add(record, columns);
    if (backpressure) await backpressure;
  }
  await sink.flush();
  await store.insert('violations', violationRows(simulation, columns));
  await store.insert('run_metrics', metrics.rows(columns));
  await store.insert('runs', [runRow(simulation, columns, scenario, handoffsTotal, new Date().toISOString().slice(0, 19).replace('T', ' '))]);
  // A run stored under a sweep id (baton compare's two variants) joins that sweep; one stored without leaves its sweeps alone.
  if (columns.sweepId !== '') await store.insert('sweep_runs', [{ recorded_date: recordedDate, sweep_id: columns.sweepId, run_id: runId, seed }]);
  const stored = performance.now();

  const report = await computeRunReport(store, runId, { scenarioRef: scenario.file, overrides: scenario.overrides, assertions: request.extraAssertions });
  const assertions = checkAssertions(report, [...(scenario.spec.assert ?? []), ...(request.extraAssertions ?? [])]);
  const passed = report.invariants.violations.length === 0 && assertions.every((assertion) => assertion.passed);
  const reported = performance.now();
  const document: ReportDocument = {
    ...report,
    verdict: { passed, exitCode: passed ? EXIT.ok : EXIT.verdictFailed, assertions },
    wall: {
      startedAt,
      host: hostname(),
      simulateMs: Math.round(simulated - started),
      storeMs: Math.round(stored - simulated),
      reportMs: Math.round(reported - stored),
      totalMs: Math.round(reported - started),
      spansStored: sink.spansWritten,
    },
  };
  if (request.outDir) writingTo(request.outDir, () => writeReportFiles(request.outDir!, document));
  return { document, simulation, exitCode: document.verdict.exitCode };
}

/** The partition date of a run: the one it was first stored under, else today (UTC). */
async function recordedDateOf(store: SpanStore, runId: string): Promise<string> {
  const rows = await store.query<{ d: string }>(
    `SELECT toString(min(recorded_date)) AS d FROM ${store.database}.runs WHERE run_id = ${sqlString(runId)} HAVING count() > 0`,
  );
  return rows[0]?.d ?? new Date().toISOString().slice(0, 10);
}
