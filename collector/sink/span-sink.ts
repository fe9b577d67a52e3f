import { withBackoff } from '../store/backoff.js';
import type { SpanStore } from '../store/span-store.js';
import { StoreError } from '../store/span-store.js';
import { RunRowLines } from '../span-lines.js';
import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../span-rows.js';
import { TEXT_PIECE_ROWS, TableRows, takesJsonEachRowText } from './table-rows.js';

/**
 * Batching, memory bound and retries of the sink. Every default is listed
 * here. Three defaults depend on the store: one that takes JSONEachRow text
 * (a ClickHouse server, see `rowsAsText`) gets fewer, larger INSERTs, because
 * each INSERT makes a part the server must merge later, and it parses each
 * INSERT on one thread while the sink serialises the next batch.
 */
export interface SpanSinkOptions {
  /**
   * A batch is written once it holds this many span rows (their event rows ride
   * along: `bufferRowsMax` bounds the total). Default 10,000; 100,000 with a
   * text store.
   */
  batchRows?: number;
  /** A non-empty batch is written at most this long after its first row. 0 turns the timer off. Default 1,000 ms. */
  flushIntervalMs?: number;
  /**
   * Rows held in memory (buffered + waiting + being written) at which `add`
   * returns a promise that resolves when writes made room: await it.
   * Default 50,000; 250,000 with a text store (one batch being written, the
   * next one filling, their events).
   */
  bufferRowsMax?: number;
  /**
   * Rows held at which `add` throws `BATON_ERR_SINK_OVERFLOW` instead of
   * buffering: a producer that ignores backpressure fails loudly rather than
   * growing without bound. Default 4 × bufferRowsMax.
   */
  bufferRowsHardMax?: number;
  /**
   * Batches written at the same time. Inserts are idempotent and unordered.
   * Default 2 (chDB parses in its own threads while the next batch is built);
   * 1 with a text store: the serialising is done while rows arrive, so one
   * insert at a time keeps the server's core parsing while the sink's builds.
   */
  writesInFlightMax?: number;
  /**
   * Serialise rows to JSONEachRow text every TEXT_PIECE_ROWS rows, as they
   * arrive, and insert the text, when the store takes text
   * (`insertJsonEachRowText`: ServerStore); other stores always get row
   * objects. Default true.
   */
  rowsAsText?: boolean;
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
export const DEFAULT_TEXT_BATCH_ROWS = 100_000;
export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_BUFFER_ROWS_MAX = 50_000;
export const DEFAULT_TEXT_BUFFER_ROWS_MAX = 250_000;
export const DEFAULT_WRITES_IN_FLIGHT_MAX = 2;
export const DEFAULT_TEXT_WRITES_IN_FLIGHT_MAX = 1;
export const DEFAULT_SINK_ATTEMPTS_MAX = 5;
export const DEFAULT_SINK_BACKOFF_MS_MIN = 500;
export const DEFAULT_SINK_BACKOFF_MS_MAX = 10_000;

/** The options with their defaults applied (the only place defaults of batching are applied). */
interface ResolvedLimits {
  asText: boolean;
  batchRows: number;
  bufferRowsMax: number;
  bufferRowsHardMax: number;
  writesInFlightMax: number;
}

function resolveLimits(store: SpanStore, options: SpanSinkOptions): ResolvedLimits {
  const asText = (options.rowsAsText ?? true) && takesJsonEachRowText(store);
  const bufferRowsMax = options.bufferRowsMax ?? (asText ? DEFAULT_TEXT_BUFFER_ROWS_MAX : DEFAULT_BUFFER_ROWS_MAX);
  return {
    asText,
    batchRows: options.batchRows ?? (asText ? DEFAULT_TEXT_BATCH_ROWS : DEFAULT_BATCH_ROWS),
    bufferRowsMax,
    bufferRowsHardMax: options.bufferRowsHardMax ?? 4 * bufferRowsMax,
    writesInFlightMax: Math.max(1, options.writesInFlightMax ?? (asText ? DEFAULT_TEXT_WRITES_IN_FLIGHT_MAX : DEFAULT_WRITES_IN_FLIGHT_MAX)),
  };
}

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
  spans: TableRows;
  events: TableRows;
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
  private readonly limits: ResolvedLimits;
  private spans: TableRows;
  private events: TableRows;
  private rowsHeld = 0;
  /** Line builder of the run last added (text path). */
  private lines: RunRowLines | undefined;
  /** Batches cut but not yet being written. */
  private queue: Batch[] = [];
  private writesInFlight = 0;
  /** Spans added since add() last returned a promise to let writes progress (text path). */
  private spansSinceYield = 0;
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
  ) {
    this.limits = resolveLimits(store, options);
    this.spans = new TableRows(this.limits.asText);
    this.events = new TableRows(this.limits.asText);
  }

  /**
   * Buffers one span of `run` (and its events). Returns nothing while there
   * is room, or a promise that resolves once writes brought the rows held
   * under `bufferRowsMax` (or the sink failed; the next call throws). On the
   * text path it also returns, every TEXT_PIECE_ROWS spans while a write is
   * under way, a promise that resolves at the next turn of the event loop, so
   * that the write's bytes keep flowing. Await every promise it returns. Throws when closed,
   * failed, or past `bufferRowsHardMax`.
   */
  add(span: SpanRecord, run: RunColumns): void | Promise<void> {
    if (this.closed) throw new StoreError('BATON_ERR_SINK_CLOSED', 'span sink is closed');
    if (this.failure !== undefined) throw this.failure;
    const { batchRows, bufferRowsMax, bufferRowsHardMax: hardMax } = this.limits;
    const eventCount = span.events.length;
    if (this.rowsHeld + 1 + eventCount > hardMax && this.rowsHeld > 0) {
      throw new StoreError(
        'BATON_ERR_SINK_OVERFLOW',
        `span sink holds ${this.rowsHeld} rows, over its hard limit of ${hardMax}: await the promise add() returns`,
      );
    }
    if (this.limits.asText) {
      // Text path: the JSON lines straight from the record (RunRowLines), no row objects.
      if (this.lines === undefined || !sameRunColumns(this.lines.run, run)) this.lines = new RunRowLines({ ...run });
      this.spans.pushText(this.lines.span(span), 1);
      if (eventCount > 0) this.events.pushText(this.lines.events(span), eventCount);
    } else {
      this.spans.push(spanRow(span, run));
      for (const row of spanEventRows(span, run)) this.events.push(row);
    }
    this.rowsHeld += 1 + eventCount;
    if (this.spans.count >= batchRows) this.cutBatch();
    else this.armTimer();
    if (this.rowsHeld < bufferRowsMax) return this.yieldToWrites();
    // Over the limit. A producer that cannot await (a synchronous SpanProcessor.onEnd)
    // keeps adding: cutting on every add would write one INSERT per span. Cut a
    // half-full buffer, or any buffer when no write is under way to make room.
    if (this.spans.count >= batchRows / 2 || this.writesInFlight + this.queue.length === 0) this.cutBatch();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * With the text path and a write under way, every TEXT_PIECE_ROWS spans: a
   * promise that resolves at the next turn of the event loop. The insert's
   * body reaches the socket only while the loop runs; a producer that adds
   * spans without ever awaiting would let the server wait for bytes (in the
   * 1,000-seed storage benchmark, ~30 % of the sink's time), then block on
   * backpressure while the server parses. Returns nothing otherwise.
   */
  private yieldToWrites(): Promise<void> | undefined {
    if (!this.limits.asText || this.writesInFlight === 0) return undefined;
    this.spansSinceYield += 1;
    if (this.spansSinceYield < TEXT_PIECE_ROWS) return undefined;
    this.spansSinceYield = 0;
    return new Promise((resolve) => setImmediate(resolve));
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
    if (this.spans.count === 0 && this.events.count === 0) return;
    const batch: Batch = { spans: this.spans, events: this.events, spansDone: false };
    this.spans = new TableRows(this.limits.asText);
    this.events = new TableRows(this.limits.asText);
    this.queue.push(batch);
    this.pump();
  }

  /** Starts queued batches up to `writesInFlightMax`; wakes flush() callers once all are written. */
  private pump(): void {
    while (this.writesInFlight < this.limits.writesInFlightMax && this.queue.length > 0) {
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
    const rows = batch.spans.count + batch.events.count;
    if (this.failure !== undefined) {
      this.stats.spansDropped += batch.spans.count;
      this.release(rows);
      return;
    }
    try {
      await withBackoff(
        async () => {
          if (!batch.spansDone) await batch.spans.insertInto(this.store, 'spans');
          batch.spansDone = true;
          await batch.events.insertInto(this.store, 'span_events');
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
      this.stats.spansWritten += batch.spans.count;
      this.stats.eventsWritten += batch.events.count;
      this.stats.batchesWritten += 1;
    } catch (error) {
      this.failure = error;
      this.stats.spansDropped += batch.spans.count;
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
    if (this.failure === undefined && this.rowsHeld >= this.limits.bufferRowsMax) {
      if (this.queue.length === 0) this.cutBatch();
      return;
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Same run columns (compared by value: a caller may reuse one object for several runs). */
function sameRunColumns(a: RunColumns, b: RunColumns): boolean {
  return a.runId === b.runId && a.sweepId === b.sweepId && a.scenario === b.scenario && a.seed === b.seed && a.recordedDate === b.recordedDate && a.serviceName === b.serviceName;
}
