import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenCases, goldenRun, type GoldenRun } from './golden-runs.js';

const recorded: GoldenRun[] = JSON.parse(readFileSync(new URL('./golden-runs.json', import.meta.url), 'utf8'));

describe('golden runs: optimised paths store the same rows as before, byte for byte', () => {
  it('covers every built-in scenario and swarm preset', () => {
    expect(recorded.map(({ scenario, swarm, seed }) => ({ file: scenario, swarm, seed }))).toEqual(goldenCases());
    expect(recorded.length).toBeGreaterThan(60);
  });

  it.each(recorded.map((run) => [`${run.scenario} ${run.swarm ?? 'no swarm'} seed ${run.seed}`, run] as const))('%s', async (_name, run) => {
    expect(await goldenRun(run.scenario, run.swarm, run.seed)).toEqual(run);
  });
});
