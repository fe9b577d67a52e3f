import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import { loadScenarioFile } from '../../../scenarios/format/load-scenario.js';
import { applyOverrides } from '../../../cli/scenario-overrides.js';
import { runSweep } from '../../../cli/pipeline/sweep.js';
import { simulateSeeds, SweepWorkerError, SweepWorkers } from '../../../cli/pipeline/sweep-pool.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { defaultSweepId, formatSeeds, parseSeeds, parseShard, shardSeeds } from '../../../cli/pipeline/sweep-seeds.js';
import { buildSweepDocument, type SweepDocument } from '../../../cli/pipeline/sweep-document.js';
import { seedRunId } from '../../../cli/pipeline/sweep-seed.js';
import { renderSweepTerminal } from '../../../cli/pipeline/sweep-render.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-sweep-'));
const store = new ChdbStore(join(dir, 'chdb'));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const swarmed = applyOverrides(loadScenarioFile('scenarios/research-pipeline.yaml'), ['swarm=default', 'workload.instances=6']);
const seeds = parseSeeds('1..12');
const withoutWall = (document: SweepDocument) => ({ ...document, wall: undefined });

describe('seed lists and shards', () => {
  it('parses ranges and lists, and shards partition the seeds', () => {
    expect(parseSeeds('3..5,1,4')).toEqual([1, 3, 4, 5]);
    expect(formatSeeds(parseSeeds('1..10,42,44..45'))).toBe('1..10,42,44..45');
    expect(() => parseSeeds('5..1')).toThrow(/ends before it starts/);
    expect(() => parseShard('3/2')).toThrow(/k\/n/);
    const halves = [shardSeeds(seeds, parseShard('1/2')), shardSeeds(seeds, parseShard('2/2'))];
    expect([...halves[0], ...halves[1]].sort((a, b) => a - b)).toEqual(seeds);
    expect(defaultSweepId('x', seeds, '1')).toBe(defaultSweepId('x', [...seeds], '1'));
  });
});

describe('runSweep', () => {
  it('gives the same sweep.json (minus wall) for --jobs 1, --jobs 2 and two shards merged, and stores every run', async () => {
    const base = { scenario: swarmed, scenarioRef: 'scenarios/research-pipeline.yaml', seeds, store };
    const one = await runSweep({ ...base, jobs: 1, sweepId: 'same' });
    const two = await runSweep({ ...base, jobs: 2, sweepId: 'same' });
    const first = await runSweep({ ...base, jobs: 2, shard: { index: 1, count: 2 }, sweepId: 'same' });
    expect(first.document.aggregate.seedsStored).toBe(12); // the same runs were stored by the sweeps above
    const stored = await store.query<{ n: string }>(`SELECT uniqExact(run_id) AS n FROM baton.spans FINAL WHERE seed BETWEEN 1 AND 12`);
    expect(Number(stored[0].n)).toBe(12);
    const second = await runSweep({ ...base, jobs: 1, shard: { index: 2, count: 2 }, sweepId: 'same' });
    expect(withoutWall(two.document)).toEqual(withoutWall(one.document));
    expect(withoutWall(second.document)).toEqual(withoutWall(one.document));
    expect(one.document.seeds.map((seed) => seed.seed)).toEqual(seeds);
    expect(one.document.wall).toMatchObject({ jobs: 1, seedsRun: 12 });
    expect(two.document.wall).toMatchObject({ jobs: 2 });
    expect(first.document.wall).toMatchObject({ shard: '1/2', seedsRun: 6 });
  }, 120_000);

  it('exits 1 and lists failing seeds with replay commands when an invariant breaks', async () => {
    const naive = applyOverrides(swarmed, ['policies.idempotencyKeys=false', 'policies.handoffProtocol=direct']);
    const outcome = await runSweep({ scenario: naive, scenarioRef: 'naive.yaml', seeds: [1, 2, 3], jobs: 1, sweepId: 'naive', store });
    expect(outcome.exitCode).toBe(1);
    const failing = outcome.document.seeds.filter((seed) => seed.verdict === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    // Every override the scenario had, in order (the swarm was set first here, so it is a --set too).
    expect(failing[0].replay).toMatch(
      /^baton replay naive\.yaml --seed \d+ --set swarm=default --set workload\.instances=6 --set policies\.idempotencyKeys=false --set policies\.handoffProtocol=direct --around \d+$/,
    );
    expect(renderSweepTerminal(outcome.document)).toContain(failing[0].replay);
    expect(outcome.document.aggregate.failingSeeds).toEqual(failing.map((seed) => seed.seed));
  }, 60_000);

  it('checks the scenario assertions on every seed', async () => {
    const strict = applyOverrides(swarmed, ['assert=["handoffs.successRate >= 1.5"]']);
    const outcome = await runSweep({ scenario: strict, scenarioRef: 's.yaml', seeds: [1, 2], jobs: 1, sweepId: 'strict', store });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.document.seeds.every((seed) => seed.failedAssertions[0]?.expression === 'handoffs.successRate >= 1.5')).toBe(true);
  }, 60_000);
});

