import { performance } from 'node:perf_hooks';
import { runScenario } from '../../cli/pipeline/run-scenario.js';
import { isHandoffSpan, runRow } from '../../cli/pipeline/run-rows.js';
import { RunMetrics } from '../../collector/run-metrics.js';
import { SpanSink } from '../../collector/sink/span-sink.js';
import type { RunColumns } from '../../collector/span-rows.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import type { Scenario } from '../../scenarios/format/load-scenario.js';
import { simulateSeed } from './research-pipeline.js';

/** What a sweep loop did. */
export interface SweepTotals {
  seeds: number;
  handoffs: number;
  spans: number;
  wallMs: number;
  /** CPU ms of the whole sweep process (user + system, every thread), when known. */
  cpuMs?: number;
}

/**
 * The interim sweep (until `baton sweep` exists): `runScenario` for each seed
 * in turn, into one store — simulate, store, and the full per-run SQL report,
 * exactly what `baton run` does per seed.
 */
export async function runScenarioLoop(scenario: Scenario, store: SpanStore, seeds: number, sweepId: string): Promise<SweepTotals> {
  const started = performance.now();
  let handoffs = 0;
  let spans = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const outcome = await runScenario({ scenario, seed, store, sweepId });
    handoffs += outcome.document.handoffs.total;
    spans += outcome.document.wall.spansStored;
  }
  return { seeds, handoffs, spans, wallMs: performance.now() - started };
}

/** Seeds between two waits for the sink (~10,000 spans of the research pipeline). */
const FLUSH_EVERY_SEEDS = 28;

/**
 * The sweep as BENCHMARKS.md proposes it: every seed simulated and its spans
 * streamed into ONE SpanSink (batches span many runs), a `runs` row and its `run_metrics` rows per seed,
 * and no per-run SQL report — the sweep-level report is one set of
 * GROUP BY run_id queries at the end (`sweepReport`).
 */
export async function batchedSweep(
  scenario: Scenario,
  store: SpanStore,
  seeds: number,
  sweepId: string,
  sweepReport: (store: SpanStore, sweepId: string) => Promise<unknown>,
): Promise<SweepTotals> {
  const started = performance.now();
  await store.migrate();
  const sink = new SpanSink(store);
  let handoffs = 0;
  let previousFlush: Promise<void> = Promise.resolve();
  let runRows: object[] = [];
  let metricRows: object[] = [];
  let memberRows: object[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const columns: RunColumns = {
      runId: `${sweepId}-${seed}`,
      sweepId,
      scenario: scenario.spec.name,
      seed,
      recordedDate: '2025-01-01',
      serviceName: 'baton-sim',
    };
    let runHandoffs = 0;
    const metrics = new RunMetrics();
    const result = await simulateSeed(scenario, seed, {
      kind: 'records',
      listener: (record) => {
        if (isHandoffSpan(record)) runHandoffs++;
        sink.add(record, columns);
        metrics.add(record);
      },
    });
    handoffs += runHandoffs;
    // SpanSink.add never waits for the store, so pace it: at most one batch
    // in flight while the next is being simulated (without this, batches
    // queue up in memory whenever the store is slower than simulation).
    if (seed % FLUSH_EVERY_SEEDS === 0) {
      const flushed = sink.flush();
      await previousFlush;
      previousFlush = flushed;
    }
    runRows.push(runRow(result, columns, scenario, runHandoffs, '2025-01-01 00:00:00'));
    metricRows.push(...metrics.rows(columns));
    memberRows.push({ recorded_date: columns.recordedDate, sweep_id: sweepId, run_id: columns.runId, seed });
    if (runRows.length >= 1000) {
      await store.insert('run_metrics', metricRows);
      await store.insert('runs', runRows);
      await store.insert('sweep_runs', memberRows);
      runRows = [];
      metricRows = [];
      memberRows = [];
    }
  }
  await sink.flush();
  if (metricRows.length > 0) await store.insert('run_metrics', metricRows);
  if (runRows.length > 0) await store.insert('runs', runRows);
  if (memberRows.length > 0) await store.insert('sweep_runs', memberRows);
  await sweepReport(store, sweepId);
  return { seeds, handoffs, spans: sink.spansWritten, wallMs: performance.now() - started };
}
