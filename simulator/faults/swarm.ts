import { integerBetween, type RandomStream } from '../../core/env/random.js';
import { SeededRandom } from '../random/seeded-random.js';
import { drawRandomFaults, type FaultTargets, type RandomFaultRates } from './random-faults.js';
import type { FaultKind, ScriptedFault } from './scripted-faults.js';

/** Named swarm presets: how many faults, which kinds, how intense. */
export const SWARM_PRESETS = ['lite', 'default', 'harsh'] as const;
export type SwarmPreset = (typeof SWARM_PRESETS)[number];

/** What a preset allows; each run draws its own rates within these bounds (faults = expected count per run). */
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

/** The nodes a swarm may aim at (see FaultTargets). */
export type SwarmTargets = FaultTargets;

/**
 * The rates of one swarm run, drawn from its seed: which kinds this seed
 * enables (each with probability ½, at least one), how many faults it expects
 * (uniform between the preset's bounds), spread evenly over the enabled kinds
 * as windows per minute of the safety phase.
 */
export function drawSwarmRates(preset: SwarmPreset, stream: RandomStream, safetyMs: number): RandomFaultRates {
  const profile = PROFILES[preset];
  let kinds = profile.kinds.filter(() => stream.next() < 0.5);
  if (kinds.length === 0) kinds = [profile.kinds[integerBetween(0, profile.kinds.length - 1, stream)]];
  const expected = profile.faultsMin + (profile.faultsMax - profile.faultsMin) * stream.next();
  const perKind = expected / kinds.length / (safetyMs / 60_000);
  return {
    perMinute: Object.fromEntries(kinds.map((kind) => [kind, Math.round(perKind * 1000) / 1000])),
    windowMsMin: profile.windowMsMin,
    windowMsMax: profile.windowMsMax,
    ratioMax: profile.ratioMax,
  };
}

/**
 * Draws a fault plan for `seed` from `preset`, swarm-style: the rates first
 * (drawSwarmRates), then the windows (drawRandomFaults). All draws come from
 * the seed's own `swarm/<preset>` stream, so the plan depends only on (preset,
 * seed, targets, safetyMs) and shrinking can replay any sub-plan as a script.
 */
export function drawSwarmPlan(preset: SwarmPreset, seed: number, targets: SwarmTargets, safetyMs: number): ScriptedFault[] {
  const stream = new SeededRandom(seed).stream(`swarm/${preset}`);
  return drawRandomFaults(drawSwarmRates(preset, stream, safetyMs), stream, targets, safetyMs);
}
