import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { repoRoot, tsNodeArgs } from '../support/cli.js';

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

/** Runs `baton sweep` in its own process (async, so two can share the machine's two cores). */
function sweep(name: string, dataDir: string, extra: string[]) {
  const out = join(dir, name);
  const args = ['sweep', scenario, '--seeds', SEEDS, '--swarm', 'default', '--data-dir', join(dir, dataDir), '--out', out, '--sweep-id', 'long-sweep', ...extra];
  return new Promise<{ code: number | null; stderr: string; document: any; wall: { seedsPerSecond: number; totalMs: number } }>((resolve, reject) => {
    const child = spawn(process.execPath, tsNodeArgs('cli/entry.ts', args), { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const document = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
        resolve({ code, stderr, document, wall: document.wall });
      } catch (error) {
        reject(new Error(`sweep ${name} exited ${code} without sweep.json:\n${stderr}`, { cause: error }));
      }
    });
  });
}

describe('1,000-seed swarm sweep of the research pipeline', () => {
  it('finishes with progress, stores every run, and does not depend on --jobs or sharding', async () => {
    // Two cores: the --jobs 1 sweep runs beside the two shards (one after the other, one job each);
    // then the --jobs 2 sweep has the machine to itself.
    const [one, [shardA, shardB]] = await Promise.all([
      sweep('jobs-1', 'chdb-1', ['--jobs', '1']),
      (async () => {
        const first = await sweep('shard-1', 'chdb-shards', ['--jobs', '1', '--shard', '1/2']);
        return [first, await sweep('shard-2', 'chdb-shards', ['--jobs', '1', '--shard', '2/2'])] as const;
      })(),
    ]);
    const two = await sweep('jobs-2', 'chdb-2', ['--jobs', '2']);
    for (const run of [one, two, shardA, shardB]) {
      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.code).toBe(run.document.aggregate.failed === 0 ? 0 : 1);
    }
    expect(one.stderr).toMatch(/1000\/1000 .*seeds\/s .*violations \d+ .*ETA/);
    expect(one.document.aggregate).toMatchObject({ seedsRequested: 1000, seedsStored: 1000, seedsMissing: 0 });
    expect(one.document.aggregate.faults.injected).toBeGreaterThan(1000);
    expect(shardA.document.aggregate).toMatchObject({ seedsStored: 500, seedsMissing: 500 });

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
  }, 1_800_000); // ~2 min on an idle 2-core machine; the bound is for a busy one.
});
