import { createRecordTracer } from '../../collector/tracing/record-tracer.js';
import { RunRowBinary } from '../../collector/row-binary.js';
import { RunMetrics, type MetricColumns } from '../../collector/run-metrics.js';
import { RunRowLines } from '../../collector/span-lines.js';
import { JsonLines } from '../../collector/spool/json-lines.js';
import type { RunColumns, SpanRecord } from '../../collector/span-rows.js';
import type { RunMetricRow, RunRow, ViolationRow } from '../../collector/store/rows.js';
import type { RawRowFormat } from '../../collector/store/span-store.js';
import { simulationOptions, type Scenario } from '../../scenarios/format/scenario.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { simulate } from '../../simulator/simulate.js';
import { BATON_VERSION } from '../version.js';
import { runIdOf } from './run-id.js';
import { isHandoffSpan, runRow, violationRows } from './run-rows.js';

/** What one seed of a sweep needs besides the scenario. */
export interface SeedTask {
  seed: number;
  sweepId: string;
  /** Partition date the run's rows go to (the one it was first stored under, else today). */
  recordedDate: string;
  /** How span and event rows are written (what the store's `insertRaw` or `insertRowBinary` takes). Default JSONEachRow. */
  rowFormat?: SweepRowFormat;
}

/** A text format of `insertRaw`, or RowBinary (`insertRowBinary`). */
export type SweepRowFormat = RawRowFormat | 'RowBinary';

/** The small summary of a seed the main thread keeps (progress, failing table). */
export interface SeedSummary {
  seed: number;
  runId: string;
  violations: { checker: string; classification: string; atMs: number; story: string }[];
  eventLogHash: string;
  simulateMs: number;
}

/**
 * Every row one seed stores, and its summary. Plain data: it crosses worker
 * boundaries. Spans and span events, nearly all of the bytes, are already
 * encoded in `format`: RowBinary (RunRowBinary), or text (UTF-8, one row per
 * line, each line ending in a newline: `JSON.stringify(row)`, or
 * `JSON.stringify(Object.values(row))` for JSONCompactEachRow — row keys are
 * in the table's column order; RunRowLines). A worker builds them straight
 * from each span and transfers the bytes, so the main thread neither copies
 * row objects nor serializes them.
 */
export interface SeedRows {
  summary: SeedSummary;
  format: SweepRowFormat;
  spans: Uint8Array;
  spanCount: number;
  events: Uint8Array;
  eventCount: number;
  run: RunRow;
  violations: ViolationRow[];
  /** The run's `run_metrics` rows. */
  metrics: RunMetricRow[];
}

/** The run id of a seed of `scenario` (the scenario text includes `swarm:` when a preset is used). */
export function seedRunId(scenario: Scenario, seed: number): string {
  return runIdOf(scenario.text, seed, BATON_VERSION);
}

/**
 * Simulates one seed and turns everything it produced into rows: spans,
 * span events, the run and its violations. Pure apart from the wall-clock
 * timing in the summary; the rows are the same wherever it runs.
 */
export async function simulateSeedRows(scenario: Scenario, task: SeedTask): Promise<SeedRows> {
  const started = performance.now();
  const runId = seedRunId(scenario, task.seed);
  const columns: RunColumns = {
    runId,
    sweepId: task.sweepId,
    scenario: scenario.spec.name,
    seed: task.seed,
    recordedDate: task.recordedDate,
    serviceName: 'baton-sim',
  };
  let handoffsTotal = 0;
  const format = task.rowFormat ?? 'JSONEachRow';
  const rows: RowSink = format === 'RowBinary' ? new RunRowBinary(columns) : textRows(columns, format);
  const metrics = new RunMetrics();
  const tracer = createRecordTracer(new SeededRandom(task.seed).stream('ids'), (record) => {
    if (isHandoffSpan(record)) handoffsTotal++;
    metrics.add(record, rows.add(record));
  });
  const simulation = await simulate(simulationOptions(scenario, task.seed), tracer);
  const violations = violationRows(simulation, columns);
  const run = runRow(simulation, columns, scenario, handoffsTotal, `${task.recordedDate} 00:00:00`);
  const summary: SeedSummary = {
    seed: task.seed,
    runId,
    violations: simulation.violations.map(({ checker, classification, atMs, story }) => ({ checker, classification, atMs, story })),
    eventLogHash: simulation.eventLogHash,
    simulateMs: performance.now() - started,
  };
  const { spans, events } = rows;
  // Copies into ArrayBuffers of their own, exactly the bytes: what the worker transfers.
  return { summary, format, spans: new Uint8Array(spans.bytes()), spanCount: spans.rows, events: new Uint8Array(events.bytes()), eventCount: events.rows, run, violations, metrics: metrics.rows(columns) };
}

/** Where a seed's span and event rows are encoded as the spans end. */
interface RowSink {
  /** Encodes `span`; returns its attribute columns when the encoder computed them (RowBinary). */
  add(span: SpanRecord): MetricColumns | undefined;
  readonly spans: { rows: number; bytes(): Uint8Array };
  readonly events: { rows: number; bytes(): Uint8Array };
}

function textRows(columns: RunColumns, format: RawRowFormat): RowSink {
  // Each line is encoded into a growing buffer as it is made, as the spool's records are: a
  // seed's text held as one string rope until the end survived young-generation collections.
  const spans = new JsonLines(256 * 1024);
  const events = new JsonLines(64 * 1024);
  const lines = new RunRowLines(columns, format);
  return {
    spans,
    events,
    add(record) {
      spans.pushLines(lines.span(record), 1);
      if (record.events.length > 0) events.pushLines(lines.events(record), record.events.length);
      return undefined;
    },
  };
}
