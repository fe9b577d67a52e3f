import type { Distribution } from '../../core/env/random.js';

/** A directed link between two nodes; faults scoped to links name them this way. */
export interface LinkRef {
  from: string;
  to: string;
}

/** Phases of a handoff a crash can be aimed at (reported by core as `handoff.phase`). */
export const HANDOFF_PHASES = ['checkpointed', 'context-written', 'published', 'ack-received'] as const;
export type HandoffPhase = (typeof HANDOFF_PHASES)[number];

/** When a fault starts and how long it lasts: starts `atMs` after the run starts, healed `forMs` later. */
interface Window {
  atMs: number;
  forMs: number;
}

/**
 * A fault on the scenario's timeline. Every fault starts `atMs` after the run
 * starts and is healed `forMs` later. Faults scoped by `links` apply to every
 * link when `links` is absent. Each variant:
 *
 * Network
 * - `partition`: cuts `groups[0]` from `groups[1]` (both ways unless `oneWay`); repaired at the end.
 * - `hold`: messages on `links` are held (not delivered) and released, in order, at the end.
 * - `loss`: each message on `links` is lost with `lossRatio`.
 * - `duplicate`: each message on `links` is delivered twice with `duplicateRatio`.
 * - `reorder`: each message on `links` is delayed by up to `reorderDelayMsMax` more with
 *   `reorderRatio`, so later messages overtake it.
 * - `slow-link`: messages on `links` take `latencyMs` instead of the link's latency.
 * - `corrupt`: each handoff envelope on `links` has a byte of its context flipped with
 *   `corruptRatio` (the checksum is not recomputed: receivers must refuse it).
 *
 * Nodes
 * - `crash`: crashes each of `targets` (volatile state lost, durable kept) and restarts it
 *   after `forMs`. With `phase`, the crash is armed during the window: the first handoff of a
 *   target to reach that phase crashes it right after, and it restarts when the window ends;
 *   `store` is the storage primary.
 * - `pause`: each of `targets` is frozen: nothing reaches it and nothing it sends leaves;
 *   both are released, in order, at resume.
 *
 * Storage
 * - `replica-lag`: replica reads see the primary as of now − `replicaLagMs` (drawn per read).
 * - `write-failure`: each write fails with `writeFailureRatio`.
 *
 * Clocks
 * - `clock`: the clocks of `targets` read `skewMs` ahead (negative: behind) and run
 *   `driftPpm` parts per million fast (negative: slow).
 *
 * Agents
 * - `agent-slowdown`: work of `targets` takes `slowdownFactor` times as long.
 * - `agent-errors`: work of `targets` fails with `errorRatio`.
 * - `agent-hang`: work of `targets` never returns (a timeout) with `hangRatio`.
 * - `token-blowup`: output tokens of `targets` are multiplied by `tokensFactor`.
 * - `schema-drift`: `targets` are upgraded and emit envelope schema version `schemaVersion`.
 */
export type ScriptedFault =
  | (Window & { kind: 'partition'; groups: [string[], string[]]; oneWay?: boolean })
  | (Window & { kind: 'hold'; links?: LinkRef[] })
  | (Window & { kind: 'loss'; lossRatio: number; links?: LinkRef[] })
  | (Window & { kind: 'duplicate'; duplicateRatio: number; links?: LinkRef[] })
  | (Window & { kind: 'reorder'; reorderRatio: number; reorderDelayMsMax: number; links?: LinkRef[] })
  | (Window & { kind: 'slow-link'; latencyMs: Distribution; links?: LinkRef[] })
  | (Window & { kind: 'corrupt'; corruptRatio: number; links?: LinkRef[] })
  | (Window & { kind: 'crash'; targets: string[]; phase?: HandoffPhase })
  | (Window & { kind: 'pause'; targets: string[] })
  | (Window & { kind: 'replica-lag'; replicaLagMs: Distribution })
  | (Window & { kind: 'write-failure'; writeFailureRatio: number })
  | (Window & { kind: 'clock'; targets: string[]; skewMs?: number; driftPpm?: number })
  | (Window & { kind: 'agent-slowdown'; targets: string[]; slowdownFactor: number })
  | (Window & { kind: 'agent-errors'; targets: string[]; errorRatio: number })
  | (Window & { kind: 'agent-hang'; targets: string[]; hangRatio: number })
  | (Window & { kind: 'token-blowup'; targets: string[]; tokensFactor: number })
  | (Window & { kind: 'schema-drift'; targets: string[]; schemaVersion: number });

export type FaultKind = ScriptedFault['kind'];

/** Fault kinds a scenario may script (closed list; the schema and the plan check it). */
export const SCRIPTED_FAULT_KINDS = [
  'partition',
  'hold',
  'loss',
  'duplicate',
  'reorder',
  'slow-link',
  'corrupt',
  'crash',
  'pause',
  'replica-lag',
  'write-failure',
  'clock',
  'agent-slowdown',
  'agent-errors',
  'agent-hang',
  'token-blowup',
  'schema-drift',
] as const satisfies readonly FaultKind[];

/** Kinds that act on single messages of a link while active. */
export type MessageFault = Extract<ScriptedFault, { kind: 'hold' | 'loss' | 'duplicate' | 'reorder' | 'slow-link' | 'corrupt' }>;

/** Every node a fault names (for validation of a scenario). */
export function faultNodes(fault: ScriptedFault): string[] {
  if (fault.kind === 'partition') return fault.groups.flat();
  if ('targets' in fault) return fault.targets;
  if ('links' in fault && fault.links) return fault.links.flatMap((link) => [link.from, link.to]);
  return [];
}

/** True when a fault scoped by `links` applies to the link `from` → `to`. */
export function appliesToLink(fault: { links?: LinkRef[] }, from: string, to: string): boolean {
  return fault.links === undefined || fault.links.some((link) => link.from === from && link.to === to);
}

/** One line naming a fault's target, for span events and the event log. */
export function faultTarget(fault: ScriptedFault): string {
  if (fault.kind === 'partition') return `${fault.groups[0].join(',')}${fault.oneWay ? '->' : '<->'}${fault.groups[1].join(',')}`;
  if ('targets' in fault) return fault.targets.join(',');
  if ('links' in fault && fault.links) return fault.links.map((link) => `${link.from}->${link.to}`).join(',');
  if (fault.kind === 'replica-lag' || fault.kind === 'write-failure') return 'store';
  return '*';
}
