import type { TableName } from '../store/schema.js';
import type { SpanStore } from '../store/span-store.js';

/**
 * A store that also takes rows as JSONEachRow text in strings (ServerStore).
 * `pieces` are whole lines, each piece ending in '\n'; the rows stored are
 * those `insert` would store for the parsed lines.
 */
export interface TextInsertStore extends SpanStore {
  insertJsonEachRowText(table: TableName, pieces: readonly string[]): Promise<void>;
}

/** Whether `store` takes JSONEachRow text (see TextInsertStore). */
export function takesJsonEachRowText(store: SpanStore): store is TextInsertStore {
  return typeof (store as Partial<TextInsertStore>).insertJsonEachRowText === 'function';
}

/**
 * Rows serialised together into one piece of text. Small enough that the row
 * objects die young (a scavenge, not a full mark of the heap, frees them);
 * large enough that one `join` amortises. ~1 MB of span JSON.
 */
export const TEXT_PIECE_ROWS = 1_000;

/**
 * The rows of one table on their way into a batch: kept as objects, or, for a
 * store that takes text, serialised every TEXT_PIECE_ROWS rows. Serialising as
 * rows arrive spreads the JSON work over the time the previous batch is being
 * written, and frees each row object soon after it was built.
 */
export class TableRows {
  private rows: object[] = [];
  private readonly pieces: string[] = [];
  private rowCount = 0;

  constructor(readonly asText: boolean) {}

  /** Rows added. */
  get count(): number {
    return this.rowCount;
  }

  push(row: object): void {
    this.rows.push(row);
    this.rowCount += 1;
    if (this.asText && this.rows.length >= TEXT_PIECE_ROWS) this.serialise();
  }

  /** Writes every row to `store` as `table`: one request per insert chunk of the store. */
  async insertInto(store: SpanStore, table: TableName): Promise<void> {
    if (this.rowCount === 0) return;
    if (!this.asText) return store.insert(table, this.rows);
    this.serialise();
    if (!takesJsonEachRowText(store)) throw new TypeError(`store ${store.engine} does not take JSONEachRow text`);
    await store.insertJsonEachRowText(table, this.pieces);
  }

  private serialise(): void {
    if (this.rows.length === 0) return;
    this.pieces.push(`${this.rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    this.rows = [];
  }
}
