/**
 * One storage suite, run on both engines: embedded chDB (current ClickHouse)
 * and the Debian ClickHouse server 18.16 started by .ci/clickhouse.sh. Same
 * schema, same SQL, same expected rows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanSink } from '../../../collector/sink/span-sink.js';
import { RunRowLines } from '../../../collector/span-lines.js';
import { spanEventRows, spanRow } from '../../../collector/span-rows.js';
import { appliedVersions } from '../../../collector/store/migrations.js';
import { prune } from '../../../collector/store/prune.js';
import type { RunRow } from '../../../collector/store/rows.js';
import { SCHEMA_VERSION, TABLES, type TableName } from '../../../collector/store/schema.js';
import { sqlString } from '../../../collector/store/sql.js';
import { StoreError, type SpanStore } from '../../../collector/store/span-store.js';
import { engineCases } from './engines.js';
import { runColumns, spanRecord } from './span-fixtures.js';

const cases = engineCases('storage suite (store-engines.test.ts)');

describe.each(cases)('storage on $name', (engine) => {
  let store: SpanStore;

  beforeAll(async () => {
    if (!engine.enabled) return;
    store = await engine.open('baton_suite');
    await store.migrate();
  }, 120_000);

  afterAll(async () => {
    await engine.cleanup();
  });

  const test = engine.enabled ? it : it.skip;

  test('migrate is idempotent and records the schema version once', async () => {
    await store.migrate();
    await store.migrate();
    const tables = await store.query<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = ${sqlString(store.database)} ORDER BY name`,
    );
    expect(tables.map((row) => row.name)).toEqual([...TABLES].sort());
    expect(await appliedVersions(store)).toEqual([SCHEMA_VERSION]);
    // Not only deduplicated by FINAL: migrate did not insert a second row.
    const raw = await store.query<{ c: string }>(`SELECT count() AS c FROM ${store.database}.schema_migrations`);
    expect(raw).toEqual([{ c: '1' }]);
    const appliedAt = await store.query<{ applied_at: string }>(`SELECT applied_at FROM ${store.database}.schema_migrations`);
    expect(appliedAt[0]!.applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('span rows round-trip through insert and select, Nested attributes and 64-bit times included', async () => {
    const run = runColumns('run-roundtrip');
    const records = Array.from({ length: 25 }, (_, index) => spanRecord(index));
    const rows = records.map((record) => spanRow(record, run));
    await store.insert('spans', rows);
    await store.insert('span_events', records.flatMap((record) => spanEventRows(record, run)));
    const back = await store.query<Record<string, unknown>>(
      `SELECT * FROM ${store.database}.spans FINAL WHERE run_id = ${sqlString(run.runId)} ORDER BY span_id`,
    );
    expect(back.map(normalised)).toEqual(rows.map(normalised));
    // Both engines return 64-bit integers as exact strings (nanoseconds exceed 2^53).
    expect(typeof back[0]!.start_ns).toBe('string');
    expect(back[3]!.start_ns).toBe(records[3]!.startNs.toString());
    const events = await store.query<{ c: string }>(
      `SELECT count() AS c FROM ${store.database}.span_events FINAL WHERE run_id = ${sqlString(run.runId)}`,
    );
    expect(events).toEqual([{ c: '25' }]);
    const attribute = await store.query<{ agent: string }>(
      `SELECT attributes.value[indexOf(attributes.key, 'gen_ai.agent.name')] AS agent FROM ${store.database}.spans FINAL ` +
        `WHERE run_id = ${sqlString(run.runId)} AND span_id = ${sqlString(rows[9]!.span_id)}`,
    );
    expect(attribute).toEqual([{ agent: 'agent-2' }]);
  });

  test('insertRaw stores JSONEachRow text like insert stores rows, and dedupes the same way', async () => {
    expect(store.insertRaw).toBeTypeOf('function');
    const run = runColumns('run-raw');
    const rows = Array.from({ length: 12 }, (_, index) => spanRow(spanRecord(index), run));
    const text = Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    await store.insertRaw!('spans', text);
    await store.insertRaw!('spans', text);
    const back = await store.query<Record<string, unknown>>(
      `SELECT * FROM ${store.database}.spans FINAL WHERE run_id = ${sqlString(run.runId)} ORDER BY span_id`,
    );
    expect(back.map(normalised)).toEqual(rows.map(normalised));
  });

  test('TabSeparated lines (rows the collector spools for a server) store exactly what JSONEachRow stores, for any text', async () => {
    // Strings with everything TabSeparated escapes, quotes, controls and non-BMP text; the
    // ones a lone surrogate makes unrepresentable go to JSONEachRow (encodeBatches) instead.
    const special = fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', '\0', '\b', '\f', "'", '"', '[', ']', ',', '\u0001', 'é', '😀', 'a', 'N'), maxLength: 12 });
    const samples = fc.sample(fc.record({ name: special, value: special, key: special, event: special, status: special }), { seed: 42, numRuns: 60 });
    const records = samples.map((sample, index) => {
      const record = spanRecord(index);
      return {
        ...record,
        name: sample.name,
        statusMessage: sample.status,
        attributes: { ...record.attributes, [`k${sample.key}`]: sample.value, 'baton.task.id': sample.value },
        events: [{ name: sample.event, timeNs: record.startNs, attributes: { [sample.key || 'k']: sample.name } }],
      };
    });
    const keyedRun = runColumns('run-tsv-json');
    const tsvRun = runColumns('run-tsv-tsv');
    const keyed = new RunRowLines(keyedRun);
    const tsv = new RunRowLines(tsvRun, 'TabSeparated');
    await store.insertRaw!('spans', Buffer.from(records.map((record) => keyed.span(record)).join('')));
    await store.insertRaw!('spans', Buffer.from(records.map((record) => tsv.span(record)).join('')), 'TabSeparated');
    await store.insertRaw!('span_events', Buffer.from(records.map((record) => keyed.events(record)).join('')));
    await store.insertRaw!('span_events', Buffer.from(records.map((record) => tsv.events(record)).join('')), 'TabSeparated');
    for (const table of ['spans', 'span_events'] as const) {
      const read = (runId: string) =>
        store.query<Record<string, unknown>>(
          `SELECT * FROM ${store.database}.${table} FINAL WHERE run_id = ${sqlString(runId)} ORDER BY span_id, ${table === 'spans' ? 'name' : 'event_index'}`,
        );
      const [fromJson, fromTsv] = [await read(keyedRun.runId), await read(tsvRun.runId)];
      expect(fromJson).toHaveLength(records.length);
      expect(fromTsv.map((row) => ({ ...row, run_id: '' }))).toEqual(fromJson.map((row) => ({ ...row, run_id: '' })));
    }
  });

  test('a count attribute too large for an integer column (1e21, 1.5e300) stores 0 instead of failing the insert', async () => {
    const run = runColumns('run-huge-count');
    const records = [1e21, 1.5e300, 1e18].map((tokens, index) => ({ ...spanRecord(index), attributes: { 'gen_ai.usage.input_tokens': tokens } }));
    const lines = new RunRowLines(run);
    await store.insertRaw!('spans', Buffer.from(records.map((record) => lines.span(record)).join('')));
    const back = await store.query<{ input_tokens: string }>(
      `SELECT input_tokens FROM ${store.database}.spans FINAL WHERE run_id = ${sqlString(run.runId)} ORDER BY span_id`,
    );
    expect(back.map((row) => row.input_tokens)).toEqual(['0', '0', '1000000000000000000']);
  });

  test('re-inserting a run never duplicates a span under FINAL', async () => {
    const run = runColumns('run-reinsert');
    const rows = Array.from({ length: 40 }, (_, index) => spanRow(spanRecord(index), run));
    await store.insert('spans', rows);
    await store.insert('spans', rows);
    await store.insert('spans', rows.slice(10, 20));
    const where = `WHERE run_id = ${sqlString(run.runId)}`;
    const counts = await store.query<{ rows: string; ids: string }>(
      `SELECT count() AS rows, uniqExact(span_id) AS ids FROM ${store.database}.spans FINAL ${where}`,
    );
    expect(counts).toEqual([{ rows: '40', ids: '40' }]);
    const raw = await store.query<{ c: string }>(`SELECT count() AS c FROM ${store.database}.spans ${where}`);
    expect(Number(raw[0]!.c)).toBeGreaterThanOrEqual(40);
  });

  test('a batch retried after its insert landed does not duplicate spans (sink over a store that loses the reply)', async () => {
    const run = runColumns('run-lost-reply');
    let failuresLeft = 3;
    const lossy: SpanStore = {
      engine: store.engine,
      database: store.database,
      migrate: () => store.migrate(),
      query: (sql) => store.query(sql),
      command: (sql) => store.command(sql),
      close: async () => undefined,
      async insert(table: TableName, rows: readonly object[]) {
        await store.insert(table, rows);
        // The rows are stored, but the caller sees a connection reset.
        if (failuresLeft-- > 0) throw new StoreError('BATON_ERR_STORE_UNREACHABLE', 'reply lost', { retryable: true });
      },
    };
    const sink = new SpanSink(lossy, { batchRows: 30, backoffMsMin: 1, backoffMsMax: 2 });
    for (let index = 0; index < 100; index++) await sink.add(spanRecord(index), run);
    await sink.flush();
    expect(sink.counters).toMatchObject({ spansWritten: 100, batchesRetried: 3, spansDropped: 0 });
    const ids = await store.query<{ span_id: string }>(
      `SELECT span_id FROM ${store.database}.spans FINAL WHERE run_id = ${sqlString(run.runId)} ORDER BY span_id`,
    );
    expect(ids.map((row) => row.span_id)).toEqual(Array.from({ length: 100 }, (_, index) => spanRecord(index).spanId));
  });

  test('runs: the latest recorded_at wins under FINAL', async () => {
    const base: RunRow = {
      recorded_date: '2026-01-15',
      recorded_at: '2026-01-15 10:00:00',
      run_id: 'run-verdict',
      sweep_id: 's',
      scenario: 'x',
      seed: 1,
      config_hash: 'h',
      baton_version: '0.1.0',
      verdict: 'pending',
      workflows_total: 1,
      workflows_completed: 0,
      handoffs_total: 0,
      faults_injected: 0,
      violations: 0,
      event_log_hash: '',
    };
    await store.insert('runs', [{ ...base, recorded_at: '2026-01-15 10:00:05', verdict: 'pass' }]);
    await store.insert('runs', [base]);
    const rows = await store.query<{ verdict: string }>(`SELECT verdict FROM ${store.database}.runs FINAL WHERE run_id = 'run-verdict'`);
    expect(rows).toEqual([{ verdict: 'pass' }]);
  });

  test('quantileExact picks the element at floor(level × n) of the sorted values, no interpolation', async () => {
    const run = runColumns('run-quantiles');
    const durations = [900, 100, 500, 300, 700, 200, 800, 400, 600, 1000, 50];
    const rows = durations.map((durationNs, index) => ({ ...spanRow(spanRecord(index), run), duration_ns: String(durationNs) }));
    await store.insert('spans', rows);
    const result = await store.query<Record<string, string | number>>(
      `SELECT quantileExact(0.5)(duration_ns) AS p50, quantileExact(0.95)(duration_ns) AS p95, ` +
        `quantileExact(0.99)(duration_ns) AS p99, quantileExact(0)(duration_ns) AS p0, ` +
        `quantileExact(0.5)(toFloat64(duration_ns)) AS p50f, quantilesExact(0.25, 0.75)(duration_ns) AS quartiles ` +
        `FROM ${store.database}.spans FINAL WHERE run_id = ${sqlString(run.runId)}`,
    );
    const sorted = [...durations].sort((a, b) => a - b);
    const at = (level: number) => sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))]!;
    expect(result).toEqual([
      { p50: String(at(0.5)), p95: String(at(0.95)), p99: String(at(0.99)), p0: String(at(0)), p50f: at(0.5), quartiles: [String(at(0.25)), String(at(0.75))] },
    ]);
    // An empty group: no row per group; a global aggregate over nothing gives 0 for integers.
    const empty = await store.query<Record<string, unknown>>(
      `SELECT quantileExact(0.5)(duration_ns) AS p50, count() AS c FROM ${store.database}.spans FINAL WHERE run_id = 'no-such-run'`,
    );
    expect(empty).toEqual([{ p50: '0', c: '0' }]);
  });

  test('prune drops whole months older than the cutoff and nothing else', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const dates = ['2025-12-31', '2026-01-20', '2026-02-09', '2026-02-10', '2026-03-01'];
    for (const [index, date] of dates.entries()) {
      const run = runColumns(`run-prune-${index}`, date);
      await store.insert('spans', [spanRow(spanRecord(index), run)]);
      await store.insert('span_events', spanEventRows(spanRecord(index), run));
    }
    const before = await months(store);
    // 30 days before 2026-03-10 is 2026-02-08: January and older go, February stays whole.
    const dropped = await prune(store, 30, { now });
    const droppedMonths = [...new Set(dropped.map((entry) => entry.partition))].sort();
    expect(droppedMonths).toEqual(before.filter((month) => month < 202602));
    expect(droppedMonths).toEqual(expect.arrayContaining([202512, 202601]));
    expect(dropped.map((entry) => entry.table)).toEqual(expect.arrayContaining(['spans', 'span_events']));
    expect(await months(store)).toEqual(before.filter((month) => month >= 202602));
    expect(await prune(store, 30, { now })).toEqual([]);
  });

  test('prune with an age reaching before 1970 (or past what a Date holds) drops nothing', async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const [index, date] of [today, '2001-05-01'].entries()) {
      const run = runColumns(`run-prune-huge-${index}`, date);
      await store.insert('spans', [spanRow(spanRecord(index), run)]);
      await store.insert('span_events', spanEventRows(spanRecord(index), run));
    }
    const before = await months(store);
    expect(before).toEqual(expect.arrayContaining([200105, Number(today.slice(0, 7).replace('-', ''))]));
    const count = async () => (await store.query<{ c: string }>(`SELECT count() AS c FROM ${store.database}.spans WHERE run_id LIKE 'run-prune-huge-%'`))[0]!.c;
    expect(await count()).toBe('2');
    // 200,000,000 and 99,999,999,999 days: the cutoff is no valid Date; 30,000 days: a valid one, before 1970.
    for (const days of [200_000_000, 99_999_999_999, 30_000]) expect(await prune(store, days), `${days} days`).toEqual([]);
    expect(await months(store)).toEqual(before);
    expect(await count()).toBe('2');
    // The old month was there to be dropped: an ordinary age does drop it.
    const dropped = await prune(store, 30, { now: new Date('2001-07-15T00:00:00Z') });
    expect([...new Set(dropped.map((entry) => entry.partition))]).toEqual([200105]);
  });

  test('arbitrary strings round-trip through insert, select and a WHERE built with sqlString', async () => {
    const nasty = fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\0', '\x7f', '\x01', '😀', 'é', '\u2028', '\\x00', "\\'", '%', '?', '{x}', '`');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: nasty, maxLength: 12 }));
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 8 }), async (values) => {
        const runId = `run-strings-${round++}`;
        const run = runColumns(runId);
        const rows = values.map((value, index) => ({
          ...spanRow(spanRecord(index), run),
          status_message: value,
          'attributes.key': [value],
          'attributes.value': [`v:${value}`],
        }));
        await store.insert('spans', rows);
        const where = `run_id = ${sqlString(runId)}`;
        const back = await store.query<{ status_message: string; 'attributes.key': string[]; 'attributes.value': string[] }>(
          `SELECT status_message, attributes.key, attributes.value FROM ${store.database}.spans FINAL WHERE ${where} ORDER BY span_id`,
        );
        expect(back).toEqual(rows.map((row) => ({ status_message: row.status_message, 'attributes.key': row['attributes.key'], 'attributes.value': row['attributes.value'] })));
        for (const value of new Set(values)) {
          const expected = values.filter((other) => other === value).length;
          const found = await store.query<{ c: string }>(
            `SELECT count() AS c FROM ${store.database}.spans FINAL WHERE ${where} AND status_message = ${sqlString(value)} ` +
              `AND has(attributes.key, ${sqlString(value)}) AND attributes.value[1] = ${sqlString(`v:${value}`)}`,
          );
          expect(found).toEqual([{ c: String(expected) }]);
          const literal = await store.query<{ s: string }>(`SELECT ${sqlString(value)} AS s`);
          expect(literal).toEqual([{ s: value }]);
        }
      }),
      { numRuns: 40, seed: 20261121 },
    );
  }, 120_000);
});

/** Months (toYYYYMM) that hold span rows. */
async function months(store: SpanStore): Promise<number[]> {
  const rows = await store.query<{ m: number | string }>(
    `SELECT DISTINCT toYYYYMM(recorded_date) AS m FROM ${store.database}.spans ORDER BY m`,
  );
  return rows.map((row) => Number(row.m));
}

/** A row with scalar values as text (engines return UInt64 as strings, smaller integers as numbers). */
function normalised(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Array.isArray(value) ? value : String(value)]));
}
