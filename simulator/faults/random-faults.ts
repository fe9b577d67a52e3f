import { type RandomStream } from '../../core/env/random.js';
import { integerBetween } from '../../core/env/random.js';
import type { FaultKind, HandoffPhase, ScriptedFault } from './scripted-faults.js';
import { HANDOFF_PHASES, SCRIPTED_FAULT_KINDS } from './scripted-faults.js';

/**
 * Random faults by rate: how many windows of each kind a run gets per minute
 * of its safety phase (a Poisson draw per kind), and the bounds of each
 * window's length and intensity. Every rate is 0 unless given. Defaults:
 * - `windowMsMin` 300 ms, `windowMsMax` 5,000 ms;
 * - `ratioMax` 0.3 (the upper bound of loss, duplication, error, … ratios).
 */
export interface RandomFaultRates {
  perMinute: Partial<Record<FaultKind, number>>;
  windowMsMin?: number;
  windowMsMax?: number;
  ratioMax?: number;
}

export const DEFAULT_RANDOM_WINDOW_MS_MIN = 300;
export const DEFAULT_RANDOM_WINDOW_MS_MAX = 5_000;
export const DEFAULT_RANDOM_RATIO_MAX = 0.3;
/** Most windows one kind may draw in a run (a typed bound, not a hang on an absurd rate). */
export const RANDOM_FAULTS_PER_KIND_MAX = 200;

/** The nodes random faults may aim at. */
export interface FaultTargets {
  agents: readonly string[];
  /** Supervisor nodes (and any other non-agent node). */
  others: readonly string[];
}

/**
 * Draws the windows of `rates` over a safety phase of `safetyMs`: kinds in
 * their fixed order, for each a Poisson count, then each window's start,
 * length, targets and intensity. A kind with rate 0 draws nothing, so turning
 * one kind on never shifts another's draws' meaning. Sorted by start time.
 */
export function drawRandomFaults(rates: RandomFaultRates, stream: RandomStream, targets: FaultTargets, safetyMs: number): ScriptedFault[] {
  const windowMsMin = rates.windowMsMin ?? DEFAULT_RANDOM_WINDOW_MS_MIN;
  const windowMsMax = Math.max(windowMsMin, rates.windowMsMax ?? DEFAULT_RANDOM_WINDOW_MS_MAX);
  const ratioMax = rates.ratioMax ?? DEFAULT_RANDOM_RATIO_MAX;
  const plan: ScriptedFault[] = [];
  for (const kind of SCRIPTED_FAULT_KINDS) {
    const perMinute = rates.perMinute[kind] ?? 0;
    if (!(perMinute > 0)) continue;
    const count = Math.min(RANDOM_FAULTS_PER_KIND_MAX, poisson((perMinute * safetyMs) / 60_000, stream));
    for (let index = 0; index < count; index++) {
      const forMs = Math.round(windowMsMin + (windowMsMax - windowMsMin) * stream.next());
      const atMs = Math.round((safetyMs - Math.min(forMs, safetyMs / 2)) * stream.next());
      plan.push(drawFault(kind, atMs, Math.min(forMs, safetyMs - atMs), ratioMax, targets, stream));
    }
  }
  return plan.sort((a, b) => a.atMs - b.atMs);
}

/** Knuth's Poisson draw (fine for the small means of a run), capped by the caller. */
function poisson(mean: number, stream: RandomStream): number {
  if (!(mean > 0)) return 0;
  const limit = Math.exp(-Math.min(mean, 500));
  let count = 0;
  let product = stream.next();
  while (product > limit && count < RANDOM_FAULTS_PER_KIND_MAX) {
    count++;
    product *= stream.next();
  }
  return count;
}

function drawFault(kind: FaultKind, atMs: number, forMs: number, ratioMax: number, targets: FaultTargets, stream: RandomStream): ScriptedFault {
  const ratio = (): number => round3(ratioMax * (0.1 + 0.9 * stream.next()));
  const agent = (): string => pick(targets.agents, stream);
  const anyNode = (): string => pick([...targets.agents, ...targets.others], stream);
  const window = { atMs, forMs };
  switch (kind) {
    case 'partition': {
      const a = anyNode();
      const rest = [...targets.agents, ...targets.others].filter((node) => node !== a);
      return { kind, ...window, groups: [[a], rest.length > 0 ? [pick(rest, stream)] : [a]], oneWay: stream.next() < 0.3 };
    }
    case 'hold':
      return { kind, ...window, forMs: Math.min(forMs, 2_000), links: [link(anyNode(), targets, stream)] };
    case 'loss':
      return { kind, ...window, lossRatio: ratio() };
    case 'duplicate':
      return { kind, ...window, duplicateRatio: ratio() };
    case 'reorder':
      return { kind, ...window, reorderRatio: ratio(), reorderDelayMsMax: Math.round(50 + 450 * stream.next()) };
    case 'slow-link':
      return { kind, ...window, latencyMs: { dist: 'lognormal', median: Math.round(100 + 400 * stream.next()), sigma: 0.5, max: 5_000 }, links: [link(anyNode(), targets, stream)] };
    case 'corrupt':
      return { kind, ...window, corruptRatio: ratio() };
    case 'crash': {
      const phase: HandoffPhase | undefined = stream.next() < 0.3 ? pick(HANDOFF_PHASES, stream) : undefined;
      return phase === undefined ? { kind, ...window, targets: [anyNode()] } : { kind, ...window, targets: [agent()], phase };
    }
    case 'pause':
      return { kind, ...window, forMs: Math.min(forMs, 3_000), targets: [anyNode()] };
    case 'replica-lag':
      return { kind, ...window, replicaLagMs: { dist: 'exponential', mean: Math.round(50 + 950 * stream.next()), max: 10_000 } };
    case 'write-failure':
      return { kind, ...window, writeFailureRatio: ratio() };
    case 'clock':
      return { kind, ...window, targets: [anyNode()], skewMs: Math.round((stream.next() - 0.5) * 4_000), driftPpm: Math.round((stream.next() - 0.5) * 200_000) };
    case 'agent-slowdown':
      return { kind, ...window, targets: [agent()], slowdownFactor: round3(1.5 + 4.5 * stream.next()) };
    case 'agent-errors':
      return { kind, ...window, targets: [agent()], errorRatio: ratio() };
    case 'agent-hang':
      return { kind, ...window, targets: [agent()], hangRatio: ratio() };
    case 'token-blowup':
      return { kind, ...window, targets: [agent()], tokensFactor: round3(2 + 8 * stream.next()) };
    case 'schema-drift':
      return { kind, ...window, targets: [agent()], schemaVersion: 2 };
  }
}

function link(from: string, targets: FaultTargets, stream: RandomStream): { from: string; to: string } {
  const others = [...targets.agents, ...targets.others].filter((node) => node !== from);
  return { from, to: others.length > 0 ? pick(others, stream) : from };
}

function pick<Item>(items: readonly Item[], stream: RandomStream): Item {
  return items[integerBetween(0, items.length - 1, stream)];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
