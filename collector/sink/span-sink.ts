import type { SpanStore } from '../store/span-store.js';
import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../span-rows.js';
import type { SpanEventRow, SpanRow } from '../store/rows.js';

/** Batching of the sink. Defaults are listed where declared. */
export interface SpanSinkOptions {
  /** Rows per insert. Default 10,000. */
  batchRows?: number;
}

export const DEFAULT_BATCH_ROWS = 10_000;

/**
 * Turns finished spans into rows and writes them to a store in batches.
 * `add` only buffers up to one batch; `flush` writes what is left.
 */
export class SpanSink {
  private spans: SpanRow[] = [];
  private events: SpanEventRow[] = [];
  private pending: Promise<void> = Promise.resolve();
  private written = 0;

  constructor(
    private readonly store: SpanStore,
    private readonly options: SpanSinkOptions = {},
  ) {}

  /** Buffers one span of `run`; starts a write when a batch is full. */
  add(span: SpanRecord, run: RunColumns): void {
    this.spans.push(spanRow(span, run));
    for (const row of spanEventRows(span, run)) this.events.push(row);
    if (this.spans.length >= (this.options.batchRows ?? DEFAULT_BATCH_ROWS)) this.startWrite();
  }

  /** Writes every buffered row; resolves when the store has them. */
  async flush(): Promise<void> {
    this.startWrite();
    await this.pending;
  }

  /** Spans written so far. */
  get spansWritten(): number {
    return this.written;
  }

  private startWrite(): void {
    const spans = this.spans;
    const events = this.events;
    this.spans = [];
    this.events = [];
    if (spans.length === 0 && events.length === 0) return;
    this.pending = this.pending.then(async () => {
      if (spans.length > 0) await this.store.insert('spans', spans);
      if (events.length > 0) await this.store.insert('span_events', events);
      this.written += spans.length;
    });
  }
}
