/**
 * Sweep throughput: seeds/s and simulated handoffs/s for N seeds of the
 * research pipeline, spans stored in embedded ClickHouse and reported.
 *
 * - `baton sweep … --swarm default --jobs 1|2` (child process, fresh data
 *   dir) when the command exists;
 * - INTERIM while it did not exist (or with `--interim`): an in-process loop
 *   of `runScenario` over the seeds into one chDB store (simulate, store, full
 *   per-run SQL report per seed), and the batched pipeline of
 *   bench/harness/sweep-pipeline.ts (one SpanSink across seeds, one
 *   sweep-level round of queries) — the design `baton sweep` then took;
 * - baseline, same run: the same seeds simulated with tracing off, nothing
 *   stored — the floor any sweep pays.
 *
 * The note gives the median wall time and, on Linux, the sweep process's CPU
 * time (user + system, all threads): on a machine whose speed drifts, CPU
 * seconds say more about the work done than wall seconds.
 *
 *   node --import tsx bench/sweep.ts [--seeds 1000] [--rounds 3] [--interim]
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ChdbStore } from '../collector/store/chdb-store.js';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { loadResearchPipeline, RESEARCH_PIPELINE_FILE, simulateSeed } from './harness/research-pipeline.js';
import { sweepAggregate } from './harness/sweep-aggregate.js';
import { batchedSweep, runScenarioLoop, type SweepTotals } from './harness/sweep-pipeline.js';
import { argInteger, childrenCpuMs, median } from './harness/timing.js';
import { compiledBaton } from './harness/compiled-cli.js';

/** A directory per process, so that two sweep benchmarks never share one. */
export const SWEEP_DATA_DIR = `/tmp/baton-bench/sweep-${process.pid}`;
const GOAL_SECONDS = 10;

/** True when this build has `baton sweep`. */
export function sweepCommandExists(): boolean {
  const probe = spawnSync(process.execPath, [...compiledBaton(), 'sweep', '--help'], { encoding: 'utf8' });
  return probe.status === 0 && /sweep/.test(probe.stdout + probe.stderr);
}

/** Runs `baton sweep` in a child; seeds/s from its wall time, handoffs from the runs it stored. */
async function sweepCommand(seeds: number, jobs: number, dataDir: string): Promise<SweepTotals> {
  rmSync(dataDir, { recursive: true, force: true });
  const args = [...compiledBaton(), 'sweep', RESEARCH_PIPELINE_FILE, '--seeds', `1..${seeds}`, '--swarm', 'default'];
  args.push('--jobs', String(jobs), '--data-dir', dataDir, '--format', 'json', '--out', `${dataDir}-out`);
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  if (child.status !== 0 && child.status !== 1) throw new Error(`baton sweep exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const store = new ChdbStore(dataDir);
  try {
    const rows = await store.query<{ runs: string; handoffs: string }>(`SELECT count() AS runs, sum(handoffs_total) AS handoffs FROM baton.runs FINAL`);
    const spans = await store.query<{ c: string }>(`SELECT count() AS c FROM baton.spans`);
    return { seeds: Number(rows[0].runs), handoffs: Number(rows[0].handoffs), spans: Number(spans[0].c), wallMs, cpuMs };
  } finally {
    await store.close();
  }
}

async function simulateOnly(seeds: number): Promise<SweepTotals> {
  const scenario = loadResearchPipeline();
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++) await simulateSeed(scenario, seed, { kind: 'off' });
  return { seeds, handoffs: 0, spans: 0, wallMs: performance.now() - started };
}

function row(metric: string, totals: SweepTotals[], baseline: SweepTotals[], extra: Partial<BenchRow> = {}): BenchRow {
  const seedsPerS = totals.map((total) => total.seeds / (total.wallMs / 1000));
  const baselinePerS = baseline.map((total) => total.seeds / (total.wallMs / 1000));
  const handoffsPerS = median(totals.map((total) => total.handoffs / (total.wallMs / 1000)));
  const wallS = median(totals.map((total) => total.wallMs / 1000));
  const cpuS = totals.every((total) => total.cpuMs !== undefined) ? median(totals.map((total) => total.cpuMs! / 1000)) : undefined;
  return {
    bench: 'sweep',
    metric,
    value: median(seedsPerS),
    unit: 'seeds/s',
    samples: totals.length,
    baseline: 'simulate only, tracing off',
    baselineValue: median(baselinePerS),
    ratio: median(seedsPerS.map((value, index) => value / baselinePerS[index])),
    goal: `1,000 seeds ≤ ${GOAL_SECONDS} s`,
    goalStatus: (wallS * 1000) / totals[0].seeds <= GOAL_SECONDS ? 'met' : 'missed',
    note: `${Math.round(handoffsPerS).toLocaleString('en-US')} handoffs/s; ${wallS.toFixed(1)} s wall${cpuS === undefined ? '' : `, ${cpuS.toFixed(1)} CPU-s`}; ${totals[0].spans.toLocaleString('en-US')} spans stored`,
    ...extra,
  };
}

export async function sweepBench(): Promise<BenchRow[]> {
  const seeds = argInteger('seeds', 1000);
  const rounds = argInteger('rounds', 3);
  const scenario = loadResearchPipeline();
  const hasSweep = sweepCommandExists();
  const interim = !hasSweep || process.argv.includes('--interim');
  const samples: Record<string, SweepTotals[]> = { baseline: [], loop: [], batched: [], jobs1: [], jobs2: [] };
  for (let round = 0; round < rounds; round++) {
    samples.baseline.push(await simulateOnly(seeds));
    if (hasSweep) {
      samples.jobs1.push(await sweepCommand(seeds, 1, `${SWEEP_DATA_DIR}/jobs1`));
      samples.jobs2.push(await sweepCommand(seeds, 2, `${SWEEP_DATA_DIR}/jobs2`));
    }
    for (const variant of interim ? (['loop', 'batched'] as const) : []) {
      const dir = `${SWEEP_DATA_DIR}/${variant}`;
      rmSync(dir, { recursive: true, force: true });
      const store = new ChdbStore(dir);
      try {
        samples[variant].push(
          variant === 'loop'
            ? await runScenarioLoop(scenario, store, seeds, `bench-${round}`)
            : await batchedSweep(scenario, store, seeds, `bench-${round}`, sweepAggregate),
        );
      } finally {
        await store.close();
      }
    }
  }
  const rows: BenchRow[] = [];
  const label = `${seeds.toLocaleString('en-US')} seeds`;
  if (hasSweep) {
    rows.push(row(`baton sweep --swarm default --jobs 1 (${label})`, samples.jobs1, samples.baseline));
    rows.push(row(`baton sweep --swarm default --jobs 2 (${label})`, samples.jobs2, samples.baseline));
  }
  if (interim) {
    rows.push(
      row(`INTERIM runScenario loop, 1 process (${label}, no swarm)`, samples.loop, samples.baseline, {
        note: `${hasSweep ? '' : 'baton sweep not in this build; '}${row('', samples.loop, samples.baseline).note}`,
      }),
    );
    rows.push(row(`batched sweep of bench/harness, 1 process (${label}, no swarm)`, samples.batched, samples.baseline));
  }
  rmSync(SWEEP_DATA_DIR, { recursive: true, force: true });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await sweepBench());
