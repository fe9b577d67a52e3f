/**
 * The sink's text path (rows serialised to JSONEachRow as they arrive, for a
 * store with `insertJsonEachRowText`): the same rows as the row-object path,
 * in memory and stored on the real 18.16 server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SpanSink } from '../../../collector/sink/span-sink.js';
import { TEXT_PIECE_ROWS, TableRows, type TextInsertStore } from '../../../collector/sink/table-rows.js';
import type { SpanRecord } from '../../../collector/span-rows.js';
import type { TableName } from '../../../collector/store/schema.js';
import { ServerStore } from '../../../collector/store/server-store.js';
import { sqlString } from '../../../collector/store/sql.js';
import { ensureServer, serverTestsEnabled, uniqueDatabase } from '../store/clickhouse-server.js';
import { runColumns, spanRecord } from '../store/span-fixtures.js';

/** Keeps what each insert received: rows as given, or text parsed back into rows. */
class RecordingTextStore implements TextInsertStore {
  readonly engine = 'server' as const;
  readonly database = 'memory';
  readonly inserts: { table: TableName; via: 'rows' | 'text'; rows: object[]; pieces: number }[] = [];
  async migrate(): Promise<void> {}
  async insert(table: TableName, rows: readonly object[]): Promise<void> {
    this.inserts.push({ table, via: 'rows', rows: [...rows], pieces: 0 });
  }
  async insertJsonEachRowText(table: TableName, pieces: readonly string[]): Promise<void> {
    for (const piece of pieces) expect(piece.endsWith('\n')).toBe(true);
    const rows = pieces.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as object);
    this.inserts.push({ table, via: 'text', rows, pieces: pieces.length });
  }
  async query<Row>(): Promise<Row[]> {
    return [];
  }
  async command(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Span `index` with attribute text that JSON must escape: quotes, backslashes, tabs, newlines, non-ASCII. */
function awkwardSpan(index: number): SpanRecord {
  const record = spanRecord(index);
  record.statusMessage = index % 5 === 0 ? `failed: "quoted"\tand\\back\nslash – ünïcødé ✓ 🚀` : '';
  record.attributes = { ...record.attributes, 'baton.note': `line ${index}\r\nwith 'single' and "double" quotes\u0000` };
  return record;
}

async function addAll(sink: SpanSink, count: number, run = runColumns('run-text')): Promise<void> {
  for (let index = 0; index < count; index++) {
    const wait = sink.add(awkwardSpan(index), run);
    if (wait) await wait;
  }
  await sink.flush();
}

describe('SpanSink text path', () => {
  it('a text store receives the JSON of exactly the rows the row path sends, in pieces of TEXT_PIECE_ROWS rows', async () => {
    const spans = 2 * TEXT_PIECE_ROWS + 17;
    const text = new RecordingTextStore();
    await addAll(new SpanSink(text, { flushIntervalMs: 0 }), spans);
    const rows = new RecordingTextStore();
    await addAll(new SpanSink(rows, { flushIntervalMs: 0, rowsAsText: false, batchRows: 100_000 }), spans);
    expect(text.inserts.map(({ table, via, pieces }) => ({ table, via, pieces }))).toEqual([
      { table: 'spans', via: 'text', pieces: 3 },
      { table: 'span_events', via: 'text', pieces: 3 },
    ]);
    expect(rows.inserts.map(({ table, via }) => ({ table, via }))).toEqual([
      { table: 'spans', via: 'rows' },
      { table: 'span_events', via: 'rows' },
    ]);
    // Parsed back, the text is the row objects (as JSON sees them).
    expect(text.inserts[0]!.rows).toEqual(JSON.parse(JSON.stringify(rows.inserts[0]!.rows)));
    expect(text.inserts[1]!.rows).toEqual(JSON.parse(JSON.stringify(rows.inserts[1]!.rows)));
  });

  it('one RunColumns object reused (and changed) for several runs: every line carries the run it was added under', async () => {
    const store = new RecordingTextStore();
    const sink = new SpanSink(store, { flushIntervalMs: 0 });
    const run = runColumns('first');
    await sink.add(spanRecord(1), run);
    Object.assign(run, runColumns('second'));
    await sink.add(spanRecord(2), run);
    await sink.flush();
    const spans = store.inserts.filter((insert) => insert.table === 'spans').flatMap((insert) => insert.rows) as { run_id: string }[];
    expect(spans.map((row) => row.run_id)).toEqual([runColumns('first').runId, runColumns('second').runId]);
  });

  it('defaults for a text store: batches of 100,000 spans, one write at a time', async () => {
    const store = new RecordingTextStore();
    let active = 0;
    let activeMax = 0;
    const original = store.insertJsonEachRowText.bind(store);
    store.insertJsonEachRowText = async (table, pieces) => {
      activeMax = Math.max(activeMax, ++active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await original(table, pieces);
      active -= 1;
    };
    const sink = new SpanSink(store, { flushIntervalMs: 0 });
    for (let index = 0; index < 100_001; index++) {
      const wait = sink.add(spanRecord(index), runColumns('run-defaults'));
      if (wait) await wait;
    }
    await sink.flush();
    expect(store.inserts.filter((insert) => insert.table === 'spans').map((insert) => insert.rows.length)).toEqual([100_000, 1]);
    expect(activeMax).toBe(1);
  });

  it('while a write is under way, every TEXT_PIECE_ROWS spans add() returns a promise that resolves at the next loop turn', async () => {
    const store = new RecordingTextStore();
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const original = store.insertJsonEachRowText.bind(store);
    store.insertJsonEachRowText = async (table, pieces) => {
      await gate;
      await original(table, pieces);
    };
    const sink = new SpanSink(store, { batchRows: 10, bufferRowsMax: 1_000_000, flushIntervalMs: 0 });
    const run = runColumns('run-yield');
    // No write under way yet: nothing to let progress.
    for (let index = 0; index < 10; index++) expect(sink.add(spanRecord(index), run)).toBeUndefined();
    const returned = Array.from({ length: 2 * TEXT_PIECE_ROWS }, (_, index) => sink.add(spanRecord(10 + index), run));
    const promises = returned.filter((value) => value !== undefined);
    expect(promises).toHaveLength(2);
    // They resolve although the write is still held: they only let the loop turn.
    await Promise.all(promises);
    expect(store.inserts).toEqual([]);
    openGate();
    await sink.flush();
    expect(store.inserts.filter((insert) => insert.table === 'spans').reduce((sum, insert) => sum + insert.rows.length, 0)).toBe(10 + 2 * TEXT_PIECE_ROWS);
  });

  it('TableRows without text keeps the row objects and inserts them as they are', async () => {
    const table = new TableRows(false);
    const row = { a: 1 };
    table.push(row);
    const store = new RecordingTextStore();
    await table.insertInto(store, 'spans');
    expect(store.inserts).toEqual([{ table: 'spans', via: 'rows', rows: [row], pieces: 0 }]);
  });
});

const describeServer = serverTestsEnabled('sink text path on 18.16 (span-sink-text.test.ts)') ? describe : describe.skip;

describeServer('SpanSink text path on the 18.16 server', () => {
  const stores: ServerStore[] = [];
  afterAll(async () => {
    for (const store of stores) {
      await store.command(`DROP DATABASE IF EXISTS ${store.database}`);
      await store.close();
    }
  });

  it('stores the same rows as inserting row objects', async () => {
    const base = await ensureServer();
    const spans = 2 * TEXT_PIECE_ROWS + 17;
    const run = runColumns('run-text-server');
    const stored: Record<string, unknown[]> = {};
    for (const rowsAsText of [true, false]) {
      const store = new ServerStore(`${base}/${uniqueDatabase('baton_sink_text')}`);
      stores.push(store);
      await store.migrate();
      // Several batches, each several pieces.
      await addAll(new SpanSink(store, { rowsAsText, batchRows: 1_500, flushIntervalMs: 0 }), spans, run);
      const where = `WHERE run_id = ${sqlString(run.runId)}`;
      stored[String(rowsAsText)] = [
        ...(await store.query(`SELECT * FROM ${store.database}.spans ${where} ORDER BY span_id`)),
        ...(await store.query(`SELECT * FROM ${store.database}.span_events ${where} ORDER BY span_id, event_index`)),
      ];
    }
    expect(stored.true).toHaveLength(2 * spans);
    expect(stored.true).toEqual(stored.false);
  }, 60_000);
});
