/**
 * `computeHistoryReport` on both engines: the report over many runs, read from
 * `run_metrics`, equals the same figures computed from the runs' stored spans
 * (percentiles exact on both sides), with filters by sweep and scenario, and
 * leaves collector (OTLP) runs out.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioWithSwarm } from '../../cli/commands/sweep-command.js';
import { seedRunId, simulateSeedRows } from '../../cli/pipeline/sweep-seed.js';
import { RowWriter, sweepRowFormat, sweepRunRows } from '../../cli/pipeline/sweep.js';
import type { SweepRunRow } from '../../collector/store/rows.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import { sqlString } from '../../collector/store/sql.js';
import { computeHistoryReport, type HistoryFilter, type HistoryReport } from '../../reports/history-report.js';
import { nsToMs, num, ratio } from '../../reports/sql.js';
import { engineCases } from '../collector/store/engines.js';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');
const cases = engineCases('history report (history-report-engines.test.ts)');
const reports = new Map<string, HistoryReport>();

/** The figures of the history report computed from the spans of the runs `filter` selects. */
async function fromSpans(store: SpanStore, filter: HistoryFilter) {
  const db = store.database;
  const conditions = ["baton_version != 'otlp'"];
  if (filter.sweepId !== undefined) conditions.push(`run_id IN (SELECT run_id FROM ${db}.sweep_runs FINAL WHERE sweep_id = ${sqlString(filter.sweepId)})`);
  if (filter.scenario !== undefined) conditions.push(`scenario = ${sqlString(filter.scenario)}`);
  const runs = `run_id IN (SELECT run_id FROM ${db}.runs FINAL WHERE ${conditions.join(' AND ')})`;
  const q = 'quantilesExact(0.5, 0.95, 0.99)(duration_ns) AS q, max(duration_ns) AS m';
  const [workflows, handoffs, pairs, kinds, faults, perRun] = await Promise.all([
    store.query(`SELECT count() AS n, countIf(error_type = '') AS ok, countIf(error_type = 'partial') AS p, sum(duration_ns) AS ns, ${q} FROM ${db}.spans FINAL WHERE ${runs} AND operation = 'invoke_workflow'`),
    store.query(`SELECT count() AS n, countIf(handoff_outcome = 'accepted') AS ok, ${q} FROM ${db}.spans FINAL WHERE ${runs} AND handoff_outcome != ''`),
    store.query(`SELECT handoff_source AS s, handoff_target AS t, count() AS n, countIf(handoff_outcome = 'accepted') AS ok, ${q} FROM ${db}.spans FINAL WHERE ${runs} AND handoff_outcome != '' GROUP BY s, t ORDER BY s, t`),
    store.query(`SELECT coordination_kind AS k, sum(duration_ns) AS ns FROM ${db}.spans FINAL WHERE ${runs} AND coordination_kind != '' GROUP BY k ORDER BY k`),
    store.query(`SELECT attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS k, count() AS n FROM ${db}.span_events FINAL WHERE ${runs} AND name = 'baton.fault' GROUP BY k ORDER BY k`),
    store.query(`SELECT run_id, count() AS n, countIf(handoff_outcome = 'accepted') AS ok FROM ${db}.spans FINAL WHERE ${runs} AND handoff_outcome != '' GROUP BY run_id`),
  ]);
  const latency = (row: Record<string, unknown>) => {
    const values = row.q as unknown[];
    return { p50: nsToMs(values[0]), p95: nsToMs(values[1]), p99: nsToMs(values[2]), max: nsToMs(row.m) };
  };
  const workflow = workflows[0]!;
  const worst = perRun
    .filter((row) => num(row.ok) < num(row.n))
    .map((row) => ({ runId: String(row.run_id), rate: num(row.ok) / num(row.n) }))
    .sort((a, b) => a.rate - b.rate || (a.runId < b.runId ? -1 : 1))
    .slice(0, 20);
  return {
    workflows: { total: num(workflow.n), completed: num(workflow.ok), partial: num(workflow.p), failed: num(workflow.n) - num(workflow.ok) - num(workflow.p), durationMs: latency(workflow) },
    handoffs: { total: num(handoffs[0]!.n), succeeded: num(handoffs[0]!.ok), latencyMs: latency(handoffs[0]!) },
    byPair: pairs.map((row) => ({ source: row.s, target: row.t, total: num(row.n), succeeded: num(row.ok), latencyMs: latency(row) })),
    coordinationMs: Object.fromEntries(kinds.map((row) => [row.k, nsToMs(row.ns)])),
    overheadRatio: ratio(kinds.reduce((sum, row) => sum + num(row.ns), 0), num(workflow.ns)),
    faults: Object.fromEntries(faults.map((row) => [row.k, num(row.n)])),
    worstRuns: worst.map((run) => run.runId),
  };
}

