import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { batonInProcess } from './support/in-process.js';

// `baton compare --sweeps`: two sweeps stored by `baton sweep`, compared by
// seed without running anything again.
const work = mkdtempSync(join(tmpdir(), 'baton-compare-sweeps-'));
const scenario = join(work, 'small.yaml');
writeFileSync(scenario, readFileSync(join(repoRoot, 'scenarios', 'research-pipeline.yaml'), 'utf8').replace('instances: 20', 'instances: 4'));
const baton = (...args: string[]) => batonInProcess(work, [...args, '--data-dir', join(work, 'chdb')]);

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Row {
  metric: string;
  difference: number;
  low: number;
  high: number;
  significant: boolean;
}
const row = (comparison: { metrics: Row[] }, metric: string): Row => comparison.metrics.find((item) => item.metric === metric)!;

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
