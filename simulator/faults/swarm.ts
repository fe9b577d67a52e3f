import { integerBetween, type RandomStream } from '../../core/env/random.js';
import { SeededRandom } from '../random/seeded-random.js';
import type { FaultKind, HandoffPhase, ScriptedFault } from './scripted-faults.js';
import { HANDOFF_PHASES } from './scripted-faults.js';

/** Named swarm presets: how many faults, which kinds, how intense. */
export const SWARM_PRESETS = ['lite', 'default', 'harsh'] as const;
export type SwarmPreset = (typeof SWARM_PRESETS)[number];

/** What a preset allows; each run draws its own rates within these bounds. */
interface SwarmProfile {
  faultsMin: number;
  faultsMax: number;
  kinds: readonly FaultKind[];
  /** Upper bound of every ratio fault (loss, duplicate, errors, ...). */
  ratioMax: number;
  windowMsMin: number;
  windowMsMax: number;
}

const LITE_KINDS = ['loss', 'duplicate', 'reorder', 'slow-link', 'agent-slowdown', 'agent-errors', 'clock'] as const;
const DEFAULT_KINDS = [...LITE_KINDS, 'partition', 'crash', 'pause', 'hold', 'replica-lag', 'write-failure', 'token-blowup'] as const;
const HARSH_KINDS = [...DEFAULT_KINDS, 'corrupt', 'schema-drift', 'agent-hang'] as const;

const PROFILES: Record<SwarmPreset, SwarmProfile> = {
  lite: { faultsMin: 1, faultsMax: 3, kinds: LITE_KINDS, ratioMax: 0.1, windowMsMin: 200, windowMsMax: 3_000 },
  default: { faultsMin: 2, faultsMax: 6, kinds: DEFAULT_KINDS, ratioMax: 0.3, windowMsMin: 300, windowMsMax: 5_000 },
  harsh: { faultsMin: 4, faultsMax: 12, kinds: HARSH_KINDS, ratioMax: 0.6, windowMsMin: 500, windowMsMax: 8_000 },
};

/** Default length of the safety phase of a swarm run, when the scenario sets none. */
export const DEFAULT_SWARM_SAFETY_MS = 15_000;
/** Default bound of the liveness phase of a swarm run: every workflow ends within it after healing. */
export const DEFAULT_SWARM_LIVENESS_MS = 120_000;

/** The nodes a swarm may aim at. */
export interface SwarmTargets {
  agents: readonly string[];
  /** Supervisor nodes (and any other non-agent node). */
  others: readonly string[];
}

/**
 * Draws a fault plan for `seed` from `preset`, swarm-style: first which kinds
 * this run enables (each with probability ½, at least one), then how many
 * faults, then each fault's window, targets and intensity. All draws come from
 * the seed's own `swarm` stream, so the plan depends only on (preset, seed,
 * targets, safetyMs) and shrinking can replay any sub-plan as a script.
 */
export function drawSwarmPlan(preset: SwarmPreset, seed: number, targets: SwarmTargets, safetyMs: number): ScriptedFault[] {
  const profile = PROFILES[preset];
  const stream = new SeededRandom(seed).stream(`swarm/${preset}`);
  let kinds = profile.kinds.filter(() => stream.next() < 0.5);
  if (kinds.length === 0) kinds = [profile.kinds[integerBetween(0, profile.kinds.length - 1, stream)]];
  const count = integerBetween(profile.faultsMin, profile.faultsMax, stream);
  const plan: ScriptedFault[] = [];
  for (let index = 0; index < count; index++) {
    const kind = kinds[integerBetween(0, kinds.length - 1, stream)];
    const forMs = Math.round(profile.windowMsMin + (profile.windowMsMax - profile.windowMsMin) * stream.next());
    const atMs = Math.round((safetyMs - Math.min(forMs, safetyMs / 2)) * stream.next());
    plan.push(drawFault(kind, atMs, Math.min(forMs, safetyMs - atMs), profile, targets, stream));
  }
  return plan.sort((a, b) => a.atMs - b.atMs);
}

function drawFault(kind: FaultKind, atMs: number, forMs: number, profile: SwarmProfile, targets: SwarmTargets, stream: RandomStream): ScriptedFault {
  const ratio = (): number => round3(profile.ratioMax * (0.1 + 0.9 * stream.next()));
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

function link(from: string, targets: SwarmTargets, stream: RandomStream): { from: string; to: string } {
  const others = [...targets.agents, ...targets.others].filter((node) => node !== from);
  return { from, to: others.length > 0 ? pick(others, stream) : from };
}

function pick<Item>(items: readonly Item[], stream: RandomStream): Item {
  return items[integerBetween(0, items.length - 1, stream)];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