describe.each(cases)('history report on $name', (engine) => {
  let store: SpanStore;

  beforeAll(async () => {
    if (!engine.enabled) return;
    store = await engine.open('baton_history');
    await store.migrate();
    const writer = new RowWriter(store, 2_000);
    const members: SweepRunRow[] = [];
    const sweeps: [string, string, number[]][] = [
      ['research-pipeline.yaml', 'sweep-a', [1, 2, 3, 4, 5, 6]],
      ['research-pipeline.yaml', 'sweep-b', [7, 8, 9]],
      ['customer-support-triage.yaml', 'sweep-c', [1, 2, 3]],
    ];
    for (const [file, sweepId, seeds] of sweeps) {
      const scenario = scenarioWithSwarm(join(SCENARIOS, file), undefined, 'harsh');
      const tasks = seeds.map((seed) => ({ seed, sweepId, recordedDate: '2026-11-02', rowFormat: sweepRowFormat(store) }));
      for (const task of tasks) await writer.add(await simulateSeedRows(scenario, task));
      members.push(...sweepRunRows(sweepId, tasks, (seed) => seedRunId(scenario, seed)));
    }
    await writer.flush();
    await store.insert('sweep_runs', members);
    // Collector traffic: listed in runs, spans stored, no run_metrics.
    await store.command(`INSERT INTO ${store.database}.spans (recorded_date, run_id, operation, duration_ns) VALUES ('2026-11-02', 'otlp-run', 'invoke_workflow', 5)`);
    await store.command(`INSERT INTO ${store.database}.runs (recorded_date, run_id, sweep_id, baton_version) VALUES ('2026-11-02', 'otlp-run', 'sweep-a', 'otlp')`);
    await store.insert('sweep_runs', [{ recorded_date: '2026-11-02', sweep_id: 'sweep-a', run_id: 'otlp-run', seed: 0 }]);
  }, 180_000);

  afterAll(async () => {
    await engine.cleanup();
  });

  const test = engine.enabled ? it : it.skip;

  test.each<[string, HistoryFilter, number]>([
    ['every run', {}, 12],
    ['one sweep', { sweepId: 'sweep-a' }, 6],
    ['one scenario', { scenario: 'customer-support-triage' }, 3],
  ])('%s: equal to the figures of the stored spans', async (_label, filter, runs) => {
    const report = await computeHistoryReport(store, filter);
    reports.set(`${engine.name} ${JSON.stringify(filter)}`, report);
    const expected = await fromSpans(store, filter);
    expect(report.runs.total).toBe(runs);
    expect(Object.values(report.runs.byVerdict).reduce((sum, count) => sum + count, 0)).toBe(runs);
    expect(report.workflows).toEqual(expected.workflows);
    expect(report.handoffs).toMatchObject(expected.handoffs);
    expect(report.handoffs.successRate).toBe(ratio(expected.handoffs.succeeded, expected.handoffs.total, 1));
    expect(report.handoffs.byPair.map(({ source, target, total, succeeded, latencyMs }) => ({ source, target, total, succeeded, latencyMs }))).toEqual(expected.byPair);
    expect(report.coordination.overheadRatio).toBe(expected.overheadRatio);
    for (const [kind, ms] of Object.entries(expected.coordinationMs)) expect(report.coordination.byKindMs[kind]).toBe(ms);
    expect(report.faults.byKind).toEqual(expected.faults);
    expect(report.worstRuns.map((run) => run.runId)).toEqual(expected.worstRuns);
    // The harsh preset fails handoffs: the comparison is not between empty sets.
    expect(report.handoffs.failed).toBeGreaterThan(0);
    expect(report.faults.injected).toBeGreaterThan(0);
    expect(report.worstRuns.length).toBeGreaterThan(0);
  });

  test('counts collector runs apart and the sweeps and scenarios covered', async () => {
    const all = await computeHistoryReport(store);
    expect(all.runs).toMatchObject({ total: 12, sweeps: 3, scenarios: 2, collectorRuns: 1 });
    const sweep = await computeHistoryReport(store, { sweepId: 'sweep-a' });
    expect(sweep.runs).toMatchObject({ total: 6, sweeps: 1, scenarios: 1, collectorRuns: 1 });
    const none = await computeHistoryReport(store, { sweepId: 'no-such-sweep' });
    expect(none.runs).toMatchObject({ total: 0, byVerdict: {}, collectorRuns: 0 });
    expect(none.handoffs).toMatchObject({ total: 0, successRate: 1, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 } });
    expect(none.worstRuns).toEqual([]);
  });
});

describe('history report across engines', () => {
  it.runIf(cases.every((engine) => engine.enabled))('gives the same report on chDB and ClickHouse 18.16', () => {
    expect(reports.size).toBe(6);
    for (const filter of ['{}', '{"sweepId":"sweep-a"}', '{"scenario":"customer-support-triage"}']) {
      expect(reports.get(`server-18.16 ${filter}`)).toEqual(reports.get(`chdb ${filter}`));
    }
  });
});
