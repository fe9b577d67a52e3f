import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { comparisonRow, smallPipelineWorkspace } from './support/small-pipeline.js';

// `baton compare --sweeps`: two sweeps stored by `baton sweep`, compared by
// seed without running anything again.
const { work, scenario, baton } = smallPipelineWorkspace('baton-compare-sweeps-');

afterAll(() => rmSync(work, { recursive: true, force: true }));

const row = comparisonRow;

describe('baton compare --sweeps', () => {
  it('compares two stored sweeps paired by seed, without running anything', async () => {
    for (const [id, loss] of [['sw-a', '0'], ['sw-b', '0.2']]) {
      const swept = await baton('sweep', scenario, '--seeds', '1..6', '--jobs', '1', '--sweep-id', id, '--set', `network.lossRatio=${loss}`, '--set', 'workload.query=stored sweep', '--out', `sweep-${id}`);
      expect(swept.code, swept.stderr).toBe(0);
    }
    const result = await baton('compare', '--sweeps', 'sw-a', 'sw-b', '--metric', 'recovery.operations', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.seeds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(comparison.a).toBe('sweep sw-a');
    expect(row(comparison, 'recovery.operations').difference).toBeGreaterThan(0);
    expect((await baton('compare', '--sweeps', 'sw-a', 'no-such-sweep')).code).toBe(2);
  });

});
