import type { TableName } from './schema.js';

/**
 * Text formats `insertRaw` may take: JSONEachRow (one object per line);
 * where the engine reads it (chDB; not ClickHouse 18.16), JSONCompactEachRow
 * (one array per line holding every column in the table's order: no key
 * names, about half the bytes to build and to parse); and TabSeparated
 * (the columns in table order, escaped as ClickHouse writes them: see
 * collector/tsv-text.ts), which both engines read.
 */
export type RawRowFormat = 'JSONEachRow' | 'JSONCompactEachRow' | 'TabSeparated';

/** Which ClickHouse runs behind a store. */
export type StoreEngine = 'chdb' | 'server';

/**
 * The storage both engines implement: the same schema, the same SQL.
 *
 * - `migrate()` creates the database and tables if missing and records the
 *   schema version; idempotent.
 * - `insert()` writes rows as JSONEachRow; re-inserting identical rows never
 *   shows duplicates to queries that read FINAL.
 * - `query()` runs one SELECT and returns its rows. On both engines 64-bit
 *   integers (UInt64/Int64: counts, nanosecond times, quantiles of integer
 *   columns) come back as exact strings, smaller integers and floats as
 *   numbers: convert with Number() or BigInt().
 *
 * Implementations: `ChdbStore` (embedded), `ServerStore` (HTTP); pick one
 * with `createStore(url?, options)`.
 */
export interface SpanStore {
  readonly engine: StoreEngine;
  readonly database: string;
  migrate(): Promise<void>;
  insert(table: TableName, rows: readonly object[]): Promise<void>;
  /**
   * Optional fast path of `insert`: rows already as JSONEachRow text (one
   * `JSON.stringify`d row per line), written without parsing; the same rows
   * as `insert` would write, with the same idempotence. The collector's spool
   * keeps rows as this text, so its drain skips a parse and a serialization.
   */
  insertRaw?(table: TableName, jsonEachRow: Buffer, format?: RawRowFormat): Promise<void>;
  /**
   * Optional: rows as JSONEachRow text in string pieces (each piece whole
   * lines, each line ending in '\n'), sent as one insert body without
   * joining them first; the rows stored are those `insert` would store for the
   * parsed lines. The span sink's text path uses it (ServerStore).
   */
  insertJsonEachRowText?(table: TableName, pieces: readonly string[]): Promise<void>;
  /**
   * Optional: rows in ClickHouse RowBinary (every column in table order, as
   * `RowBinaryWriter` writes them), stored as `insert` would store the same
   * values. The sweep writes its spans and span events this way where the
   * store has it (chDB): the engine reads them without parsing text.
   */
  insertRowBinary?(table: TableName, rows: Uint8Array): Promise<void>;
  /** The formats `insertRaw` takes (default: JSONEachRow only). */
  readonly rawFormats?: readonly RawRowFormat[];
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  /** Runs a statement that returns nothing (DDL, ALTER). */
  command(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A failure of the storage backend (exit code 3 at the CLI). `retryable` says
 * whether trying the same operation again later may succeed (server down or
 * restarting); bad credentials, bad SQL and bad configuration are not.
 *
 * Codes: BATON_ERR_STORE_OPEN, BATON_ERR_STORE_QUERY, BATON_ERR_STORE_INSERT,
 * BATON_ERR_STORE_UNREACHABLE, BATON_ERR_STORE_AUTH,
 * BATON_ERR_CONFIG_CLICKHOUSE_URL. No message contains a password.
 */
export class StoreError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? false;
    this.name = 'StoreError';
  }
}
