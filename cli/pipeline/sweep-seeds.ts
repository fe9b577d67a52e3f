import { createHash } from 'node:crypto';
import { UsageError } from '../exit-codes.js';

/** Most seeds one sweep takes. */
export const SEEDS_MAX = 1_000_000;

/**
 * Parses a seed list: ranges and single seeds separated by commas, e.g.
 * `1..1000`, `7`, `1..10,42,100..120`. Seeds are non-negative safe integers;
 * duplicates are removed and the list is sorted.
 */
export function parseSeeds(text: string): number[] {
  const seeds = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw new UsageError(`--seeds: "${part}" is not a seed or a range like 1..1000`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw new UsageError(`--seeds: "${part}" is out of range`);
    if (last < first) throw new UsageError(`--seeds: range "${part}" ends before it starts`);
    if (seeds.size + (last - first + 1) > SEEDS_MAX) throw new UsageError(`--seeds: at most ${SEEDS_MAX} seeds per sweep`);
    for (let seed = first; seed <= last; seed++) seeds.add(seed);
  }
  return [...seeds].sort((a, b) => a - b);
}

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `k/n` with 1 ≤ k ≤ n ≤ 10,000. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > 10_000 || index < 1 || index > count) throw new UsageError(`--shard must be k/n with 1 <= k <= n, got "${text}"`);
  return { index, count };
}

/** The seeds of one shard: every n-th seed of the sorted list, starting at the k-th. */
export function shardSeeds(seeds: readonly number[], shard: Shard | undefined): number[] {
  if (!shard) return [...seeds];
  return seeds.filter((_, position) => position % shard.count === shard.index - 1);
}

/**
 * The default sweep id: derived from the scenario text, the seed list and
 * baton's version, so every shard of one sweep gets the same id unasked.
 */
export function defaultSweepId(scenarioText: string, seeds: readonly number[], version: string): string {
  return createHash('sha256').update(`${scenarioText}\n--seeds ${seeds.join(',')}\n--version ${version}`).digest('hex').slice(0, 16);
}

/** The seed list written compactly (`1..1000`, `1..10,42`). */
export function formatSeeds(seeds: readonly number[]): string {
  const parts: string[] = [];
  for (let start = 0; start < seeds.length; ) {
    let end = start;
    while (end + 1 < seeds.length && seeds[end + 1] === seeds[end] + 1) end++;
    parts.push(end === start ? `${seeds[start]}` : `${seeds[start]}..${seeds[end]}`);
    start = end + 1;
  }
  return parts.join(',');
}
