import { describe, expect, it } from 'vitest';
import { createRunTracer } from '../../../collector/tracing/run-tracer.js';
import { applyOverrides } from '../../../cli/scenario-overrides.js';
import { shrunkScenarioYaml } from '../../../cli/pipeline/shrink-report.js';
import { loadScenarioFile, parseScenario, simulationOptions } from '../../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { shrinkFaultPlan } from '../../../simulator/shrink/shrink-plan.js';
import { simulate } from '../../../simulator/simulate.js';

const tracerFor = (seed: number) => createRunTracer(new SeededRandom(seed).stream('ids'), () => {});

/**
 * The story: without idempotency keys, a task retried after its effect was
 * committed commits it twice. A default swarm finds seeds that show it under
 * many random faults at once; shrinking must say which one or two matter.
 */
describe('shrinking a failing fault plan', () => {
  const naive = applyOverrides(loadScenarioFile('scenarios/research-pipeline.yaml'), ['swarm=default', 'policies.idempotencyKeys=false']);

  it('shrinks a many-fault failure to at most a few faults, and the printed scenario reproduces it', async () => {
    let failing: { seed: number; faults: number } | undefined;
    for (let seed = 1; seed <= 60 && !failing; seed++) {
      const result = await simulate(simulationOptions(naive, seed), tracerFor(seed));
      if (result.faultPlan.length >= 5 && result.violations.some((violation) => violation.checker === 'exactly-once-effects')) failing = { seed, faults: result.faultPlan.length };
    }
    expect(failing, 'a default swarm seed that breaks exactly-once with 5+ faults').toBeDefined();
    const { seed } = failing!;
    const result = await shrinkFaultPlan({ options: simulationOptions(naive, seed), tracerFor, runsMax: 200, checker: 'exactly-once-effects' });
    expect(result).toBeDefined();
    expect(result!.original.length).toBe(failing!.faults);
    expect(result!.shrunk.length).toBeLessThanOrEqual(3);
    expect(result!.shrunk.length).toBeLessThan(result!.original.length);

    const yaml = shrunkScenarioYaml(naive, seed, result!, 'default');
    expect(yaml).toMatch(/^# Regression \(found by baton\): seed \d+ under --swarm default broke "exactly-once-effects"/);
    const regression = parseScenario(yaml, 'regression.yaml');
    expect(regression.spec.swarm).toBeUndefined();
    expect(regression.spec.faults).toEqual(result!.shrunk);
    const replayed = await simulate(simulationOptions(regression, seed), tracerFor(seed));
    expect(replayed.violations.map((violation) => violation.checker)).toContain('exactly-once-effects');
  }, 120_000);

  it('returns nothing to shrink for a passing run', async () => {
    const robust = applyOverrides(loadScenarioFile('scenarios/research-pipeline.yaml'), ['swarm=lite', 'workload.instances=3']);
    expect(await shrinkFaultPlan({ options: simulationOptions(robust, 1), tracerFor, runsMax: 5 })).toBeUndefined();
  }, 60_000);
});
