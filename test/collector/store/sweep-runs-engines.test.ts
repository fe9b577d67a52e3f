/**
 * Sweep membership (`sweep_runs`, schema version 3) on both engines: a store
 * written by an older baton (runs carrying their sweep id, no membership
 * table) gets its membership filled from `runs` when it migrates, once; and
 * the readers that list a sweep's runs (history, the dashboard's runs page)
 * read membership, so a run counts in every sweep it belongs to.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appliedVersions } from '../../../collector/store/migrations.js';
import { schemaStatements, SCHEMA_VERSION } from '../../../collector/store/schema.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { runsPage } from '../../../reports/dashboard/runs-page.js';
import { computeHistoryReport } from '../../../reports/history-report.js';
import { engineCases } from './engines.js';

const cases = engineCases('sweep membership (sweep-runs-engines.test.ts)');

function run(runId: string, sweepId: string, recordedAt: string, baton_version = '0.1.0') {
  return { recorded_date: '2026-10-05', recorded_at: recordedAt, run_id: runId, sweep_id: sweepId, scenario: 'pipeline', seed: Number(runId.slice(1)), baton_version, verdict: 'pass' };
}

function members(store: SpanStore): Promise<Record<string, unknown>[]> {
  return store.query(`SELECT sweep_id, run_id, seed, toString(recorded_date) AS d FROM ${store.database}.sweep_runs FINAL ORDER BY sweep_id, run_id`);
}

describe.each(cases)('sweep_runs on $name', (engine) => {
  afterAll(async () => {
    await engine.cleanup();
  });

  const test = engine.enabled ? it : it.skip;

  test('migrating a version 2 store fills sweep_runs from runs.sweep_id, once', async () => {
    const old = await engine.open('baton_sweep_runs_v2');
    // The layout of version 2: every table but sweep_runs.
    for (const statement of schemaStatements(old.database).filter((sql) => !sql.includes('.sweep_runs '))) await old.command(statement);
    await old.command(`INSERT INTO ${old.database}.schema_migrations (version, applied_at) VALUES (2, now())`);
    await old.insert('runs', [
      run('r1', 'nightly-41', '2026-10-05 01:00:00'),
      run('r2', 'nightly-41', '2026-10-05 01:00:00'),
      run('r3', '', '2026-10-05 01:00:00'),
    ]);
    // r2 stored again by a later sweep: before membership it left nightly-41.
    await old.insert('runs', [run('r2', 'nightly-42', '2026-10-05 02:00:00')]);
    expect(await old.query(`EXISTS TABLE ${old.database}.sweep_runs`)).toEqual([{ result: 0 }]);

    await old.migrate();
    expect(await appliedVersions(old)).toEqual([2, SCHEMA_VERSION]);
    const backfilled = [
      { sweep_id: 'nightly-41', run_id: 'r1', seed: '1', d: '2026-10-05' },
      { sweep_id: 'nightly-42', run_id: 'r2', seed: '2', d: '2026-10-05' },
    ];
    expect(await members(old)).toEqual(backfilled);
    expect((await computeHistoryReport(old, { sweepId: 'nightly-41' })).runs).toMatchObject({ total: 1, sweeps: 1 });
    expect((await computeHistoryReport(old)).runs).toMatchObject({ total: 3, sweeps: 2 });

    // From now on a sweep adds members; migrating again copies nothing.
    await old.insert('sweep_runs', [{ recorded_date: '2026-10-05', sweep_id: 'nightly-41', run_id: 'r2', seed: 2 }]);
    await old.migrate();
    const raw = await old.query<{ c: string }>(`SELECT count() AS c FROM ${old.database}.sweep_runs`);
    expect(Number(raw[0]!.c)).toBe(3);
    expect((await computeHistoryReport(old, { sweepId: 'nightly-41' })).runs).toMatchObject({ total: 2, sweeps: 1 });
  });

  test('the runs page lists sweeps and a sweep\'s runs by membership', async () => {
    const store = await engine.open('baton_sweep_runs_page');
    await store.migrate();
    await store.insert('runs', [run('r1', 'nightly-42', '2026-10-05 01:00:00'), run('r2', '', '2026-10-05 02:00:00'), run('r3', '', '2026-10-05 03:00:00')]);
    await store.insert('sweep_runs', [
      { recorded_date: '2026-10-05', sweep_id: 'nightly-41', run_id: 'r1', seed: 1 },
      { recorded_date: '2026-10-05', sweep_id: 'nightly-41', run_id: 'r2', seed: 2 },
      { recorded_date: '2026-10-05', sweep_id: 'nightly-42', run_id: 'r1', seed: 1 },
    ]);
    const page = await runsPage(store, 0, undefined);
    const sweeps = /<table data-table="sweeps">(.*?)<\/table>/s.exec(page)![1]!;
    // nightly-41: 2 runs, last at r2's time; nightly-42: r1 alone.
    expect(sweeps).toMatch(/nightly-41<\/a><\/td><td>pipeline<\/td><td class="num">2<\/td><td class="num">0<\/td><td>2026-10-05 02:00:00<\/td>/);
    expect(sweeps).toMatch(/nightly-42<\/a><\/td><td>pipeline<\/td><td class="num">1<\/td>/);
    expect(sweeps.indexOf('nightly-41')).toBeLessThan(sweeps.indexOf('nightly-42'));
    const one = await runsPage(store, 0, 'nightly-41');
    const listed = [...one.matchAll(/name="a" value="([^"]+)"/g)].map((match) => match[1]);
    expect(listed).toEqual(['r2', 'r1']);
    // r1's row links both of its sweeps.
    expect(one).toMatch(/\?sweep=nightly-41">nightly-41<\/a> <a [^>]*\?sweep=nightly-42">nightly-42<\/a>/);
  });
});
