/**
 * The sink against an in-memory store: batch cuts by size and by time,
 * bounded memory with backpressure, retries of failed batches, counters.
 */
import { describe, expect, it } from 'vitest';
import { SpanSink } from '../../../collector/sink/span-sink.js';
import type { TableName } from '../../../collector/store/schema.js';
import { StoreError, type SpanStore } from '../../../collector/store/span-store.js';
import { runColumns, spanRecord } from '../store/span-fixtures.js';

/** Records inserts; `gate` (when set) holds every insert until released; `failures` throws before storing. */
class MemoryStore implements SpanStore {
  readonly engine = 'chdb' as const;
  readonly database = 'memory';
  readonly inserts: { table: TableName; rows: number }[] = [];
  readonly spanIds: string[] = [];
  failures: StoreError[] = [];
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }
  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }
  async migrate(): Promise<void> {}
  async insert(table: TableName, rows: readonly object[]): Promise<void> {
    if (this.gate) await this.gate;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.inserts.push({ table, rows: rows.length });
    if (table === 'spans') for (const row of rows) this.spanIds.push((row as { span_id: string }).span_id);
  }
  async query<Row>(): Promise<Row[]> {
    return [];
  }
  async command(): Promise<void> {}
  async close(): Promise<void> {}
}

const run = runColumns('run-sink');
const noWait = async () => undefined;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SpanSink', () => {
  it('cuts a batch when it reaches batchRows span rows; their events ride along', async () => {
    const store = new MemoryStore();
    const sink = new SpanSink(store, { batchRows: 5, flushIntervalMs: 0, writesInFlightMax: 1 });
    for (let index = 0; index < 12; index++) expect(sink.add(spanRecord(index), run)).toBeUndefined();
    await tick();
    // 5 spans (+ their 5 events), twice; 2 spans wait for flush.
    expect(store.inserts).toEqual([
      { table: 'spans', rows: 5 },
      { table: 'span_events', rows: 5 },
      { table: 'spans', rows: 5 },
      { table: 'span_events', rows: 5 },
    ]);
    await sink.flush();
    expect(store.spanIds).toHaveLength(12);
    expect(sink.counters).toEqual({ spansWritten: 12, eventsWritten: 12, batchesWritten: 3, batchesRetried: 0, spansDropped: 0 });
  });

  it('writes up to writesInFlightMax batches at once; the rest wait their turn', async () => {
    const store = new MemoryStore();
    store.hold();
    let active = 0;
    let activeMax = 0;
    const original = store.insert.bind(store);
    store.insert = async (table, rows) => {
      active += 1;
      activeMax = Math.max(activeMax, active);
      try {
        await original(table, rows);
      } finally {
        active -= 1;
      }
    };
    const sink = new SpanSink(store, { batchRows: 1, flushIntervalMs: 0, writesInFlightMax: 2 });
    for (let index = 0; index < 5; index++) sink.add(spanRecord(index), run);
    await tick();
    expect(active).toBe(2);
    store.release();
    await sink.flush();
    expect(activeMax).toBe(2);
    expect([...store.spanIds].sort()).toEqual(Array.from({ length: 5 }, (_, index) => spanRecord(index).spanId));
    expect(sink.counters).toMatchObject({ spansWritten: 5, batchesWritten: 5 });
  });

  it('writes a small batch flushIntervalMs after its first row without a flush call', async () => {
    const store = new MemoryStore();
    const sink = new SpanSink(store, { batchRows: 1_000, flushIntervalMs: 30 });
    sink.add(spanRecord(0), run);
    sink.add(spanRecord(1), run);
    await tick();
    expect(store.inserts).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(store.spanIds).toEqual([spanRecord(0).spanId, spanRecord(1).spanId]);
    expect(sink.spansWritten).toBe(2);
  });

  it('returns a promise at bufferRowsMax and resolves it only when a write made room', async () => {
    const store = new MemoryStore();
    store.hold();
    const sink = new SpanSink(store, { batchRows: 4, bufferRowsMax: 8, flushIntervalMs: 0 });
    expect(sink.add(spanRecord(0), run)).toBeUndefined();
    expect(sink.add(spanRecord(1), run)).toBeUndefined();
    expect(sink.add(spanRecord(2), run)).toBeUndefined();
    const wait = sink.add(spanRecord(3), run);
    expect(wait).toBeInstanceOf(Promise);
    let resolved = false;
    void wait!.then(() => (resolved = true));
    await tick();
    expect(resolved).toBe(false);
    expect(sink.rowsInMemory).toBe(8);
    store.release();
    await wait;
    expect(resolved).toBe(true);
    expect(sink.rowsInMemory).toBeLessThan(8);
    await sink.flush();
    expect(sink.rowsInMemory).toBe(0);
  });

  // Regression (BENCHMARKS.md proposal 5): past bufferRowsMax, add() cut the buffer
  // on every call. A producer that cannot await add() — a synchronous
  // SpanProcessor.onEnd — then wrote one INSERT per span: 120 seeds took 16,678
  // batches and 188 s instead of 7 batches and 6.7 s.
  it('past bufferRowsMax, a producer that does not await still writes batches of at least batchRows / 2', async () => {
    const store = new MemoryStore();
    store.hold();
    const sink = new SpanSink(store, { batchRows: 10, bufferRowsMax: 20, bufferRowsHardMax: 1_000, flushIntervalMs: 0 });
    const returned = Array.from({ length: 30 }, (_, index) => sink.add(spanRecord(index), run));
    expect(returned.slice(0, 9).every((value) => value === undefined)).toBe(true);
    // From the 10th span on (20 rows held), every add() returns the promise to await.
    expect(returned.slice(9).every((value) => value instanceof Promise)).toBe(true);
    store.release();
    await sink.flush();
    const spanInserts = store.inserts.filter((insert) => insert.table === 'spans').map((insert) => insert.rows);
    expect(spanInserts).toEqual([10, 5, 5, 5, 5]);
    expect(store.spanIds).toHaveLength(30);
  });

  it('over bufferRowsMax with a small buffer and nothing being written, the buffer is cut so the promise resolves', async () => {
    const store = new MemoryStore();
    store.hold();
    // Each span is 2 rows: 3 spans reach the limit long before batchRows / 2.
    const sink = new SpanSink(store, { batchRows: 100, bufferRowsMax: 6, bufferRowsHardMax: 100, flushIntervalMs: 0 });
    const waits = Array.from({ length: 6 }, (_, index) => sink.add(spanRecord(index), run)).filter((value) => value !== undefined);
    expect(waits).toHaveLength(4);
    store.release();
    // No flush(): the written first batch leaves the limit still reached by the
    // buffer alone, so release() cuts it, and its write makes room.
    await Promise.all(waits);
    expect(store.spanIds).toHaveLength(6);
    expect(sink.rowsInMemory).toBe(0);
  });

  it('throws BATON_ERR_SINK_OVERFLOW instead of buffering past bufferRowsHardMax', async () => {
    const store = new MemoryStore();
    store.hold();
    const sink = new SpanSink(store, { batchRows: 4, bufferRowsMax: 4, bufferRowsHardMax: 6, flushIntervalMs: 0 });
    sink.add(spanRecord(0), run);
    void sink.add(spanRecord(1), run);
    void sink.add(spanRecord(2), run);
    expect(() => sink.add(spanRecord(3), run)).toThrow(expect.objectContaining({ code: 'BATON_ERR_SINK_OVERFLOW' }));
    store.release();
    await sink.flush();
    expect(store.spanIds).toHaveLength(3);
  });

  it('retries a batch on retryable store errors with growing waits, and counts it', async () => {
    const store = new MemoryStore();
    const unreachable = () => new StoreError('BATON_ERR_STORE_UNREACHABLE', 'down', { retryable: true });
    store.failures = [unreachable(), unreachable()];
    const waits: number[] = [];
    const sink = new SpanSink(store, { backoffMsMin: 100, backoffMsMax: 150, sleep: async (ms) => void waits.push(ms) });
    for (let index = 0; index < 5; index++) sink.add(spanRecord(index), run);
    await sink.flush();
    expect(waits).toEqual([100, 150]);
    expect(store.spanIds).toHaveLength(5);
    expect(sink.counters).toMatchObject({ spansWritten: 5, batchesRetried: 2, spansDropped: 0 });
  });

  it('a retry after the spans landed re-sends only the events', async () => {
    const store = new MemoryStore();
    const sink = new SpanSink(store, { sleep: noWait });
    sink.add(spanRecord(0), run);
    // First insert (spans) succeeds, second (events) fails once.
    const original = store.insert.bind(store);
    let calls = 0;
    store.insert = async (table, rows) => {
      calls += 1;
      if (calls === 2) throw new StoreError('BATON_ERR_STORE_UNREACHABLE', 'reset', { retryable: true });
      return original(table, rows);
    };
    await sink.flush();
    expect(store.inserts.map((insert) => insert.table)).toEqual(['spans', 'span_events']);
  });

  it('does not retry a non-retryable error; flush, then add, report it', async () => {
    const store = new MemoryStore();
    store.failures = [new StoreError('BATON_ERR_STORE_AUTH', 'bad password')];
    const sink = new SpanSink(store, { sleep: noWait });
    sink.add(spanRecord(0), run);
    await expect(sink.flush()).rejects.toMatchObject({ code: 'BATON_ERR_STORE_AUTH' });
    expect(sink.counters).toMatchObject({ spansWritten: 0, batchesRetried: 0, spansDropped: 1 });
    expect(() => sink.add(spanRecord(1), run)).toThrow(expect.objectContaining({ code: 'BATON_ERR_STORE_AUTH' }));
  });

  it('gives up after attemptsMax and reports the last error', async () => {
    const store = new MemoryStore();
    store.failures = Array.from({ length: 10 }, () => new StoreError('BATON_ERR_STORE_UNREACHABLE', 'down', { retryable: true }));
    const sink = new SpanSink(store, { attemptsMax: 3, sleep: noWait });
    sink.add(spanRecord(0), run);
    await expect(sink.flush()).rejects.toMatchObject({ code: 'BATON_ERR_STORE_UNREACHABLE' });
    expect(sink.counters).toMatchObject({ batchesRetried: 2, spansDropped: 1 });
  });

  it('refuses spans after close', async () => {
    const sink = new SpanSink(new MemoryStore());
    sink.add(spanRecord(0), run);
    await sink.close();
    expect(sink.spansWritten).toBe(1);
    expect(() => sink.add(spanRecord(1), run)).toThrow(expect.objectContaining({ code: 'BATON_ERR_SINK_CLOSED' }));
  });
});
