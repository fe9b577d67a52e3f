import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createRunTracer } from '../../../collector/tracing/run-tracer.js';
import type { SimulationOptions } from '../../../simulator/options.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { simulate, type SimulationResult } from '../../../simulator/simulate.js';

/**
 * A small world for fault and checker tests: a researcher hands off to an
 * analyst, who hands off to a writer; fixed latencies so effects are easy to see.
 */
export function tinyWorld(overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  return {
    seed: 7,
    agents: ['researcher', 'analyst', 'writer'].map((name) => ({
      name,
      capabilities: [name],
      behaviour: { latencyMs: { dist: 'fixed', value: 100 }, outputTokens: { dist: 'fixed', value: 1000 } },
    })),
    workflow: {
      name: 'tiny',
      tasks: [
        { id: 'research', agent: 'researcher', dependsOn: [] },
        { id: 'analyze', agent: 'analyst', dependsOn: ['research'] },
        { id: 'write', agent: 'writer', dependsOn: ['analyze'] },
      ],
    },
    workload: { instances: 6, interArrivalMs: { dist: 'fixed', value: 200 } },
    policies: {
      handoff: { ackTimeoutMs: 100, attemptsMax: 4, backoff: { baseMs: 50, capMs: 400 } },
      supervisor: { taskTimeoutMs: 2_000, taskAttemptsMax: 4, backoff: { baseMs: 50, capMs: 400 } },
    },
    network: { defaultLink: { latencyMs: { dist: 'fixed', value: 5 } } },
    retainLog: true,
    ...overrides,
  };
}

/** A simulated run with its spans and its `baton.fault` span events. */
export interface TinyRun {
  result: SimulationResult;
  spans: ReadableSpan[];
  /** `kind target` of every `baton.fault` span event. */
  faultEvents: string[];
  /** Every event-log line. */
  lines: string[];
}

export async function runTiny(options: SimulationOptions): Promise<TinyRun> {
  const spans: ReadableSpan[] = [];
  const tracer = createRunTracer(new SeededRandom(options.seed).stream('ids'), (span) => spans.push(span));
  const result = await simulate(options, tracer);
  const faultEvents = spans.flatMap((span) =>
    span.events.filter((event) => event.name === 'baton.fault').map((event) => `${String(event.attributes?.['baton.fault.kind'])} ${String(event.attributes?.['baton.fault.target'])}`),
  );
  return { result, spans, faultEvents, lines: result.log.entries.map((entry) => entry.text) };
}