describe('buildSweepDocument', () => {
  it('sums the faults of a sweep longer than one list of run ids (1,000) by kind, and reads each run from run_metrics', async () => {
    // Stored rows only, no simulation: 2,500 runs in three lists of run ids, each run with one
    // crash and two loss faults, one handoff of two failed, and one workflow.
    const many = new ChdbStore(join(dir, 'chdb'), 'baton_many');
    await many.migrate();
    const seedsOfSweep = parseSeeds('1..2500');
    const runs = seedsOfSweep.map((seed) => ({
      recorded_date: '2026-11-21', recorded_at: '2026-11-21 00:00:00', run_id: seedRunId(swarmed, seed), sweep_id: 'many', scenario: 'research-pipeline',
      seed, config_hash: '', baton_version: 'test', verdict: 'pass', workflows_total: 1, workflows_completed: 1, handoffs_total: 2,
      faults_injected: 3, violations: 0, event_log_hash: '',
    }));
    const metric = (runId: string, family: string, kind: string, count: number, succeeded: number) => ({
      recorded_date: '2026-11-21', run_id: runId, family, kind, source: family === 'handoff' ? 'a' : '', target: family === 'handoff' ? 'b' : '',
      count, succeeded, partial: 0, sum_ns: '0', max_ns: '0', durations: [],
    });
    await many.insert('runs', runs);
    await many.insert('run_metrics', runs.flatMap(({ run_id }) => [
      metric(run_id, 'fault', 'crash', 1, 0), metric(run_id, 'fault', 'loss', 2, 0), metric(run_id, 'handoff', '', 2, 1), metric(run_id, 'workflow', '', 1, 1),
    ]));
    const document = await buildSweepDocument({
      store: many, scenario: swarmed, scenarioRef: 'x.yaml', seeds: seedsOfSweep, sweepId: 'many', assertions: ['handoffs.successRate >= 0.6'],
    });
    await many.close();
    expect(document.aggregate.faults).toEqual({ injected: 7_500, byKind: { crash: 2_500, loss: 5_000 } });
    expect(document.seeds).toHaveLength(2_500);
    expect(document.aggregate.failed).toBe(2_500);
    for (const seed of document.seeds) {
      expect(seed.handoffs).toEqual({ total: 2, succeeded: 1 });
      expect(seed.failedAssertions).toEqual([{ expression: 'handoffs.successRate >= 0.6', actual: 0.5 }]);
    }
  });
});

describe('sweep worker threads', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('start before the store is opened, and stop when opening it fails', async () => {
    const stopped: SweepWorkers[] = [];
    const terminate = SweepWorkers.prototype.terminate;
    vi.spyOn(SweepWorkers.prototype, 'terminate').mockImplementation(function (this: SweepWorkers) {
      stopped.push(this);
      return terminate.call(this);
    });
    const broken = {
      engine: 'chdb',
      migrate: async () => {
        throw new Error('store unreachable');
      },
    } as unknown as SpanStore;
    const request = { scenario: swarmed, scenarioRef: 's.yaml', seeds: [1, 2, 3], jobs: 2, sweepId: 'broken', store: broken };
    await expect(runSweep(request)).rejects.toThrow('store unreachable');
    // The threads the failed sweep stopped were started before migrate() ran.
    expect(new Set(stopped).size).toBe(1);
    const [workers] = stopped;
    expect(workers.threads).toHaveLength(2);
    // A thread that is no longer running has threadId -1 (node:worker_threads).
    for (const thread of workers.threads) expect(thread.threadId).toBe(-1);
    // One job runs in this thread: no worker threads at all.
    stopped.length = 0;
    await expect(runSweep({ ...request, jobs: 1 })).rejects.toThrow('store unreachable');
    expect(stopped).toEqual([]);
  }, 60_000);

  it('report a thread that crashed before its seeds were handed out', async () => {
    const workers = new SweepWorkers(swarmed, 1);
    try {
      workers.threads[0].emit('error', new Error('boom'));
      const task = { seed: 1, sweepId: 'crashed', recordedDate: '2026-01-01' };
      const run = simulateSeeds(swarmed, [task], workers, async () => {});
      await expect(run).rejects.toThrow(SweepWorkerError);
      await expect(run).rejects.toThrow(/sweep worker crashed: Error: boom/);
    } finally {
      await workers.terminate();
    }
    await expect(simulateSeeds(swarmed, [], { threads: [] } as unknown as SweepWorkers, async () => {})).rejects.toThrow(RangeError);
  }, 60_000);
});
