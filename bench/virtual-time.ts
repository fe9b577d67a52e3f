/**
 * Virtual-time speed-up and tracing cost: the research pipeline simulated seed
 * after seed by `simulate()` directly (no storage, no report), with
 *   - tracing off: the @opentelemetry/api no-op tracer (no provider registered),
 *   - traced: the record tracer `baton run` and `baton sweep` use, with a
 *     no-op listener,
 *   - traced + rows: the listener also turns each record into its storage rows
 *     (what the SpanSink does before an insert),
 *   - SDK: the SDK's BasicTracerProvider (what runs were traced with before the
 *     record tracer) with a no-op span listener.
 * Speed-up = virtual seconds simulated per wall second. Tracing cost = wall
 * time traced ÷ wall time untraced, paired per round (goal ≤ 2×).
 *
 *   node --import tsx bench/virtual-time.ts [--seeds 100] [--rounds 5]
 */
import { spanEventRows, spanRow, type RunColumns } from '../collector/span-rows.js';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { loadResearchPipeline, simulateSeed, type TracingMode } from './harness/research-pipeline.js';
import { argInteger, interleave, median, pairedRatio } from './harness/timing.js';

const COLUMNS: RunColumns = { runId: 'bench', sweepId: '', scenario: 'research-pipeline', seed: 0, recordedDate: '2025-01-01', serviceName: 'baton-sim' };

export async function virtualTimeBench(): Promise<BenchRow[]> {
  const seeds = argInteger('seeds', 100);
  const rounds = argInteger('rounds', 5);
  const scenario = loadResearchPipeline();
  let spans = 0;
  let rowsMade = 0;
  const modes: Record<string, TracingMode> = {
    off: { kind: 'off' },
    traced: { kind: 'records', listener: () => void spans++ },
    rows: {
      kind: 'records',
      listener: (record) => {
        rowsMade += 1 + spanEventRows(record, COLUMNS).length;
        spanRow(record, COLUMNS);
      },
    },
    sdk: { kind: 'sdk', listener: () => {} },
  };
  const totals = { simulatedS: 0, events: 0, handoffs: 0 };
  const runSeeds = async (mode: TracingMode): Promise<number> => {
    let simulatedMs = 0;
    let events = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const result = await simulateSeed(scenario, seed, mode);
      simulatedMs += result.endMs;
      events += result.eventCount;
    }
    totals.simulatedS = simulatedMs / 1000;
    totals.events = events;
    return simulatedMs / 1000;
  };
  spans = 0;
  const samples = await interleave(
    Object.entries(modes).map(([name, mode]) => ({ name, run: () => runSeeds(mode) })),
    rounds,
  );
  const spansPerSeed = spans / ((rounds + 1) * seeds);
  const seedsPerSimulatedS = seeds / totals.simulatedS;
  const row = (name: string, metric: string, extra: Partial<BenchRow> = {}): BenchRow => ({
    bench: 'virtual-time',
    metric,
    value: median(samples[name]),
    unit: 'virtual s / wall s',
    samples: rounds,
    ...extra,
  });
  const tracingCost = pairedRatio(samples.off, samples.traced);
  const rowsCost = pairedRatio(samples.off, samples.rows);
  const sdkCost = pairedRatio(samples.off, samples.sdk);
  const sdkOverRecords = pairedRatio(samples.traced, samples.sdk);
  return [
    row('off', `speed-up, tracing off (${seeds} seeds; ${formatSeedsPerS(samples.off, seedsPerSimulatedS)})`),
    row('traced', `speed-up, traced, no-op listener (${Math.round(spansPerSeed)} spans/seed; ${formatSeedsPerS(samples.traced, seedsPerSimulatedS)})`, {
      baseline: 'tracing off',
      baselineValue: median(samples.off),
      ratio: tracingCost,
      goal: 'cost ≤ 2× (ratio = off/traced)',
      goalStatus: tracingCost <= 2 ? 'met' : 'missed',
      note: 'ratio is wall time traced ÷ wall time off',
    }),
    row('rows', `speed-up, traced + span rows built (${formatSeedsPerS(samples.rows, seedsPerSimulatedS)})`, {
      baseline: 'tracing off',
      baselineValue: median(samples.off),
      ratio: rowsCost,
      note: `ratio is wall time ÷ wall time off; ${Math.round(rowsMade / ((rounds + 1) * seeds))} rows/seed`,
    }),
    row('sdk', `speed-up, traced by the SDK's tracer provider, no-op listener (the tracer before; ${formatSeedsPerS(samples.sdk, seedsPerSimulatedS)})`, {
      baseline: 'tracing off',
      baselineValue: median(samples.off),
      ratio: sdkCost,
      note: `ratio is wall time ÷ wall time off; wall time SDK ÷ record tracer: ${sdkOverRecords.toFixed(3)}`,
    }),
  ];
}

function formatSeedsPerS(speedUps: number[], seedsPerSimulatedS: number): string {
  return `${Math.round(median(speedUps) * seedsPerSimulatedS)} seeds/s`;
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await virtualTimeBench());
