import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparisonRow, smallPipelineWorkspace, type ComparisonRow } from './support/small-pipeline.js';

// `baton compare` end to end on the simulator, with a small workload so that
// 2 variants × 8 seeds stay fast.
const { work, scenario, baton } = smallPipelineWorkspace('baton-compare-');

afterAll(() => rmSync(work, { recursive: true, force: true }));

const row = comparisonRow;

describe('baton compare', () => {
  it('variants that differ in nothing that matters: no metric is significant', async () => {
    const result = await baton('compare', scenario, '--seeds', '1..8', '--common', 'network.lossRatio=0.05', '--set', 'workload.query=alpha', '--set', 'workload.query=beta', '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.seeds).toHaveLength(8);
    for (const metric of comparison.metrics as ComparisonRow[]) expect(metric.significant, metric.metric).toBe(false);
  });

  it('a real difference (network loss 0 vs 0.2) is significant, with the right sign', async () => {
    const result = await baton('compare', scenario, '--seeds', '1..8', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.2', '--format', 'json', '--out', 'cmp');
    expect(result.code).toBe(0);
    const comparison = JSON.parse(result.stdout);
    const recovery = row(comparison, 'recovery.operations');
    expect(recovery.significant).toBe(true);
    expect(recovery.low).toBeGreaterThan(0); // more loss, more retries
    const latency = row(comparison, 'handoffs.latencyMs.p50');
    expect(latency.significant).toBe(true);
    expect(latency.difference).toBeGreaterThan(0);
    expect(readFileSync(join(work, 'cmp', 'comparison.md'), 'utf8')).toMatch(/\| recovery\.operations \|.*\*\*significant\*\* \|/);
  });

  it('one seed: no metric is significant, the table says "n/a (1 seed)" and why', async () => {
    const result = await baton('compare', scenario, '--seeds', '1', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.2', '--out', 'one');
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(readFileSync(join(work, 'one', 'comparison.json'), 'utf8'));
    expect(comparison.seeds).toEqual([1]);
    // The variants do differ on this seed (a 0-width "interval" away from 0), yet nothing is significant.
    expect((comparison.metrics as ComparisonRow[]).some((metric) => metric.difference !== 0)).toBe(true);
    for (const metric of comparison.metrics as ComparisonRow[]) expect(metric.significant, metric.metric).toBe(false);
    expect(result.stdout).toContain('1 paired seed, ');
    expect(result.stdout).toContain('1 seed is too few for an interval');
    expect(result.stdout).toMatch(/^recovery\.operations\s.*\]\s+n\/a \(1 seed\)$/m);
    expect(result.stdout).not.toMatch(/significant \(B/);
    const markdown = readFileSync(join(work, 'one', 'comparison.md'), 'utf8');
    expect(markdown).toMatch(/\| recovery\.operations \|.*\| n\/a \(1 seed\) \|/);
    expect(markdown).not.toContain('**significant**');
  });

  it('prints a table; refuses bad seeds, a missing variant and unknown metrics', async () => {
    // The seed list takes what sweep's takes: ranges and single seeds mixed.
    const table = await baton('compare', scenario, '--seeds', '1..2,3', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.2', '--metric', 'handoffs.successRate');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('3 paired seeds');
    expect(table.stdout).toMatch(/^handoffs\.successRate\s+\S+\s+\S+\s+\S+\s+\[.*\]\s+(not )?significant/m);
    expect((await baton('compare', scenario, '--seeds', '9..1', '--set', 'a=1', '--set', 'a=2')).code).toBe(2);
    expect((await baton('compare', scenario, '--set', 'network.lossRatio=0')).code).toBe(2);
    const unknown = await baton('compare', scenario, '--seeds', '1', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.1', '--metric', 'speed');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown metric "speed"');
  });
});
