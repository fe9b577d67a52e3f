import { withBackoff } from '../store/backoff.js';
import type { SpanStore } from '../store/span-store.js';
import { StoreError } from '../store/span-store.js';
import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../span-rows.js';
import type { SpanEventRow, SpanRow } from '../store/rows.js';

/** Batching, memory bound and retries of the sink. Every default is listed here. */
export interface SpanSinkOptions {
  /**
   * A batch is written once it holds this many span rows (their event rows ride
   * along: `bufferRowsMax` bounds the total). Default 10,000.
   */
  batchRows?: number;
  /** A non-empty batch is written at most this long after its first row. 0 turns the timer off. Default 1,000 ms. */
  flushIntervalMs?: number;
  /**
   * Rows held in memory (buffered + waiting + being written) at which `add`
   * returns a promise that resolves when writes made room: await it.
   * Default 50,000.
   */
  bufferRowsMax?: number;
  /**
   * Rows held at which `add` throws `BATON_ERR_SINK_OVERFLOW` instead of
   * buffering: a producer that ignores backpressure fails loudly rather than
   * growing without bound. Default 4 × bufferRowsMax.
   */
  bufferRowsHardMax?: number;
  /**
   * Batches written at the same time. Inserts are idempotent and unordered, and
   * a server parses each insert on one thread, so two in flight roughly double
   * throughput. Default 2.
   */
  writesInFlightMax?: number;
  /** Attempts per batch for retryable store errors (server down, restarting). Default 5. */
  attemptsMax?: number;
  /** First wait before retrying a batch. Default 500 ms. */
  backoffMsMin?: number;
  /** Longest wait before retrying a batch. Default 10,000 ms. */
  backoffMsMax?: number;
  /** Waits between attempts (tests pass a fake). Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BATCH_ROWS = 10_000;
export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_BUFFER_ROWS_MAX = 50_000;
export const DEFAULT_WRITES_IN_FLIGHT_MAX = 2;
export const DEFAULT_SINK_ATTEMPTS_MAX = 5;
export const DEFAULT_SINK_BACKOFF_MS_MIN = 500;
export const DEFAULT_SINK_BACKOFF_MS_MAX = 10_000;

/** What the sink did so far. `spansDropped` stays 0 unless a batch failed for good (and `flush` rejected). */
export interface SpanSinkCounters {
  spansWritten: number;
  eventsWritten: number;
  batchesWritten: number;
  /** Batch attempts that failed and were tried again. */
  batchesRetried: number;
  spansDropped: number;
}

interface Batch {
  spans: SpanRow[];
  events: SpanEventRow[];
  /** The spans insert succeeded; a retry only re-sends the events. */
  spansDone: boolean;
}

/**
 * Turns finished spans into rows and writes them to a store in batches, up
 * to `writesInFlightMax` at a time. A batch is cut when it reaches `batchRows` or
 * `flushIntervalMs` after its first row, whichever comes first. Memory is
 * bounded: past `bufferRowsMax` rows held, `add` returns a promise to await
 * (backpressure); past `bufferRowsHardMax` it throws. A failed batch is
 * retried with backoff when the store error is retryable; retries cannot
 * duplicate spans in FINAL queries (ReplacingMergeTree keyed by span id).
 * A batch that fails for good makes `flush`, `close` and later `add` calls
 * throw that error.
 */
export class SpanSink {
  private spans: SpanRow[] = [];
  private events: SpanEventRow[] = [];
  private rowsHeld = 0;
  /** Batches cut but not yet being written. */
  private queue: Batch[] = [];
  private writesInFlight = 0;
  /** flush() callers waiting for the queue to drain. */
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Producers waiting for room. Always resolved, never rejected: a producer that ignored the promise must not crash the process with an unhandled rejection; the failure surfaces at the next add() or flush(). */
  private waiters: (() => void)[] = [];
  private failure: unknown;
  private closed = false;
  private readonly stats: SpanSinkCounters = { spansWritten: 0, eventsWritten: 0, batchesWritten: 0, batchesRetried: 0, spansDropped: 0 };

  constructor(
    private readonly store: SpanStore,
    private readonly options: SpanSinkOptions = {},
  ) {}

