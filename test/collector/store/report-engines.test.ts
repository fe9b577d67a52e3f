/**
 * The report SQL on both engines: the same fixture runs (each stored twice,
 * as a replay would) give byte-identical run reports, chart data and sweep
 * reports on chDB and on the 18.16 server. test/reports checks the values
 * themselves (on chDB); this file checks that the server agrees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { computeChartData } from '../../../reports/chart-data.js';
import { sweepReports } from '../../../reports/compare/sweep-reports.js';
import { computeRunReport } from '../../../reports/run-report.js';
import { buildFixture } from '../../reports/support/span-fixture.js';
import { engineCases } from './engines.js';

const SEEDS = [1, 2, 3];
const SWEEP_ID = 'sweep-engines';

async function loadFixtures(store: SpanStore): Promise<void> {
  await store.migrate();
  for (const seed of SEEDS) {
    const fixture = buildFixture(`run-engines-${seed}`, seed);
    const spans = fixture.spans.map((row) => ({ ...row, sweep_id: SWEEP_ID }));
    // Twice: FINAL must make the replay invisible to every report query.
    for (let copy = 0; copy < 2; copy++) {
      await store.insert('spans', spans);
      await store.insert('span_events', fixture.events);
      await store.insert('violations', fixture.violations);
      await store.insert('runs', [{ ...fixture.run, sweep_id: SWEEP_ID }]);
      await store.insert('sweep_runs', [{ recorded_date: fixture.run.recorded_date, sweep_id: SWEEP_ID, run_id: fixture.run.run_id, seed: fixture.run.seed }]);
    }
  }
}

/** Everything the reports compute for the fixtures, as one JSON text. */
async function reportsOf(store: SpanStore): Promise<string> {
  const runs = [];
  for (const seed of SEEDS) {
    const runId = `run-engines-${seed}`;
    runs.push({ report: await computeRunReport(store, runId), charts: await computeChartData(store, runId) });
  }
  const sweep = [...(await sweepReports(store, SWEEP_ID)).entries()];
  return JSON.stringify({ runs, sweep }, (_, value) => (typeof value === 'bigint' ? value.toString() : value), 1);
}

const [chdb, server] = engineCases('report SQL (report-engines.test.ts)');

describe('report SQL on chDB and on ClickHouse 18.16', () => {
  const stores: Partial<Record<'chdb' | 'server', SpanStore>> = {};

  beforeAll(async () => {
    stores.chdb = await chdb!.open('baton_reports');
    await loadFixtures(stores.chdb);
    if (server!.enabled) {
      stores.server = await server!.open('baton_reports');
      await loadFixtures(stores.server);
    }
  }, 120_000);

  afterAll(async () => {
    await chdb!.cleanup();
    await server!.cleanup();
  });

  it('chDB computes every report of the fixtures', async () => {
    const reports = JSON.parse(await reportsOf(stores.chdb!)) as { runs: unknown[]; sweep: unknown[] };
    expect(reports.runs).toHaveLength(SEEDS.length);
    expect(reports.sweep).toHaveLength(SEEDS.length);
  });

  it.skipIf(!server!.enabled)('the 18.16 server computes byte-identical reports', async () => {
    const onChdb = await reportsOf(stores.chdb!);
    const onServer = await reportsOf(stores.server!);
    expect(onServer).toBe(onChdb);
  });
});
