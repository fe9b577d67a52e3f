import type { Tracer } from '@opentelemetry/api';
import type { SimulationOptions } from '../options.js';
import { simulate } from '../simulate.js';
import type { LogEntry } from '../world/event-log.js';

/** What two runs of the same options and seed gave. */
export interface DeterminismReport {
  deterministic: boolean;
  hashes: [string, string];
  entries: [number, number];
  /** The first entry where the logs differ (index, and each run's entry there). */
  divergence?: { index: number; first?: LogEntry; second?: LogEntry };
}

/**
 * Runs the same options twice, each with a fresh tracer from `tracerFor`, and
 * compares the event logs: by hash, and on a mismatch entry by entry to name
 * the first divergence.
 */
export async function checkDeterminism(options: SimulationOptions, tracerFor: (seed: number) => Tracer): Promise<DeterminismReport> {
  const first = await simulate({ ...options, retainLog: true }, tracerFor(options.seed));
  const second = await simulate({ ...options, retainLog: true }, tracerFor(options.seed));
  const hashes: [string, string] = [first.eventLogHash, second.eventLogHash];
  const entries: [number, number] = [first.log.size, second.log.size];
  if (hashes[0] === hashes[1]) return { deterministic: true, hashes, entries };
  return { deterministic: false, hashes, entries, divergence: firstDivergence(first.log.entries, second.log.entries) };
}

/** Index of the first entry that differs in time or text (or where one log ends). */
export function firstDivergence(a: readonly LogEntry[], b: readonly LogEntry[]): { index: number; first?: LogEntry; second?: LogEntry } {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    if (a[index]?.timeUs !== b[index]?.timeUs || a[index]?.text !== b[index]?.text) return { index, first: a[index], second: b[index] };
  }
  return { index: length };
}
