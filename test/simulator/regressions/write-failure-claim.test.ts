import { describe, expect, it } from 'vitest';
import { createRunTracer } from '../../../collector/tracing/run-tracer.js';
import { applyOverrides } from '../../../cli/scenario-overrides.js';
import { loadScenarioFile, simulationOptions } from '../../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { simulate } from '../../../simulator/simulate.js';

/**
 * The story: seed 14 of `research-pipeline.yaml --swarm harsh` broke liveness —
 * a workflow ended ~880 s after the faults healed. `baton replay --shrink` cut
 * the six random faults down to one: a third of the store's writes failing for
 * under a second. The write of the task claim `tasks/wf-0003/research` failed,
 * the supervisor took the failed write for a lost race and followed its own
 * claim until the workflow's deadline (fixed in core: a failed claim write is
 * retried). This is the shrunk scenario, kept as a regression test.
 */
describe('regression: a failed claim write must not stall a workflow', () => {
  it('seed 14 with one write-failure window ends every workflow within the liveness bound', async () => {
    const scenario = applyOverrides(loadScenarioFile('scenarios/research-pipeline.yaml'), [
      'faults=[{ kind: write-failure, atMs: 7504, forMs: 876, writeFailureRatio: 0.355 }]',
      'phases={ safetyMs: 15000, livenessMsMax: 120000 }',
    ]);
    const result = await simulate({ ...simulationOptions(scenario, 14), retainLog: true }, createRunTracer(new SeededRandom(14).stream('ids'), () => {}));
    expect(result.log.entries.some((entry) => entry.text.startsWith('store.write-failed tasks/'))).toBe(true);
    expect(result.violations).toEqual([]);
    expect(result.outcomes).toHaveLength(20);
  });
});
