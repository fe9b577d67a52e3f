import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall milliseconds `work` takes. */
export async function timeMs(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** One measured variant: a name and a function returning the units of work it did. */
export interface Variant {
  name: string;
  /** Runs once and returns how many units (events, spans, seeds…) it processed. */
  run: () => Promise<number> | number;
}

/** Throughput samples (units per second) of each variant. */
export type Samples = Record<string, number[]>;

/**
 * Runs every variant `rounds` times, interleaved (A B A B …, order rotated each
 * round) after `warmupRounds` untimed rounds, so that a noisy shared machine
 * slows every variant alike. Returns units/s per run.
 */
export async function interleave(variants: readonly Variant[], rounds: number, warmupRounds = 1): Promise<Samples> {
  const samples: Samples = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  for (let round = -warmupRounds; round < rounds; round++) {
    const order = variants.map((_, index) => variants[(index + Math.max(round, 0)) % variants.length]);
    for (const variant of order) {
      const started = performance.now();
      const units = await variant.run();
      const seconds = (performance.now() - started) / 1000;
      if (round >= 0) samples[variant.name].push(units / seconds);
    }
  }
  return samples;
}

/** Median over rounds of the per-round ratio a/b (robust to drift between rounds). */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, index) => value / b[index]));
}

/** Reads `--name value` or `--name=value` from argv. */
export function argValue(name: string): string | undefined {
  const argv = process.argv;
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === `--${name}`) return argv[index + 1];
    if (argv[index].startsWith(`--${name}=`)) return argv[index].slice(name.length + 3);
  }
  return undefined;
}

/** Integer option from argv, else `fallback`. */
export function argInteger(name: string, fallback: number): number {
  const value = argValue(name);
  return value === undefined ? fallback : Number.parseInt(value, 10);
}

/**
 * CPU milliseconds (user + system) of this process's children that have been
 * waited for (`spawnSync` waits), from Linux's /proc/self/stat; undefined
 * elsewhere. The difference around a `spawnSync` is that child's CPU, its
 * threads included.
 */
export function childrenCpuMs(): number | undefined {
  try {
    return procStatCpuMs(readFileSync('/proc/self/stat', 'utf8')).childrenMs;
  } catch {
    return undefined;
  }
}

/**
 * The CPU milliseconds a /proc/PID/stat line holds: the process's own
 * (utime + stime, fields 14 and 15 of proc(5)) and its waited-for children's
 * (cutime + cstime, fields 16 and 17), in ticks of USER_HZ = 100 per second.
 * The command name may hold spaces and parentheses.
 */
export function procStatCpuMs(stat: string): { ownMs: number; childrenMs: number } {
  // fields[0] is field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  const children = Number(fields[13]) + Number(fields[14]);
  if (!Number.isInteger(own) || !Number.isInteger(children)) throw new RangeError(`not a /proc/PID/stat line: ${stat.slice(0, 80)}`);
  return { ownMs: own * 10, childrenMs: children * 10 };
}
