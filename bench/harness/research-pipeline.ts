import { trace, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createRunTracer } from '../../collector/tracing/run-tracer.js';
import { loadScenarioFile, simulationOptions, type Scenario } from '../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { simulate, type SimulationResult } from '../../simulator/simulate.js';

/** The scenario every end-to-end benchmark runs. */
export const RESEARCH_PIPELINE_FILE = 'scenarios/research-pipeline.yaml';

export function loadResearchPipeline(): Scenario {
  return loadScenarioFile(RESEARCH_PIPELINE_FILE);
}

/** How a benchmark run traces: SDK spans to a listener, or the API's no-op tracer. */
export type TracingMode = { kind: 'sdk'; listener: (span: ReadableSpan) => void } | { kind: 'off' };

/**
 * With no global provider registered, `trace.getTracer` returns the API's
 * ProxyTracer over the no-op tracer: spans are non-recording, attributes and
 * events are dropped, and no ids are generated.
 */
export function tracerFor(mode: TracingMode, seed: number): Tracer {
  if (mode.kind === 'off') return trace.getTracer('baton-bench-off');
  return createRunTracer(new SeededRandom(seed).stream('ids'), mode.listener);
}

/** Simulates one seed of the scenario the way `runScenario` does, minus storage. */
export function simulateSeed(scenario: Scenario, seed: number, mode: TracingMode): Promise<SimulationResult> {
  return simulate(simulationOptions(scenario, seed), tracerFor(mode, seed));
}
