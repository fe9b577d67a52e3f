import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulationOptions } from '../../scenarios/format/load-scenario.js';
import { simulate } from '../../simulator/simulate.js';

// Each failure mode of the seed documents as two built-in scenarios: the naive
// policy (a sweep finds the violation and names the failure mode through its
// checker) and the robust policy (no violation over 1,000 seeds).
const MODES: { mode: string; checker: string }[] = [
  { mode: 'stale-state-propagation', checker: 'no-stale-read-acted-on' },
  { mode: 'retry-ambiguity', checker: 'exactly-once-effects' },
  { mode: 'context-blowup', checker: 'context-window' },
  { mode: 'circular-deadlock', checker: 'liveness' },
  { mode: 'schema-drift', checker: 'integrity' },
  { mode: 'double-assignment', checker: 'no-double-assignment' },
  { mode: 'crash-mid-handoff', checker: 'no-lost-handoff' },
  { mode: 'partition-during-handoff', checker: 'no-lost-handoff' },
];

const NAIVE_SEEDS = 200;
const ROBUST_SEEDS = Number(process.env.BATON_ROBUST_SEEDS ?? 1_000);
const tracer = trace.getTracer('failure-modes');

async function sweep(file: string, seeds: number, stopAtFirst: boolean): Promise<{ seed: number; checkers: string[] }[]> {
  const scenario = loadScenarioFile(file);
  const failing: { seed: number; checkers: string[] }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await simulate(simulationOptions(scenario, seed), tracer);
    if (result.violations.length > 0) {
      failing.push({ seed, checkers: [...new Set(result.violations.map((v) => v.checker))] });
      if (stopAtFirst) break;
    }
  }
  return failing;
}

describe('failure-mode scenarios', () => {
  for (const { mode, checker } of MODES) {
    it(`${mode}: the naive policy violates ${checker} within ${NAIVE_SEEDS} seeds`, async () => {
      const failing = await sweep(`scenarios/${mode}-naive.yaml`, NAIVE_SEEDS, true);
      expect(failing.length).toBe(1);
      expect(failing[0]!.checkers).toContain(checker);
    });

    it(`${mode}: the robust policy has no violation in ${ROBUST_SEEDS} seeds`, async () => {
      expect(await sweep(`scenarios/${mode}-robust.yaml`, ROBUST_SEEDS, false)).toEqual([]);
    });
  }
});
