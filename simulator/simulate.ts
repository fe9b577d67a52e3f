import type { Span, Tracer } from '@opentelemetry/api';
import type { CoreEvent, Observer } from '../core/env/observer.js';
import type { Env } from '../core/env/env.js';
import type { Message } from '../core/env/transport.js';
import { sample } from '../core/env/random.js';
import type { AgentBehaviour } from '../core/agents/types.js';
import type { WorkflowOutcome } from '../core/supervisor/supervisor.js';
import { MSG, type HandoffOffer } from '../core/supervisor/protocol.js';
import { ATTR, SPAN } from '../core/telemetry/attributes.js';
import { SpanClock } from '../core/telemetry/virtual-spans.js';
import { createCoreNodes } from './core-nodes.js';
import { FaultyBehaviour, healthyAgent, type AgentFaultState } from './agents/agent-faults.js';
import { SimBehaviour } from './agents/sim-behaviour.js';
import { createCheckers } from './checkers/checker-set.js';
import type { Checker, Violation, WorldEvent } from './checkers/violation.js';
import { scheduleFaults, type PhaseReport } from './faults/fault-plan.js';
import { planFaults } from './faults/run-plan.js';
import type { ScriptedFault } from './faults/scripted-faults.js';
import { Kernel } from './kernel/kernel.js';
import { SimLimitError } from './kernel/errors.js';
import { DEFAULT_INTER_ARRIVAL_MS, DEFAULT_WORKLOAD_INSTANCES, type SimulationOptions } from './options.js';
import { SeededRandom } from './random/seeded-random.js';
import { EventLog } from './world/event-log.js';
import { NodeClocks } from './world/node-clocks.js';
import { SimClock, msToUs } from './world/sim-clock.js';
import { SimNetwork } from './world/sim-network.js';
import { SimStorage } from './world/sim-storage.js';

/** What a simulated run produced (spans went to the tracer). */
export interface SimulationResult {
  seed: number;
  outcomes: WorkflowOutcome[];
  violations: Violation[];
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  /** Every fault the run scheduled (scripted and swarm-drawn); replaying it as a script reproduces the run. */
  faultPlan: ScriptedFault[];
  /** Virtual ms at which every fault was healed (start of the liveness phase). */
  healedAtMs: number;
  eventLogHash: string;
  eventCount: number;
  endMs: number;
  log: EventLog;
  network: { sent: number; delivered: number; dropped: number };
}

/**
 * Runs one scenario for one seed in virtual time. Deterministic: the same
 * options and seed give the same event log, spans and result. Spans go to
 * `tracer`, whose id generator the caller seeds.
 */
