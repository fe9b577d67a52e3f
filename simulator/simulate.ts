import type { Span, Tracer } from '@opentelemetry/api';
import type { CoreEvent } from '../core/env/observer.js';
import type { Env } from '../core/env/env.js';
import { sample } from '../core/env/random.js';
import type { WorkflowOutcome } from '../core/supervisor/supervisor.js';
import { ATTR, SPAN } from '../core/telemetry/attributes.js';
import { SpanClock } from '../core/telemetry/virtual-spans.js';
import { createCoreNodes } from './core-nodes.js';
import { DagOrderChecker } from './checkers/dag-order-checker.js';
import { LivenessChecker } from './checkers/liveness-checker.js';
import { LostHandoffChecker } from './checkers/lost-handoff-checker.js';
import type { Checker, Violation } from './checkers/violation.js';
import { scheduleFaults } from './faults/fault-plan.js';
import { Kernel } from './kernel/kernel.js';
import { SimLimitError } from './kernel/errors.js';
import { DEFAULT_INTER_ARRIVAL_MS, DEFAULT_WORKLOAD_INSTANCES, type SimulationOptions } from './options.js';
import { SeededRandom } from './random/seeded-random.js';
import { EventLog } from './world/event-log.js';
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
    spans.event(simulationSpan, 'baton.fault', { [ATTR.faultKind]: kind, [ATTR.faultTarget]: target });
  };
  const network = new SimNetwork(kernel, random.stream('network'), log, options.network?.defaultLink, recordFault);
  for (const link of options.network?.links ?? []) network.setLink(link.from, link.to, link);

  const checkers: Checker[] = [new DagOrderChecker(options.workflow), new LostHandoffChecker(), new LivenessChecker()];
  const observer = {
    record(event: CoreEvent): void {
      const atMs = kernel.nowUs() / 1000;
      log.append(kernel.nowUs(), `core.${event.type} ${describe(event)}`);
      for (const checker of checkers) checker.observe(event, atMs);
    },
  };
  const env: Env = { clock, random, transport: network, storage: new SimStorage(kernel), tracer, observer };

  const { supervisor } = createCoreNodes(env, clock, random, options);
  scheduleFaults(kernel, network, options.faults ?? [], recordFault);

  const outcomes: WorkflowOutcome[] = [];
  scheduleWorkload(kernel, options, random, (index) => {
    const workflowId = `wf-${String(index + 1).padStart(4, '0')}`;
    void supervisor
      .runWorkflow({ workflowId, spec: options.workflow, query: options.workload?.query ?? `${options.workflow.name} request ${index + 1}` })
      .then((outcome) => outcomes.push(outcome));
  });

  const violations: Violation[] = [];
  try {
    await kernel.run();
  } catch (error) {
    if (!(error instanceof SimLimitError)) throw error;
    violations.push({ checker: 'limits', classification: 'liveness', seed: options.seed, atMs: kernel.nowUs() / 1000, story: error.message });
  }
  const endMs = kernel.nowUs() / 1000;
  for (const checker of checkers) {
    for (const violation of checker.finish(endMs)) violations.push({ ...violation, seed: options.seed });
  }
  endSimulationSpan(spans, simulationSpan, violations.length);
  outcomes.sort((a, b) => (a.workflowId < b.workflowId ? -1 : 1));
  const faultsInjected = Object.values(faultsByKind).reduce((sum, count) => sum + count, 0);
  return {
    seed: options.seed,
    outcomes,
    violations,
    faultsInjected,
    faultsByKind,
    eventLogHash: log.digest(),
    eventCount: kernel.eventCount(),
    endMs,
    log,
    network: network.stats(),
  };
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

function describe(event: CoreEvent): string {
  return Object.entries(event)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
