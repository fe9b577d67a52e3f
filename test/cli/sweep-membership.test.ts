import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smallPipelineWorkspace } from './support/small-pipeline.js';

// A run belongs to every sweep that ran it (sweep_runs): run ids are the
// same for the same scenario and seed, so a later sweep, a shard of one or
// a replay stores the same run again and must not take it out of a sweep.
const { work, scenario, baton } = smallPipelineWorkspace('baton-sweep-membership-');

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `baton history --sweep id`'s run count. */
async function historyRuns(sweepId: string): Promise<number> {
  const result = await baton('history', '--sweep', sweepId, '--format', 'json', '--out', join(work, 'history'));
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).runs.total;
}

async function sweep(sweepId: string, seeds: string, ...more: string[]): Promise<{ seeds: { seed: number; runId: string }[] }> {
  const result = await baton('sweep', scenario, '--seeds', seeds, '--jobs', '1', '--sweep-id', sweepId, '--out', join(work, sweepId), '--format', 'json', ...more);
  expect(result.code, result.stderr).toBeLessThan(2);
  return JSON.parse(result.stdout);
}

describe('sweep membership', () => {
  it('a second sweep (one shard of it) over the same seeds leaves the first sweep whole; compare --sweeps pairs them', async () => {
    await sweep('nightly-41', '1..4');
    await sweep('nightly-42', '1..4', '--shard', '1/2');
    expect(await historyRuns('nightly-41')).toBe(4);
    expect(await historyRuns('nightly-42')).toBe(2);
    const compared = await baton('compare', '--sweeps', 'nightly-41', 'nightly-42', '--format', 'json');
    expect(compared.code, compared.stderr).toBe(0);
    expect(JSON.parse(compared.stdout).seeds).toHaveLength(2);
    await sweep('nightly-42', '1..4', '--shard', '2/2');
    expect(await historyRuns('nightly-41')).toBe(4);
    expect(await historyRuns('nightly-42')).toBe(4);
    const history = await baton('history', '--format', 'json', '--out', join(work, 'history'));
    expect(JSON.parse(history.stdout).runs).toMatchObject({ total: 4, sweeps: 2 });
  }, 120_000);

  it('replaying a seed of a sweep keeps it in the sweep', async () => {
    const document = await sweep('nightly-43', '11..15');
    expect(await historyRuns('nightly-43')).toBe(5);
    const replay = await baton('replay', scenario, '--seed', '12', '--out', join(work, 'replay'), '--format', 'json');
    expect(replay.code, replay.stderr).toBeLessThan(2);
    expect(JSON.parse(replay.stdout).run.id).toBe(document.seeds.find((seed) => seed.seed === 12)!.runId);
    expect(await historyRuns('nightly-43')).toBe(5);
    await sweep('nightly-43', '11..15');
    expect(await historyRuns('nightly-43')).toBe(5);
  }, 120_000);
});
