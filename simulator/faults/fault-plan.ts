import type { Kernel } from '../kernel/kernel.js';
import type { SimNetwork } from '../world/sim-network.js';
import type { SimStorage } from '../world/sim-storage.js';
import type { NodeClocks } from '../world/node-clocks.js';
import type { EventLog } from '../world/event-log.js';
import type { AgentFaultState } from '../agents/agent-faults.js';
import { msToUs } from '../world/sim-clock.js';
import { faultTarget, type HandoffPhase, type MessageFault, type ScriptedFault } from './scripted-faults.js';

/** Reports an injected fault: its kind and target, at the current virtual time. */
export type FaultRecorder = (kind: string, target: string) => void;

/** A handoff phase core reported, as the fault plan needs it. */
export interface PhaseReport {
  phase: string;
  source: string;
  target: string;
}

/** What the fault plan acts on. */
export interface FaultWorld {
  kernel: Kernel;
  network: SimNetwork;
  storage: SimStorage;
  clocks: NodeClocks;
  /** Fault state of each agent, by name. */
  agents: ReadonlyMap<string, AgentFaultState>;
  log: EventLog;
  record: FaultRecorder;
  /** Calls `listener` on every handoff phase core reports from now on. */
  onHandoffPhase(listener: (report: PhaseReport) => void): void;
}

/** The node name of the storage primary in fault targets. */
export const STORE_NODE = 'store';

/**
 * Clips a plan to the safety phase: faults that start at or after `safetyMs`
 * are dropped and the others heal by `safetyMs`. Without a bound the plan is unchanged.
 */
export function clipToSafetyPhase(faults: readonly ScriptedFault[], safetyMs: number | undefined): ScriptedFault[] {
  if (safetyMs === undefined) return [...faults];
  return faults.filter((fault) => fault.atMs < safetyMs).map((fault) => ({ ...fault, forMs: Math.min(fault.forMs, safetyMs - fault.atMs) }));
}

/**
 * Schedules every fault of the plan and its healing on the kernel. Returns the
 * virtual time (µs) after which every fault is healed (0 for an empty plan).
 */
export function scheduleFaults(world: FaultWorld, faults: readonly ScriptedFault[]): number {
  let healedAtUs = 0;
  const phaseCrashes: { fault: Extract<ScriptedFault, { kind: 'crash' }>; pending: Set<string>; untilUs: number }[] = [];
  for (const fault of faults) {
    const startUs = msToUs(fault.atMs);
    const endUs = startUs + msToUs(fault.forMs);
    healedAtUs = Math.max(healedAtUs, endUs);
    if (fault.kind === 'crash' && fault.phase !== undefined) {
      // Armed from atMs to the end of the window; fires on the first matching phase and the node
      // restarts when the window ends (so the plan heals when it says). Never fired costs nothing.
      world.kernel.schedule(startUs, () => phaseCrashes.push({ fault, pending: new Set(fault.targets), untilUs: endUs }));
      continue;
    }
    world.kernel.schedule(startUs, () => {
      const heal = startFault(world, fault);
      world.record(fault.kind, faultTarget(fault));
      world.kernel.schedule(endUs - startUs, heal, true);
    }, true);
  }
  if (faults.some((fault) => fault.kind === 'crash' && fault.phase !== undefined)) {
    world.onHandoffPhase((report) => {
      for (const armed of phaseCrashes) {
        if (armed.fault.phase !== (report.phase as HandoffPhase) || world.kernel.nowUs() >= armed.untilUs) continue;
        for (const node of [report.source, report.target]) {
          if (!armed.pending.delete(node)) continue;
          // Crash right after the phase: what core does synchronously after reporting it still happens.
          world.kernel.schedule(0, () => {
            world.log.append(world.kernel.nowUs(), `fault.crash-at-phase ${node} phase=${report.phase}`);
            crashNode(world, node);
            world.record('crash', `${node}@${report.phase}`);
            world.kernel.schedule(armed.untilUs - world.kernel.nowUs(), () => restartNode(world, node), true);
          }, true);
        }
      }
    });
  }
  return healedAtUs;
}