  /**
   * Buffers one span of `run` (and its events). Returns nothing while there
   * is room, or a promise that resolves once writes brought the rows held
   * under `bufferRowsMax` (or the sink failed; the next call throws). Throws when closed,
   * failed, or past `bufferRowsHardMax`.
   */
  add(span: SpanRecord, run: RunColumns): void | Promise<void> {
    if (this.closed) throw new StoreError('BATON_ERR_SINK_CLOSED', 'span sink is closed');
    if (this.failure !== undefined) throw this.failure;
    const bufferRowsMax = this.options.bufferRowsMax ?? DEFAULT_BUFFER_ROWS_MAX;
    const hardMax = this.options.bufferRowsHardMax ?? 4 * bufferRowsMax;
    const eventRows = spanEventRows(span, run);
    if (this.rowsHeld + 1 + eventRows.length > hardMax && this.rowsHeld > 0) {
      throw new StoreError(
        'BATON_ERR_SINK_OVERFLOW',
        `span sink holds ${this.rowsHeld} rows, over its hard limit of ${hardMax}: await the promise add() returns`,
      );
    }
    this.spans.push(spanRow(span, run));
    for (const row of eventRows) this.events.push(row);
    this.rowsHeld += 1 + eventRows.length;
    const batchRows = this.options.batchRows ?? DEFAULT_BATCH_ROWS;
    if (this.spans.length >= batchRows) this.cutBatch();
    else this.armTimer();
    if (this.rowsHeld < bufferRowsMax) return;
    // Over the limit. A producer that cannot await (a synchronous SpanProcessor.onEnd)
    // keeps adding: cutting on every add would write one INSERT per span. Cut a
    // half-full buffer, or any buffer when no write is under way to make room.
    if (this.spans.length >= batchRows / 2 || this.writesInFlight + this.queue.length === 0) this.cutBatch();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes every buffered row; resolves when the store has them all, rejects if a batch failed for good. */
  async flush(): Promise<void> {
    this.cutBatch();
    if (this.writesInFlight > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.failure !== undefined) throw this.failure;
  }

  /** Flushes, then refuses further spans. Does not close the store. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.clearTimer();
    }
  }

  /** Spans written so far. */
  get spansWritten(): number {
    return this.stats.spansWritten;
  }

  /** A copy of the counters. */
  get counters(): SpanSinkCounters {
    return { ...this.stats };
  }

  /** Rows buffered, waiting or being written. */
  get rowsInMemory(): number {
    return this.rowsHeld;
  }

  private armTimer(): void {
    const intervalMs = this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    if (this.timer !== undefined || intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.cutBatch();
    }, intervalMs);
    // A pending timer must not keep the process alive; flush()/close() write the rest.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Moves the buffer into a batch queued behind the current write. */
  private cutBatch(): void {
    this.clearTimer();
    if (this.spans.length === 0 && this.events.length === 0) return;
    const batch: Batch = { spans: this.spans, events: this.events, spansDone: false };
    this.spans = [];
    this.events = [];
    this.queue.push(batch);
    this.pump();
  }

  /** Starts queued batches up to `writesInFlightMax`; wakes flush() callers once all are written. */
  private pump(): void {
    const inFlightMax = Math.max(1, this.options.writesInFlightMax ?? DEFAULT_WRITES_IN_FLIGHT_MAX);
    while (this.writesInFlight < inFlightMax && this.queue.length > 0) {
      const batch = this.queue.shift()!;
      this.writesInFlight += 1;
      // writeBatch never rejects: failures are recorded in `this.failure`.
      void this.writeBatch(batch).then(() => {
        this.writesInFlight -= 1;
        this.pump();
      });
    }
    if (this.writesInFlight === 0 && this.queue.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async writeBatch(batch: Batch): Promise<void> {
    const rows = batch.spans.length + batch.events.length;
    if (this.failure !== undefined) {
      this.stats.spansDropped += batch.spans.length;
      this.release(rows);
      return;
    }
    try {
      await withBackoff(
        async () => {
          if (!batch.spansDone && batch.spans.length > 0) await this.store.insert('spans', batch.spans);
          batch.spansDone = true;
          if (batch.events.length > 0) await this.store.insert('span_events', batch.events);
        },
        (error) => error instanceof StoreError && error.retryable,
        {
          attemptsMax: this.options.attemptsMax ?? DEFAULT_SINK_ATTEMPTS_MAX,
          backoffMsMin: this.options.backoffMsMin ?? DEFAULT_SINK_BACKOFF_MS_MIN,
          backoffMsMax: this.options.backoffMsMax ?? DEFAULT_SINK_BACKOFF_MS_MAX,
          sleep: this.options.sleep,
        },
        () => {
          this.stats.batchesRetried += 1;
        },
      );
      this.stats.spansWritten += batch.spans.length;
      this.stats.eventsWritten += batch.events.length;
      this.stats.batchesWritten += 1;
    } catch (error) {
      this.failure = error;
      this.stats.spansDropped += batch.spans.length;
    }
    this.release(rows);
  }

  /**
   * Frees the memory of a written batch and wakes producers once under the
   * limit (or at once after a failure). Still over it with nothing queued,
   * the buffer itself holds the rows: cut it, or its producers would wait for
   * a write that never starts.
   */
  private release(rows: number): void {
    this.rowsHeld -= rows;
    if (this.failure === undefined && this.rowsHeld >= (this.options.bufferRowsMax ?? DEFAULT_BUFFER_ROWS_MAX)) {
      if (this.queue.length === 0) this.cutBatch();
      return;
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}
