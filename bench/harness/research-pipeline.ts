import { trace, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord } from '../../collector/span-rows.js';
import { createRecordTracer } from '../../collector/tracing/record-tracer.js';
import { createRunTracer } from '../../collector/tracing/run-tracer.js';
import { loadScenarioFile, simulationOptions, type Scenario } from '../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { simulate, type SimulationResult } from '../../simulator/simulate.js';

/** The scenario every end-to-end benchmark runs. */
export const RESEARCH_PIPELINE_FILE = 'scenarios/research-pipeline.yaml';

export function loadResearchPipeline(): Scenario {
  return loadScenarioFile(RESEARCH_PIPELINE_FILE);
}

/**
 * How a benchmark run traces: the record tracer `baton run` and `baton sweep`
 * use (records to a listener), the SDK's tracer provider (spans to a
 * listener; what they used before), or the API's no-op tracer.
 */
export type TracingMode =
  | { kind: 'records'; listener: (record: SpanRecord) => void }
  | { kind: 'sdk'; listener: (span: ReadableSpan) => void }
  | { kind: 'off' };

/**
 * With no global provider registered, `trace.getTracer` returns the API's
 * ProxyTracer over the no-op tracer: spans are non-recording, attributes and
 * events are dropped, and no ids are generated.
 */
export function tracerFor(mode: TracingMode, seed: number): Tracer {
  if (mode.kind === 'off') return trace.getTracer('baton-bench-off');
  if (mode.kind === 'records') return createRecordTracer(new SeededRandom(seed).stream('ids'), mode.listener);
  return createRunTracer(new SeededRandom(seed).stream('ids'), mode.listener);
}

/** Simulates one seed of the scenario the way `runScenario` does, minus storage. */
export function simulateSeed(scenario: Scenario, seed: number, mode: TracingMode): Promise<SimulationResult> {
  return simulate(simulationOptions(scenario, seed), tracerFor(mode, seed));
}