/** Starts one fault now; returns what heals it. */
function startFault(world: FaultWorld, fault: ScriptedFault): () => void {
  switch (fault.kind) {
    case 'partition': {
      const id = world.network.partition(fault.groups[0], fault.groups[1], fault.oneWay ?? false);
      return () => world.network.repair(id);
    }
    case 'hold':
    case 'loss':
    case 'duplicate':
    case 'reorder':
    case 'slow-link':
    case 'corrupt':
      return startMessageFault(world, fault);
    case 'crash':
      for (const node of fault.targets) crashNode(world, node);
      return () => fault.targets.forEach((node) => restartNode(world, node));
    case 'pause':
      for (const node of fault.targets) world.network.pause(node);
      return () => fault.targets.forEach((node) => world.network.resume(node));
    case 'replica-lag':
      world.storage.setReplicaLag(fault.replicaLagMs);
      world.log.append(world.kernel.nowUs(), `fault.replica-lag start`);
      return () => {
        world.storage.setReplicaLag(undefined);
        world.log.append(world.kernel.nowUs(), `fault.replica-lag end`);
      };
    case 'write-failure':
      world.storage.setWriteFailureRatio(fault.writeFailureRatio);
      world.log.append(world.kernel.nowUs(), `fault.write-failure start ratio=${fault.writeFailureRatio}`);
      return () => {
        world.storage.setWriteFailureRatio(undefined);
        world.log.append(world.kernel.nowUs(), `fault.write-failure end`);
      };
    case 'clock':
      for (const node of fault.targets) world.clocks.clockFor(node).set(fault.skewMs ?? 0, fault.driftPpm ?? 0);
      world.log.append(world.kernel.nowUs(), `fault.clock ${fault.targets.join(',')} skewMs=${fault.skewMs ?? 0} driftPpm=${fault.driftPpm ?? 0}`);
      return () => {
        for (const node of fault.targets) world.clocks.clockFor(node).set(0, 0);
        world.log.append(world.kernel.nowUs(), `fault.clock-healed ${fault.targets.join(',')}`);
      };
    case 'schema-drift':
      for (const node of fault.targets) world.network.messageFaults.setSchemaDrift(node, fault.schemaVersion);
      world.log.append(world.kernel.nowUs(), `fault.schema-drift ${fault.targets.join(',')} v${fault.schemaVersion}`);
      return () => {
        for (const node of fault.targets) world.network.messageFaults.setSchemaDrift(node, undefined);
        world.log.append(world.kernel.nowUs(), `fault.schema-drift-end ${fault.targets.join(',')}`);
      };
    case 'agent-slowdown':
    case 'agent-errors':
    case 'agent-hang':
    case 'token-blowup':
      return startAgentFault(world, fault);
  }
}

function startMessageFault(world: FaultWorld, fault: MessageFault): () => void {
  world.network.startMessageFault(fault);
  return () => world.network.endMessageFault(fault);
}

type AgentFault = Extract<ScriptedFault, { kind: 'agent-slowdown' | 'agent-errors' | 'agent-hang' | 'token-blowup' }>;

/** Sets the agent fault on each target; healing restores the default (overlapping windows of one kind do not stack). */
function startAgentFault(world: FaultWorld, fault: AgentFault): () => void {
  const apply = (state: AgentFaultState, on: boolean): void => {
    if (fault.kind === 'agent-slowdown') state.slowdownFactor = on ? fault.slowdownFactor : 1;
    if (fault.kind === 'agent-errors') state.errorRatio = on ? fault.errorRatio : 0;
    if (fault.kind === 'agent-hang') state.hangRatio = on ? fault.hangRatio : 0;
    if (fault.kind === 'token-blowup') state.tokensFactor = on ? fault.tokensFactor : 1;
  };
  const states = fault.targets.flatMap((node) => world.agents.get(node) ?? []);
  for (const state of states) apply(state, true);
  world.log.append(world.kernel.nowUs(), `fault.${fault.kind} ${fault.targets.join(',')}`);
  return () => {
    for (const state of states) apply(state, false);
    world.log.append(world.kernel.nowUs(), `fault.${fault.kind}-end ${fault.targets.join(',')}`);
  };
}

function crashNode(world: FaultWorld, node: string): void {
  if (node === STORE_NODE) world.storage.crash();
  else world.network.crash(node);
}

function restartNode(world: FaultWorld, node: string): void {
  if (node === STORE_NODE) world.storage.restart();
  else world.network.restart(node);
}