export async function simulate(options: SimulationOptions, tracer: Tracer): Promise<SimulationResult> {
  const kernel = new Kernel({
    eventsMax: options.limits?.eventsMax,
    simulatedUsMax: options.limits?.simulatedMsMax === undefined ? undefined : msToUs(options.limits.simulatedMsMax),
  });
  const random = new SeededRandom(options.seed);
  const log = new EventLog(options.retainLog ?? false);
  const clock = new SimClock(kernel);
  const spans = new SpanClock(tracer, clock);
  const simulationSpan = spans.start(SPAN.simulation, undefined, { 'baton.seed': options.seed });
  const faultsByKind: Record<string, number> = {};
  const recordFault = (kind: string, target: string): void => {
    faultsByKind[kind] = (faultsByKind[kind] ?? 0) + 1;
    log.append(kernel.nowUs(), `fault.injected ${kind} ${target}`);
    spans.event(simulationSpan, 'baton.fault', { [ATTR.faultKind]: kind, [ATTR.faultTarget]: target });
  };
  const network = new SimNetwork(kernel, random.stream('network'), log, options.network?.defaultLink, recordFault, random.stream('faults/network'));
  for (const link of options.network?.links ?? []) network.setLink(link.from, link.to, link);
  const storage = new SimStorage(kernel, options.storage, random.stream('faults/storage'), log, recordFault);
  const clocks = new NodeClocks(kernel);
  const violations: Violation[] = [];
  const nowMs = (): number => kernel.nowUs() / 1000;
  const watch = watchRun(kernel, log, network, createCheckers(options));

  const transport = options.wrapTransport ? options.wrapTransport(network) : network;
  const env: Env = { clock, random, transport, storage, tracer, observer: watch.observer, clockFor: (node) => clocks.clockFor(node) };
  const onThrow = (name: string, error: unknown): void => {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    log.append(kernel.nowUs(), `crash.behaviour ${name} ${message}`);
    violations.push({ checker: 'crash', classification: 'crash', seed: options.seed, atMs: nowMs(), story: `agent ${name}'s behaviour threw: ${message}` });
  };
  const agents = faultyBehaviours(options, clock, random, recordFault, onThrow);
  const { supervisors } = createCoreNodes(env, clock, random, { ...options, behaviours: agents.behaviours });

  const agentNames = options.agents.map((agent) => agent.name);
  const faultPlan = planFaults(options, { agents: agentNames, others: network.nodes().filter((node) => !agentNames.includes(node)) });
  const healedAtUs = scheduleFaults(
    { kernel, network, storage, clocks, agents: agents.states, log, record: recordFault, onHandoffPhase: (listener) => watch.phaseListeners.push(listener) },
    faultPlan,
  );
  kernel.schedule(healedAtUs, () => {
    log.append(kernel.nowUs(), 'phase.liveness faults healed');
    watch.tellWorld({ type: 'faults.healed' });
  });

  const outcomes: WorkflowOutcome[] = [];
  scheduleWorkload(kernel, options, random, (index) => {
    const workflowId = `wf-${String(index + 1).padStart(4, '0')}`;
    const instance = { workflowId, spec: options.workflow, query: options.workload?.query ?? `${options.workflow.name} request ${index + 1}` };
    // Racing supervisors (`supervisorsCount`): every instance runs every workflow; the first one's outcome is reported.
    const runs = supervisors.map((supervisor) => supervisor.runWorkflow(instance));
    void runs[0]!.then((outcome) => outcomes.push(outcome));
    // A workflow that rejects is core crashing: a `crash` violation, never an unhandled rejection.
    for (const run of runs) run.catch((error: unknown) => violations.push(harnessViolation(error, options.seed, nowMs())));
  });

  let stoppedBy: string | undefined;
  try {
    await kernel.run();
  } catch (error) {
    violations.push(harnessViolation(error, options.seed, nowMs()));
    stoppedBy = error instanceof SimLimitError ? `at its ${error.kind === 'events' ? 'event' : 'time'} limit` : 'on an error';
  }
  const endMs = nowMs();
  for (const checker of watch.checkers) {
    for (const violation of checker.finish(endMs, stoppedBy)) violations.push({ ...violation, seed: options.seed });
  }
  // Workflows still running (a deadlock, a limit) end their spans as `unfinished`, so the report counts them.
  for (const supervisor of supervisors) supervisor.endUnfinished();
  endSimulationSpan(spans, simulationSpan, violations.length);
  outcomes.sort((a, b) => (a.workflowId < b.workflowId ? -1 : 1));
  const faultsInjected = Object.values(faultsByKind).reduce((sum, count) => sum + count, 0);
  return {
    seed: options.seed,
    outcomes,
    violations,
    faultsInjected,
    faultsByKind,
    faultPlan,
    healedAtMs: healedAtUs / 1000,
    eventLogHash: log.digest(),
    eventCount: kernel.eventCount(),
    endMs,
    log,
    network: network.stats(),
  };
}

/** What watches a run: the checkers, the observer core reports to, and the world's own reports. */
interface RunWatch {
  checkers: Checker[];
  observer: Observer;
  tellWorld: (event: WorldEvent) => void;
  /** Listeners of handoff phases (the fault plan's phase-aimed crashes). */
  phaseListeners: ((report: PhaseReport) => void)[];
}

/**
 * Wires the checkers: core events go to the event log and every checker; the
 * network reports handoff offers being delivered (integrity) and leaving their
 * source (the `published` phase, whether or not core reports it).
 */
