import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { SpanSink } from '../../collector/sink/span-sink.js';
import type { RunColumns, SpanRecord } from '../../collector/span-rows.js';
import { computeRunReport } from '../../reports/run-report.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';

// Builds a run's spans by hand, stores them, and checks every spine metric
// against a value this test computes itself from the same spans.
const dir = mkdtempSync(join(tmpdir(), 'baton-metrics-'));
const store = new ChdbStore(dir);
const run: RunColumns = { runId: 'metrics-run', sweepId: '', scenario: 'hand-made', seed: 9, recordedDate: '2026-11-01', serviceName: 'test' };
const MS = 1_000_000n;
let seq = 0;
const span = (name: string, startMs: number, durationMs: number, attributes: Record<string, string | number>): SpanRecord => {
  seq++;
  return {
    traceId: 'a'.repeat(31) + (seq % 10),
    spanId: seq.toString(16).padStart(16, '0'),
    parentSpanId: '',
    name,
    kind: 0,
    startNs: BigInt(startMs) * MS,
    endNs: BigInt(startMs + durationMs) * MS,
    statusCode: 0,
    statusMessage: '',
    attributes,
    events: [],
  };
};

const stream = new SeededRandom('metrics').stream('draws');
const handoffs: { durationMs: number; outcome: string }[] = [];
const workflows: { durationMs: number; outcome: string }[] = [];
const coordination: { kind: string; durationMs: number }[] = [];
const records: SpanRecord[] = [];

beforeAll(async () => {
  for (let index = 0; index < 137; index++) {
    const durationMs = 1 + Math.floor(stream.next() * 2000);
    const outcome = stream.next() < 0.9 ? 'accepted' : 'failed';
    handoffs.push({ durationMs, outcome });
    records.push(span('baton.handoff a -> b', index, durationMs, { 'baton.handoff.outcome': outcome, 'baton.handoff.id': `h${index}` }));
  }
  for (let index = 0; index < 23; index++) {
    const durationMs = 1000 + Math.floor(stream.next() * 9000);
    const outcome = ['completed', 'completed', 'partial', 'failed'][Math.floor(stream.next() * 4)];
    workflows.push({ durationMs, outcome });
    const attributes: Record<string, string> = { 'gen_ai.operation.name': 'invoke_workflow' };
    if (outcome !== 'completed') attributes['error.type'] = outcome;
    records.push(span('invoke_workflow research', index * 10, durationMs, attributes));
  }
  for (let index = 0; index < 60; index++) {
    const kind = ['routing', 'handoff', 'queueing', 'retry'][index % 4];
    const durationMs = Math.floor(stream.next() * 500);
    coordination.push({ kind, durationMs });
    records.push(span(`coord ${kind}`, index, durationMs, { 'baton.coordination.kind': kind }));
  }
  const simulation = span('baton.simulation', 0, 10, {});
  simulation.events = [
    { name: 'baton.fault', timeNs: 1n, attributes: { 'baton.fault.kind': 'partition' } },
    { name: 'baton.fault', timeNs: 2n, attributes: { 'baton.fault.kind': 'message_loss' } },
    { name: 'baton.fault', timeNs: 3n, attributes: { 'baton.fault.kind': 'message_loss' } },
    { name: 'other', timeNs: 4n, attributes: {} },
  ];
  records.push(simulation);
  await store.migrate();
  const sink = new SpanSink(store, { batchRows: 50 });
  for (const record of records) sink.add(record, run);
  await sink.flush();
  await store.insert('runs', [
    { recorded_date: run.recordedDate, recorded_at: '2026-11-01 00:00:00', run_id: run.runId, sweep_id: '', scenario: run.scenario, seed: run.seed, config_hash: 'c', baton_version: 'v', verdict: 'pass', workflows_total: 23, workflows_completed: 0, handoffs_total: 137, faults_injected: 3, violations: 0, event_log_hash: 'h' },
  ]);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** ClickHouse's quantileExact: the element at floor(level·n) of the sorted values. */
function quantileExact(values: number[], level: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))];
}

describe('spine metrics by SQL', () => {
  it('match values computed independently from the same spans', async () => {
    const report = await computeRunReport(store, run.runId);
    const durations = handoffs.map((handoff) => handoff.durationMs);
    const succeeded = handoffs.filter((handoff) => handoff.outcome === 'accepted').length;
    expect(report.handoffs.total).toBe(137);
    expect(report.handoffs.succeeded).toBe(succeeded);
    expect(report.handoffs.successRate).toBeCloseTo(succeeded / 137, 6);
    expect(report.handoffs.latencyMs.p50).toBe(quantileExact(durations, 0.5));
    expect(report.handoffs.latencyMs.p95).toBe(quantileExact(durations, 0.95));
    expect(report.handoffs.latencyMs.p99).toBe(quantileExact(durations, 0.99));
    expect(report.handoffs.latencyMs.max).toBe(Math.max(...durations));

    expect(report.workflows.total).toBe(23);
    expect(report.workflows.completed).toBe(workflows.filter((workflow) => workflow.outcome === 'completed').length);
    expect(report.workflows.partial).toBe(workflows.filter((workflow) => workflow.outcome === 'partial').length);
    expect(report.workflows.failed).toBe(workflows.filter((workflow) => workflow.outcome === 'failed').length);

    const coordinationMs = coordination.reduce((sum, entry) => sum + entry.durationMs, 0);
    const workflowMs = workflows.reduce((sum, workflow) => sum + workflow.durationMs, 0);
    expect(report.coordination.overheadRatio).toBeCloseTo(coordinationMs / workflowMs, 6);
    for (const kind of ['routing', 'handoff', 'queueing', 'retry']) {
      const expected = coordination.filter((entry) => entry.kind === kind).reduce((sum, entry) => sum + entry.durationMs, 0);
      expect(report.coordination.byKindMs[kind]).toBe(expected);
    }
    expect(report.faults).toMatchObject({ injected: 3, byKind: { message_loss: 2, partition: 1 } });
  });

  it('re-inserting the run duplicates nothing', async () => {
    const before = await computeRunReport(store, run.runId);
    const sink = new SpanSink(store);
    for (const record of records) sink.add(record, run);
    await sink.flush();
    const raw = await store.query<{ c: string }>(`SELECT count() AS c FROM baton.spans WHERE run_id = 'metrics-run'`);
    // A background merge may already have collapsed the copies; FINAL must hide them either way.
    expect(Number(raw[0].c)).toBeGreaterThanOrEqual(records.length);
    expect(Number(raw[0].c)).toBeLessThanOrEqual(2 * records.length);
    expect(await computeRunReport(store, run.runId)).toEqual(before);
  });
});
