import type { TableName } from '../store/schema.js';
import type { SpanStore } from '../store/span-store.js';

/** A store that takes rows as JSONEachRow text in strings (see SpanStore.insertJsonEachRowText). */
export type TextInsertStore = SpanStore & Required<Pick<SpanStore, 'insertJsonEachRowText'>>;

/** Whether `store` takes JSONEachRow text (see TextInsertStore). */
export function takesJsonEachRowText(store: SpanStore): store is TextInsertStore {
  return typeof store.insertJsonEachRowText === 'function';
}

/**
 * Rows serialised together into one piece of text. Small enough that the row
 * objects die young (a scavenge, not a full mark of the heap, frees them);
 * large enough that one `join` amortises. ~1 MB of span JSON.
 */
export const TEXT_PIECE_ROWS = 1_000;

/**
 * The rows of one table on their way into a batch: kept as objects, or, for a
 * store that takes text, as JSONEachRow lines gathered into pieces of
 * TEXT_PIECE_ROWS rows. Building the text as rows arrive spreads the JSON work
 * over the time the previous batch is being written.
 */
export class TableRows {
  private rows: object[] = [];
  /** Text path: lines not yet in a piece (joined flat when cut: a long `+=` chain would be a rope), and their rows. */
  private texts: string[] = [];
  private textRows = 0;
  private readonly pieces: string[] = [];
  private rowCount = 0;

  constructor(readonly asText: boolean) {}

  /** Rows added. */
  get count(): number {
    return this.rowCount;
  }

  /** Row-object path: one row. */
  push(row: object): void {
    if (this.asText) throw new TypeError('TableRows.push on the text path: use pushText');
    this.rows.push(row);
    this.rowCount += 1;
  }

  /** Text path: `rows` rows already as JSONEachRow lines, each ending in '\n'. */
  pushText(lines: string, rows: number): void {
    if (!this.asText) throw new TypeError('TableRows.pushText on the row-object path');
    this.texts.push(lines);
    this.textRows += rows;
    this.rowCount += rows;
    if (this.textRows >= TEXT_PIECE_ROWS) this.cutPiece();
  }

  /** Writes every row to `store` as `table`: one request per insert chunk of the store. */
  async insertInto(store: SpanStore, table: TableName): Promise<void> {
    if (this.rowCount === 0) return;
    if (!this.asText) return store.insert(table, this.rows);
    this.cutPiece();
    if (!takesJsonEachRowText(store)) throw new TypeError(`store ${store.engine} does not take JSONEachRow text`);
    await store.insertJsonEachRowText(table, this.pieces);
  }

  private cutPiece(): void {
    if (this.textRows === 0) return;
    this.pieces.push(this.texts.join(''));
    this.texts = [];
    this.textRows = 0;
  }
}
