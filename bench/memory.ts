/**
 * Peak RSS of a sweep against its seed count (issue 8 goal: ≤ 1 GiB for
 * 20,000 seeds, and flat in the seed count). Each point is a fresh child
 * process; its peak comes from `process.resourceUsage().maxRSS`.
 *
 * The child is `baton sweep … --swarm default --jobs 2` under GNU time
 * (`/usr/bin/time -f %M`: the whole process, worker threads and chDB
 * included). INTERIM while `baton sweep` did not exist (or with
 * `--interim`): a child running the batched sweep of
 * bench/harness/sweep-pipeline.ts, peak from `process.resourceUsage()`.
 *
 *   node --import tsx bench/memory.ts [--points 5000,10000,20000] [--interim]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { RESEARCH_PIPELINE_FILE } from './harness/research-pipeline.js';
import { argValue } from './harness/timing.js';
import { sweepCommandExists } from './sweep.js';
import { compiledBaton } from './harness/compiled-cli.js';

const GNU_TIME = '/usr/bin/time';

const GIB_KIB = 1024 * 1024;

interface ChildResult {
  seeds: number;
  spans: number;
  wallMs: number;
  maxRssKiB: number;
  heapUsedMiB: number;
}

/** Peak RSS of `baton sweep` over `seeds` seeds (--swarm default, --jobs 2), from GNU time. */
function measureSweepCommand(seeds: number): ChildResult {
  const dataDir = `/tmp/baton-bench/memory-sweep-${process.pid}`;
  rmSync(dataDir, { recursive: true, force: true });
  const args = ['-f', 'BATON_MAX_RSS_KIB %M', process.execPath, ...compiledBaton(), 'sweep', RESEARCH_PIPELINE_FILE];
  args.push('--seeds', `1..${seeds}`, '--swarm', 'default', '--jobs', '2', '--data-dir', dataDir, '--format', 'json', '--out', `${dataDir}-out`);
  const started = performance.now();
  const child = spawnSync(GNU_TIME, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  const peak = /BATON_MAX_RSS_KIB (\d+)/.exec(child.stderr);
  if ((child.status !== 0 && child.status !== 1) || !peak) throw new Error(`baton sweep (${seeds} seeds) exited ${child.status}: ${child.stderr.slice(-2000)}`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}-out`, { recursive: true, force: true });
  return { seeds, spans: NaN, wallMs, maxRssKiB: Number(peak[1]), heapUsedMiB: NaN };
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
  const useSweep = sweepCommandExists() && existsSync(GNU_TIME) && !process.argv.includes('--interim');
  const results = points.map((seeds) => {
    const result = (useSweep ? measureSweepCommand : measure)(seeds);
    // Each point as soon as it is known: a long series interrupted keeps what it measured.
    process.stderr.write(`memory: ${seeds} seeds → peak RSS ${(result.maxRssKiB / 1024).toFixed(0)} MiB in ${(result.wallMs / 1000).toFixed(0)} s\n`);
    return result;
  });
  const what = useSweep ? '`baton sweep --swarm default --jobs 2`' : 'INTERIM batched sweep (chDB in process)';
  const first = results[0];
  const last = results[results.length - 1];
  const growth = last.maxRssKiB / first.maxRssKiB;
  return results.map((result, index) => ({
    bench: 'memory',
    metric: `peak RSS, ${what}, ${result.seeds.toLocaleString('en-US')} seeds`,
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
    note: useSweep
      ? `${(result.wallMs / 1000).toFixed(0)} s wall (${(result.seeds / (result.wallMs / 1000)).toFixed(1)} seeds/s)`
      : `${(result.wallMs / 1000).toFixed(0)} s wall, ${result.spans.toLocaleString('en-US')} spans, JS heap at end ${result.heapUsedMiB.toFixed(0)} MiB`,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await memoryBench());
