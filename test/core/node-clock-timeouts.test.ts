import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { simulate } from '../../simulator/simulate.js';
import { loadScenarioFile, simulationOptions } from '../../scenarios/format/load-scenario.js';
import type { SimulationOptions } from '../../simulator/options.js';

// Timeouts are measured on the node's own clock: a source whose clock runs
// fast gives up on ACKs sooner in true time, so the same seed retries more.
function options(driftPpm: number | undefined): SimulationOptions {
  const base = simulationOptions(loadScenarioFile('scenarios/research-pipeline.yaml'), 11);
  return {
    ...base,
    retainLog: true,
    network: { defaultLink: { latencyMs: { dist: 'fixed', value: 120 } } },
    faults: driftPpm === undefined ? [] : [{ kind: 'clock', atMs: 0, forMs: 600_000, targets: ['researcher'], driftPpm }],
  } as SimulationOptions;
}

const offersFromResearcher = (entries: { text: string }[]): number =>
  entries.filter((entry) => entry.text.startsWith('net.send researcher->analyst handoff.offer')).length;

describe('timeouts on node clocks', () => {
  it('a fast clock on the source times out ACKs sooner (more offers); no clock fault keeps the true-time behaviour', async () => {
    const tracer = trace.getTracer('off');
    const steady = await simulate(options(undefined), tracer);
    const fast = await simulate(options(450_000), tracer);
    const steadyOffers = offersFromResearcher(steady.log.entries);
    const fastOffers = offersFromResearcher(fast.log.entries);
    expect(steadyOffers).toBeGreaterThanOrEqual(20);
    // ACK timeout 300 ms vs a 240 ms round trip: only the fast clock (300 ms measure ≈ 207 ms true) times out.
    expect(fastOffers).toBeGreaterThan(steadyOffers);
  });
});