function watchRun(kernel: Kernel, log: EventLog, network: SimNetwork, checkers: Checker[]): RunWatch {
  const nowMs = (): number => kernel.nowUs() / 1000;
  const phaseListeners: ((report: PhaseReport) => void)[] = [];
  const observer: Observer = {
    record(event: CoreEvent): void {
      log.append(kernel.nowUs(), describe(event));
      for (const checker of checkers) checker.observe(event, nowMs());
      if (event.type === 'handoff.phase') for (const listener of phaseListeners) listener(event);
    },
  };
  const tellWorld = (event: WorldEvent): void => {
    for (const checker of checkers) checker.observeWorld?.(event, nowMs());
  };
  network.deliveryObserver = {
    beforeDeliver: (message: Message) => {
      if (message.kind === MSG.handoffOffer) tellWorld({ type: 'offer.delivering', to: message.to, envelope: (message.body as HandoffOffer).envelope });
    },
    afterDeliver: (message: Message) => {
      if (message.kind === MSG.handoffOffer) tellWorld({ type: 'offer.delivered', to: message.to, handoffId: (message.body as HandoffOffer).envelope?.handoffId });
    },
  };
  network.sendObserver = (message: Message) => {
    if (message.kind !== MSG.handoffOffer) return;
    for (const listener of phaseListeners) listener({ phase: 'published', source: message.from, target: message.to });
  };
  return { checkers, observer, tellWorld, phaseListeners };
}

/** Every agent's behaviour (simulated, or the TypeScript one given) wrapped with its fault state. */
function faultyBehaviours(
  options: SimulationOptions,
  clock: SimClock,
  random: SeededRandom,
  recordFault: (kind: string, target: string) => void,
  onThrow: (agent: string, error: unknown) => void,
): { behaviours: Record<string, AgentBehaviour>; states: Map<string, AgentFaultState> } {
  const states = new Map<string, AgentFaultState>();
  const behaviours: Record<string, AgentBehaviour> = {};
  for (const agent of options.agents) {
    const state = healthyAgent();
    states.set(agent.name, state);
    const inner = options.behaviours?.[agent.name] ?? new SimBehaviour(clock, random.stream(`agent/${agent.name}`), agent.behaviour);
    behaviours[agent.name] = new FaultyBehaviour(inner, agent.name, state, clock, random.stream(`faults/agent/${agent.name}`), recordFault, onThrow);
  }
  return { behaviours, states };
}

/** A limit hit is a liveness violation; anything else thrown out of the run is a crash. */
function harnessViolation(error: unknown, seed: number, atMs: number): Violation {
  if (error instanceof SimLimitError) return { checker: 'limits', classification: 'liveness', seed, atMs, story: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { checker: 'crash', classification: 'crash', seed, atMs, story: `the run threw: ${message.split('\n')[0]}` };
}

function scheduleWorkload(kernel: Kernel, options: SimulationOptions, random: SeededRandom, start: (index: number) => void): void {
  const instances = options.workload?.instances ?? DEFAULT_WORKLOAD_INSTANCES;
  const stream = random.stream('workload');
  let atUs = 0;
  for (let index = 0; index < instances; index++) {
    kernel.schedule(atUs, () => start(index), true);
    atUs += msToUs(sample(options.workload?.interArrivalMs ?? DEFAULT_INTER_ARRIVAL_MS, stream));
  }
}

function endSimulationSpan(spans: SpanClock, span: Span, violations: number): void {
  spans.end(span, { 'baton.invariants.violations': violations });
}

/**
 * The event log line of a core event: `core.<type> ` then `key=value` of every
 * field but the type, space-separated. Runs for every core event, so it is one
 * loop building one string: no entries array, no second concatenation.
 */
function describe(event: CoreEvent): string {
  let text = `core.${event.type} `;
  let first = true;
  // for-in visits an event literal's own keys in the same order as Object.entries (no inherited ones).
  for (const key in event) {
    if (key === 'type') continue;
    const value = (event as Record<string, unknown>)[key];
    text += first ? `${key}=${String(value)}` : ` ${key}=${String(value)}`;
    first = false;
  }
  return text;
}
