import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from 'chdb';
import { repoRoot, runBaton } from '../support/cli.js';
import { batonInProcess } from './support/in-process.js';

const scenario = join(repoRoot, 'scenarios', 'research-pipeline.yaml');
const work = mkdtempSync(join(tmpdir(), 'baton-cli-'));

/** Runs the CLI in `work` as a user would (`npx baton ...`). */
function baton(...args: string[]) {
  return runBaton(work, args);
}

/** The same, inside the test process (fast; for the error paths). */
const batonFast = (...args: string[]) => batonInProcess(work, args);

const withoutWall = (path: string): string => {
  const document = JSON.parse(readFileSync(path, 'utf8'));
  delete document.wall;
  return JSON.stringify(document);
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('baton run', () => {
  it('prints the summary, stores spans under .baton/ and writes the same report twice', () => {
    const first = baton('run', scenario, '--seed', '42');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const label of ['workflows completed', 'handoffs attempted / succeeded', 'handoff success rate', 'handoff latency p50/p95/p99', 'coordination overhead ratio', 'faults injected', 'invariant violations']) {
      expect(first.stdout).toContain(label);
    }
    const runId = /baton run ([0-9a-f]{16})/.exec(first.stdout)![1];
    const reportPath = join(work, '.baton', 'runs', runId, 'report.json');
    const firstReport = readFileSync(reportPath, 'utf8');
    expect(readFileSync(join(work, '.baton', 'runs', runId, 'report.md'), 'utf8')).toContain(`# baton run ${runId}`);

    const second = baton('run', scenario, '--seed', '42', '--out', 'again');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(withoutWall(join(work, 'again', 'report.json'))).toBe(JSON.stringify((({ wall, ...rest }) => rest)(JSON.parse(firstReport))));
    expect(JSON.parse(firstReport).wall.spansStored).toBeGreaterThan(100);

    const other = baton('run', scenario, '--seed', '43', '--out', 'other');
    expect(other.code).toBe(0);
    expect(withoutWall(join(work, 'other', 'report.json'))).not.toBe(withoutWall(join(work, 'again', 'report.json')));

    // Both runs of seed 42 stored the same span ids; FINAL shows each once.
    const session = new Session(join(work, '.baton', 'chdb'));
    try {
      const raw = session.query(`SELECT count() AS c, uniqExact(span_id) AS u FROM baton.spans WHERE run_id = '${runId}'`, 'JSONEachRow');
      const { c, u } = JSON.parse(raw);
      expect(Number(c)).toBe(2 * Number(u));
      const final = JSON.parse(session.query(`SELECT count() AS c FROM baton.spans FINAL WHERE run_id = '${runId}'`, 'JSONEachRow'));
      expect(Number(final.c)).toBe(Number(u));
    } finally {
      session.close();
    }
  });

  it('exits 1 with the failing value when an assertion fails', async () => {
    const result = await batonFast('run', scenario, '--seed', '42', '--out', 'assert', '--assert', 'handoffs.successRate >= 0.999');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/assertion failed: handoffs\.successRate >= 0\.999 \(actual 0\.\d+\)/);
  });

  it('exits 2 on an unknown metric and lists the valid ones', async () => {
    const result = await batonFast('run', scenario, '--seed', '42', '--out', 'bad-metric', '--assert', 'handoffs.speed > 1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown metric "handoffs.speed"');
    expect(result.stderr).toContain('handoffs.successRate');
  });

  it('exits 2 on a bad scenario file, naming the path and line in the file', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, readFileSync(scenario, 'utf8').replace('errorRatio: 0.02', 'errorRatio: 2'));
    const result = await batonFast('run', bad, '--seed', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:\d+:\d+: agents\.researcher\.errorRatio: must be <= 1/);
  });

  it('exits 2 on bad flags', async () => {
    expect((await batonFast('run', scenario, '--seed', 'forty')).code).toBe(2);
    expect((await batonFast('run', scenario, '--frobnicate')).code).toBe(2);
    expect((await batonFast('run', scenario, '--format', 'pdf')).code).toBe(2);
    expect((await batonFast('nonsense')).code).toBe(2);
    expect((await batonFast('run', join(work, 'missing.yaml'))).stderr).toMatch(/missing\.yaml.*cannot read file: ENOENT/);
  });

  it('exits 3 when storage cannot be opened', async () => {
    writeFileSync(join(work, 'not-a-dir'), 'x');
    const result = await batonFast('run', scenario, '--seed', '1', '--data-dir', join(work, 'not-a-dir', 'chdb'));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('BATON_ERR_STORE_OPEN');
  });
});
