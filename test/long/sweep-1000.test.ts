import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { repoRoot, runBaton } from '../support/cli.js';

/**
 * The sweep of issue 3's "done means": 1,000 seeds of the research pipeline
 * under `--swarm default` finish, show progress, store spans for every run, and
 * give the same sweep.json (minus `wall`) for --jobs 1, --jobs 2, and
 * --shard 1/2 + --shard 2/2 stored under one sweep id. Each configuration runs
 * as a user would (its own process and its own embedded ClickHouse), so one
 * configuration's rows can never stand in for another's.
 */
const SEEDS = '1..1000';
const dir = mkdtempSync(join(tmpdir(), 'baton-long-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = join(repoRoot, 'scenarios', 'research-pipeline.yaml');

function sweep(name: string, dataDir: string, extra: string[]) {
  const out = join(dir, name);
  const result = runBaton(dir, ['sweep', scenario, '--seeds', SEEDS, '--swarm', 'default', '--data-dir', join(dir, dataDir), '--out', out, '--sweep-id', 'long-sweep', ...extra], {
    timeout: 590_000,
  });
  expect(result.stderr, result.stderr).not.toMatch(/internal error/);
  expect([0, 1]).toContain(result.code);
  const document = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
  return { result, document, wall: document.wall as { seedsPerSecond: number; totalMs: number } };
}

describe('1,000-seed swarm sweep of the research pipeline', () => {
  it('finishes with progress, stores every run, and does not depend on --jobs or sharding', async () => {
    const one = sweep('jobs-1', 'chdb-1', ['--jobs', '1']);
    expect(one.result.stderr).toMatch(/1000\/1000 .*seeds\/s .*violations \d+ .*ETA/);
    expect(one.document.aggregate).toMatchObject({ seedsRequested: 1000, seedsStored: 1000, seedsMissing: 0 });
    expect(one.result.code).toBe(one.document.aggregate.failed === 0 ? 0 : 1);
    expect(one.document.aggregate.faults.injected).toBeGreaterThan(1000);

    const two = sweep('jobs-2', 'chdb-2', ['--jobs', '2']);
    const shardA = sweep('shard-1', 'chdb-shards', ['--jobs', '2', '--shard', '1/2']);
    expect(shardA.document.aggregate).toMatchObject({ seedsStored: 500, seedsMissing: 500 });
    const shardB = sweep('shard-2', 'chdb-shards', ['--jobs', '2', '--shard', '2/2']);

    const { wall: _one, ...reference } = one.document;
    const { wall: _two, ...withTwoJobs } = two.document;
    const { wall: _shards, ...merged } = shardB.document;
    expect(withTwoJobs).toEqual(reference);
    expect(merged).toEqual(reference);

    const store = new ChdbStore(join(dir, 'chdb-shards'));
    try {
      const rows = await store.query<{ runs: string; spans: string }>(
        `SELECT uniqExact(run_id) AS runs, count() AS spans FROM baton.spans FINAL WHERE sweep_id = 'long-sweep'`,
      );
      expect(Number(rows[0].runs)).toBe(1000);
      expect(Number(rows[0].spans)).toBeGreaterThan(100_000);
    } finally {
      await store.close();
    }
    process.stderr.write(
      `sweep 1000 seeds: --jobs 1 ${one.wall.seedsPerSecond} seeds/s (${one.wall.totalMs} ms), --jobs 2 ${two.wall.seedsPerSecond} seeds/s (${two.wall.totalMs} ms)\n`,
    );
  });
});
