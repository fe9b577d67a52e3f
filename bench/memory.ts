/**
 * Peak RSS of a sweep against its seed count (issue 8 goal: ≤ 1 GiB for
 * 20,000 seeds, and flat in the seed count). Each point is a fresh child
 * process; its peak comes from `process.resourceUsage().maxRSS`.
 *
 * INTERIM until `baton sweep` exists: the child runs the batched sweep of
 * bench/harness/sweep-pipeline.ts (simulate + SpanSink into chDB + one
 * sweep-level report), in one process — chDB's own memory included.
 *
 *   node --import tsx bench/memory.ts [--points 5000,10000,20000]
 */
import { spawnSync } from 'node:child_process';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { argValue } from './harness/timing.js';

const GIB_KIB = 1024 * 1024;

interface ChildResult {
  seeds: number;
  spans: number;
  wallMs: number;
  maxRssKiB: number;
  heapUsedMiB: number;
}

function measure(seeds: number): ChildResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/harness/memory-child.ts', '--seeds', String(seeds)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`memory child (${seeds} seeds) exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildResult;
}

export async function memoryBench(): Promise<BenchRow[]> {
  const points = (argValue('points') ?? '5000,10000,20000').split(',').map((value) => Number.parseInt(value, 10));
  const results = points.map(measure);
  const first = results[0];
  const last = results[results.length - 1];
  const growth = last.maxRssKiB / first.maxRssKiB;
  return results.map((result, index) => ({
    bench: 'memory',
    metric: `peak RSS, INTERIM batched sweep of ${result.seeds.toLocaleString('en-US')} seeds (chDB in process)`,
    value: result.maxRssKiB / 1024,
    unit: 'MiB',
    samples: 1,
    ...(index === 0
      ? {}
      : { baseline: `${first.seeds.toLocaleString('en-US')} seeds`, baselineValue: first.maxRssKiB / 1024, ratio: result.maxRssKiB / first.maxRssKiB }),
    ...(index === results.length - 1
      ? {
          goal: '≤ 1 GiB, flat (ratio ≤ 1.2)',
          goalStatus: result.maxRssKiB <= GIB_KIB && growth <= 1.2 ? ('met' as const) : ('missed' as const),
        }
      : {}),
    note: `${(result.wallMs / 1000).toFixed(0)} s wall, ${result.spans.toLocaleString('en-US')} spans, JS heap at end ${result.heapUsedMiB.toFixed(0)} MiB`,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await memoryBench());
