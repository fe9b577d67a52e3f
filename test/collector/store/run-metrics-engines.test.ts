/**
 * `run_metrics` on both engines: the rows a sweep stores as it goes
 * (RunMetrics, built in the workers from each span) equal the rows the SQL
 * derivation (runMetricsStatements) computes from the stored spans, and a
 * store of schema version 1 gets them filled in when it migrates.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioWithSwarm } from '../../../cli/commands/sweep-command.js';
import { simulateSeedRows } from '../../../cli/pipeline/sweep-seed.js';
import { RowWriter, sweepRowFormat } from '../../../cli/pipeline/sweep.js';
import { appliedVersions } from '../../../collector/store/migrations.js';
import { runMetricsStatements } from '../../../collector/store/run-metrics-sql.js';
import { SCHEMA_VERSION, schemaStatements } from '../../../collector/store/schema.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { engineCases } from './engines.js';

const SCENARIO = join(import.meta.dirname, '../../../scenarios/research-pipeline.yaml');
const SEEDS = [1, 2, 3, 4, 5, 6];
const cases = engineCases('run_metrics (run-metrics-engines.test.ts)');

/** Every run_metrics row of the database, deduplicated, in key order. */
function metricRows(store: SpanStore): Promise<Record<string, unknown>[]> {
  return store.query(`SELECT * FROM ${store.database}.run_metrics FINAL ORDER BY run_id, family, kind, source, target`);
}

/** Copies the spans, span events and runs of `from` into `to` (same engine, same session). */
async function copyRuns(from: SpanStore, to: SpanStore): Promise<void> {
  for (const table of ['spans', 'span_events', 'runs']) {
    await to.command(`INSERT INTO ${to.database}.${table} SELECT * FROM ${from.database}.${table}`);
  }
}

describe.each(cases)('run_metrics on $name', (engine) => {
  let swept: SpanStore;
  let stored: Record<string, unknown>[];

  beforeAll(async () => {
    if (!engine.enabled) return;
    swept = await engine.open('baton_metrics');
    await swept.migrate();
    const scenario = scenarioWithSwarm(SCENARIO, undefined, 'default');
    const writer = new RowWriter(swept, 1_000);
    for (const seed of SEEDS) {
      await writer.add(await simulateSeedRows(scenario, { seed, sweepId: 'metrics', recordedDate: '2026-11-01', rowFormat: sweepRowFormat(swept) }));
    }
    await writer.flush();
    stored = await metricRows(swept);
  }, 120_000);

  afterAll(async () => {
    await engine.cleanup();
  });

  const test = engine.enabled ? it : it.skip;

  test('a sweep stores every family of every run, with exact durations', () => {
    const runs = new Set(stored.map((row) => row.run_id));
    expect(runs.size).toBe(SEEDS.length);
    expect(new Set(stored.map((row) => row.family))).toEqual(new Set(['workflow', 'handoff', 'coordination', 'fault']));
    for (const row of stored.filter((row) => row.family === 'workflow' || row.family === 'handoff')) {
      const durations = (row.durations as string[]).map(BigInt);
      expect(durations).toHaveLength(Number(row.count));
      expect(durations.reduce((sum, value) => sum + value, 0n)).toBe(BigInt(row.sum_ns as string));
      expect([...durations].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(durations);
    }
  });

  test('equal to the rows derived by SQL from the stored spans', async () => {
    const derived = await engine.open('baton_metrics_sql');
    await derived.migrate();
    await copyRuns(swept, derived);
    for (const statement of runMetricsStatements(derived.database, '1')) await derived.command(statement);
    expect(await metricRows(derived)).toEqual(stored);
  });

  test('migrating a version 1 store fills run_metrics for its simulated runs, not for collector traffic', async () => {
    const old = await engine.open('baton_metrics_v1');
    for (const statement of schemaStatements(old.database)) await old.command(statement);
    await old.command(`INSERT INTO ${old.database}.schema_migrations (version, applied_at) VALUES (1, now())`);
    await copyRuns(swept, old);
    // A run the collector listed for OTLP traffic: its spans may still be arriving.
    await old.command(
      `INSERT INTO ${old.database}.spans (recorded_date, run_id, operation, duration_ns) VALUES ('2026-11-01', 'otlp-run', 'invoke_workflow', 5)`,
    );
    await old.command(`INSERT INTO ${old.database}.runs (recorded_date, run_id, baton_version) VALUES ('2026-11-01', 'otlp-run', 'otlp')`);
    expect(await metricRows(old)).toEqual([]);
    await old.migrate();
    expect(await appliedVersions(old)).toEqual([1, SCHEMA_VERSION]);
    expect(await metricRows(old)).toEqual(stored);
    expect(await old.query(`SELECT run_id FROM ${old.database}.run_metrics WHERE run_id = 'otlp-run'`)).toEqual([]);
  });
});
