import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { batonInProcess } from './support/in-process.js';

// `baton report <run-id>` judges a run again: with the assert: block of the
// run's own scenario, never another scenario's.
const work = mkdtempSync(join(tmpdir(), 'baton-report-scenario-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const store = ['--data-dir', join(work, 'chdb')];
const original = readFileSync(join(repoRoot, 'scenarios', 'research-pipeline.yaml'), 'utf8');
// Always fails: a run has handoffs.
const strict = original.replace(/^assert:\n/m, 'assert:\n  - handoffs.total < 1\n');

describe('baton report and the scenario assert: block', () => {
  it("checks the default scenarios/<name>.yaml when its text is the run's, and says so when it is not", async () => {
    mkdirSync(join(work, 'scenarios'));
    const file = join(work, 'scenarios', 'research-pipeline.yaml');
    writeFileSync(file, strict);
    const run = await batonInProcess(work, ['run', 'scenarios/research-pipeline.yaml', '--seed', '3', '--format', 'json', ...store]);
    expect(run.code).toBe(1);
    const runId = JSON.parse(run.stdout).run.id as string;
    const same = await batonInProcess(work, ['report', runId, '--format', 'json', ...store]);
    expect(same.code).toBe(1);
    expect(JSON.parse(same.stdout).verdict.assertions).toContainEqual(expect.objectContaining({ expression: 'handoffs.total < 1', passed: false }));
    expect(same.stderr).toBe('');
    // Edited since the run: not the run's scenario any more.
    writeFileSync(file, `${strict}# edited\n`);
    const edited = await batonInProcess(work, ['report', runId, '--format', 'json', ...store]);
    expect(edited.stderr).toContain("scenarios/research-pipeline.yaml's text is not the one this run was made from");
    expect(JSON.parse(edited.stdout).verdict.assertions).not.toContainEqual(expect.objectContaining({ expression: 'handoffs.total < 1' }));
    // Named explicitly, it is checked anyway, with the note.
    const named = await batonInProcess(work, ['report', runId, '--scenario', 'scenarios/research-pipeline.yaml', '--format', 'json', ...store]);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('its assert: block is checked anyway');
  }, 60_000);

  it('an unknown run id in an empty store is bad input (exit 2), not a storage failure', async () => {
    const result = await batonInProcess(work, ['report', '0123456789abcdef', '--data-dir', join(work, 'empty')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run with id "0123456789abcdef" is stored');
  }, 60_000);
});
