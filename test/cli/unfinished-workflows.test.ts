import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { batonInProcess } from './support/in-process.js';

// Workflows still running when a run ends (a deadlock, a limit) used to leave no
// span: the report read "workflows completed 0/0" for three deadlocked workflows,
// and "workflows.failed == 0" held.
const work = mkdtempSync(join(tmpdir(), 'baton-unfinished-'));
const baton = (...args: string[]) => batonInProcess(work, args);
const dataDir = join(work, 'store');

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('workflows still running when the run ends', () => {
  it('a deadlocked run reports them as failed and unfinished, in JSON, terminal and markdown; an assertion on failed sees them', async () => {
    const scenario = join(repoRoot, 'scenarios', 'circular-deadlock-naive.yaml');
    const json = await baton('run', scenario, '--seed', '1', '--data-dir', dataDir, '--out', join(work, 'json'), '--format', 'json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.workflows).toMatchObject({ total: 3, completed: 0, partial: 0, failed: 3, unfinished: 3 });
    expect(report.workflows.durationMs.max).toBeGreaterThan(0);
    const text = await baton('run', scenario, '--seed', '1', '--data-dir', dataDir, '--out', join(work, 'text'), '--format', 'terminal,md');
    expect(text.stdout).toMatch(/workflows completed +0\/3 {2}\(partial 0, failed 3: 3 unfinished\)/);
    const assertion = await baton('run', scenario, '--seed', '1', '--data-dir', dataDir, '--out', join(work, 'assert'), '--assert', 'workflows.failed == 0', '--format', 'json');
    expect(JSON.parse(assertion.stdout).verdict.assertions).toContainEqual(expect.objectContaining({ expression: 'workflows.failed == 0', passed: false, actual: 3 }));
  });

  it('a run cut by its event limit counts every workflow it started; history counts them as failed', async () => {
    const scenario = join(repoRoot, 'scenarios', 'research-pipeline.yaml');
    const cut = await baton('run', scenario, '--seed', '5', '--set', 'limits.eventsMax=300', '--data-dir', dataDir, '--out', join(work, 'cut'), '--format', 'json');
    expect(cut.code).toBe(1);
    const report = JSON.parse(cut.stdout);
    expect(report.workflows).toMatchObject({ total: 8, completed: 1, failed: 7, unfinished: 7 });
    const stories = report.invariants.violations.map((violation: { story: string }) => violation.story);
    expect(stories.filter((story: string) => story.includes('stopped at its event limit'))).toHaveLength(7);
    expect(stories.filter((story: string) => story.includes('deadlock'))).toEqual([]);
    const history = await baton('history', '--data-dir', dataDir, '--format', 'json', '--out', join(work, 'history'));
    expect(JSON.parse(history.stdout).workflows).toMatchObject({ total: 3 + 8, completed: 1, failed: 3 + 7 });
  });
});
