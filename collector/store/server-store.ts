import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { withBackoff, type BackoffOptions } from './backoff.js';
import { parseClickHouseUrl, type ClickHouseUrl } from './clickhouse-url.js';
import { recordMigration } from './migrations.js';
import { schemaStatements, type TableName } from './schema.js';
import { StoreError, type RawRowFormat, type SpanStore } from './span-store.js';

/** Options of the server store. Every default is listed here and set once. */
export interface ServerStoreOptions {
  /** Attempts per operation for transient failures once the server has answered. Default 10 (~21 s of waits). */
  attemptsMax?: number;
  /** Attempts before the server has answered once, so that "down at start" fails fast. Default 3. */
  connectAttemptsMax?: number;
  /** First backoff wait. Default 100 ms. */
  backoffMsMin?: number;
  /** Longest backoff wait. Default 5,000 ms. */
  backoffMsMax?: number;
  /** HTTP request timeout. Default 60,000 ms. */
  requestTimeoutMs?: number;
  /** Rows per INSERT request; bigger inserts are split. Default 100,000. */
  insertChunkRows?: number;
  /** `ON CLUSTER` DDL with replicated + Distributed tables (see schema.ts). Default: none. */
  cluster?: string;
  /** Waits between attempts (tests pass a fake). Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_ATTEMPTS_MAX = 10;
export const DEFAULT_CONNECT_ATTEMPTS_MAX = 3;
export const DEFAULT_BACKOFF_MS_MIN = 100;
export const DEFAULT_BACKOFF_MS_MAX = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_INSERT_CHUNK_ROWS = 100_000;

/** Node socket errors that mean "the server is not there right now". */
const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
/** ClickHouse error codes for bad credentials (18.16 and current). */
const AUTH_CODES = new Set([192, 193, 194, 195, 516]);
/**
 * ClickHouse error codes a retry may cure: too many queries, socket timeout,
 * network error, aborted at shutdown, cancelled, and 216 "query with this id
 * is already running" (an earlier attempt of the same request, see `call`).
 */
const TRANSIENT_CODES = new Set([202, 209, 210, 216, 236, 394]);
/** Unknown table, unknown database. */
const MISSING_OBJECT_CODES = new Set([60, 81]);

type Failure = 'unreachable' | 'auth' | 'transient' | 'missing' | 'query';

/** What went wrong, from an error thrown by @clickhouse/client. */
export function classifyServerError(error: unknown): Failure {
  const errno = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof errno === 'string' && UNREACHABLE_ERRNOS.has(errno)) return 'unreachable';
  if (/socket hang up|Timeout error|other side closed/i.test(message)) return 'unreachable';
  // An error answer with an empty body: 18.16 shutting down (seen mid-restart, under load). A
  // query error always says "Code: N", so this is the server, not the statement.
  if (message.trim() === '') return 'transient';
  // 18.16 answers "Code: 193, e.displayText() = ..."; current versions "Code: 516. DB::Exception: ...".
  const code = Number(/Code: (\d+)/.exec(message)?.[1] ?? NaN);
  if (AUTH_CODES.has(code) || /Authentication failed/i.test(message)) return 'auth';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  if (MISSING_OBJECT_CODES.has(code)) return 'missing';
  return 'query';
}

/**
 * A ClickHouse server through @clickhouse/client (HTTP). Works with 18.16:
 * no session, no query parameters, no settings 18.16 does not know; every
 * table name is qualified with the database, so the database need not exist
 * before `migrate()`.
 *
 * Transient failures (connection refused/reset, server restarting) are
 * retried with bounded exponential backoff; what is left after the last
 * attempt is a StoreError `BATON_ERR_STORE_UNREACHABLE` (retryable). Bad
 * credentials are `BATON_ERR_STORE_AUTH` at once. Messages name the URL
 * without its password.
 */
export class ServerStore implements SpanStore {
  readonly engine = 'server' as const;
  readonly database: string;
  /** The URL without its password, for messages. */
  readonly url: string;
  private readonly target: ClickHouseUrl;
  private readonly client: ClickHouseClient;
  private answered = false;
  /**
   * migrate() succeeded on this store. From then on "table/database doesn't
   * exist" means the server is shutting down: 18.16 keeps serving open
   * keep-alive connections after SIGTERM and answers them so once its tables
   * are detached. Such failures are retried like a refused connection.
   */
  private schemaKnown = false;
  private retries = 0;

  constructor(
    url: string,
    private readonly options: ServerStoreOptions = {},
  ) {
    this.target = parseClickHouseUrl(url);
    this.database = this.target.database;
    this.url = this.target.redacted;
    this.client = createClient({
      url: this.target.origin,
      username: this.target.username,
      password: this.target.password,
      request_timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // 18.16 default, and current servers default to numbers: pin it so both
      // engines return 64-bit integers (nanosecond times) as exact strings.
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async migrate(): Promise<void> {
    for (const statement of schemaStatements(this.database, { cluster: this.options.cluster })) await this.command(statement);
    await recordMigration(this);
    this.schemaKnown = true;
  }

  async insert(table: TableName, rows: readonly object[]): Promise<void> {
    const chunkRows = this.options.insertChunkRows ?? DEFAULT_INSERT_CHUNK_ROWS;
    for (let start = 0; start < rows.length; start += chunkRows) {
      const values = rows.slice(start, start + chunkRows);
      await this.call(`insert into ${table}`, 'BATON_ERR_STORE_INSERT', async (queryId) => {
        await this.client.insert({
          table: `${this.database}.${table}`,
          values,
          format: 'JSONEachRow',
          query_id: queryId,
          // Into a Distributed table, wait until every shard has the rows: a retried
          // batch then never races its own asynchronous copy, and reads see it at once.
          ...(this.options.cluster === undefined ? {} : { clickhouse_settings: { insert_distributed_sync: 1 } }),
        });
      });
    }
  }

  /** ClickHouse 18.16 reads no JSONCompactEachRow. */
  readonly rawFormats: readonly RawRowFormat[] = ['JSONEachRow', 'TabSeparated'];

  /** `insert` of rows that are JSONEachRow (or TabSeparated) text already: one request, the text as its body. */
  async insertRaw(table: TableName, text: Buffer, format: RawRowFormat = 'JSONEachRow'): Promise<void> {
    if (!this.rawFormats.includes(format)) throw new StoreError('BATON_ERR_STORE_INSERT', `insert into ${table}: the server store does not take ${format} rows`);
    await this.insertBody(table, format, [text]);
  }

  /**
   * `insert` of rows already serialised as JSONEachRow text: `pieces` of whole
   * lines, each piece ending in '\n', sent in order as the body of one INSERT
   * (so one part on the server). Strings, not a Buffer: in a process with a
   * large heap, Buffers of this size (external memory) made V8 mark the heap
   * several times as hard and doubled the process's CPU per span
   * (bench/server-insert-probe.ts, 1,000 seeds). Used by SpanSink.
   */
  async insertJsonEachRowText(table: TableName, pieces: readonly string[]): Promise<void> {
    if (pieces.length === 0) return;
    await this.insertBody(table, 'JSONEachRow', pieces);
  }

  /** One INSERT of `table` whose body is `chunks` in order (rows in `format`), retried as a whole. */
  private async insertBody(table: TableName, format: RawRowFormat, chunks: readonly (Buffer | string)[]): Promise<void> {
    await this.call(`insert into ${table}`, 'BATON_ERR_STORE_INSERT', async (queryId) => {
      const { stream } = await this.client.exec({
        query: `INSERT INTO ${this.database}.${table} FORMAT ${format}`,
        query_id: queryId,
        // A fresh stream per attempt: a retry sends the whole text again.
        values: Readable.from(chunks),
        ...(this.options.cluster === undefined ? {} : { clickhouse_settings: { insert_distributed_sync: 1 } }),
      });
      stream.resume();
      await new Promise<void>((resolve, reject) => stream.on('end', resolve).on('error', reject));
    });
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    return this.call(`query\n${sql}`, 'BATON_ERR_STORE_QUERY', async (queryId) => {
      const result = await this.client.query({ query: sql, format: 'JSONEachRow', query_id: queryId });
      return result.json<Row>();
    });
  }

  async command(sql: string): Promise<void> {
    await this.call(`statement\n${sql}`, 'BATON_ERR_STORE_QUERY', async (queryId) => {
      await this.client.command({ query: sql, query_id: queryId });
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Requests that failed transiently and were sent again, since construction. */
  get requestsRetried(): number {
    return this.retries;
  }

  /**
   * Runs one request with retries and turns what escapes into a StoreError.
   * Every attempt carries the same `query_id`: after a timeout or a reset the
   * server may still be running the first attempt (a long INSERT … SELECT
   * was once sent four times this way), and while it does, the server refuses
   * the resend with code 216, which is retried after a backoff wait. So at
   * most one copy of a request runs at a time; a resend after the first copy
   * finished re-runs it, which every statement of baton tolerates (inserts
   * dedupe under FINAL, DDL is IF [NOT] EXISTS).
   */
  private async call<T>(what: string, failureCode: string, request: (queryId: string) => Promise<T>): Promise<T> {
    const queryId = randomUUID();
    const backoff: BackoffOptions = {
      attemptsMax: this.answered
        ? (this.options.attemptsMax ?? DEFAULT_ATTEMPTS_MAX)
        : (this.options.connectAttemptsMax ?? DEFAULT_CONNECT_ATTEMPTS_MAX),
      backoffMsMin: this.options.backoffMsMin ?? DEFAULT_BACKOFF_MS_MIN,
      backoffMsMax: this.options.backoffMsMax ?? DEFAULT_BACKOFF_MS_MAX,
      sleep: this.options.sleep,
    };
    try {
      const result = await withBackoff(() => request(queryId), (error) => this.isRetryable(classifyServerError(error)), backoff, () => {
        this.retries += 1;
      });
      this.answered = true;
      return result;
    } catch (error) {
      throw this.storeError(error, what, failureCode);
    }
  }

  private isRetryable(failure: Failure): boolean {
    return failure === 'unreachable' || failure === 'transient' || (failure === 'missing' && this.schemaKnown);
  }

  private storeError(error: unknown, what: string, failureCode: string): StoreError {
    const detail = this.scrub(error instanceof Error ? error.message : String(error)).trim();
    const failure = classifyServerError(error);
    if (failure === 'unreachable' || failure === 'transient') {
      return new StoreError('BATON_ERR_STORE_UNREACHABLE', `ClickHouse server ${this.url} is unreachable (${detail}); is it running?`, {
        cause: error,
        retryable: true,
      });
    }
    this.answered = true;
    if (failure === 'auth') {
      return new StoreError(
        'BATON_ERR_STORE_AUTH',
        `ClickHouse server ${this.url} refused the credentials of user ${JSON.stringify(this.target.username)}: ${detail}`,
        { cause: error },
      );
    }
    const [label, ...sql] = what.split('\n');
    const restarting = failure === 'missing' && this.schemaKnown ? ' (it existed after migrate: the server may be restarting)' : '';
    return new StoreError(failureCode, [`${this.url}: ${label} failed: ${detail}${restarting}`, ...sql].join('\n'), {
      cause: error,
      retryable: restarting !== '',
    });
  }

  /** Removes the password from server or socket text, in case either echoes it. */
  private scrub(text: string): string {
    const password = this.target.password;
    if (password === '') return text;
    return text.split(password).join('***').split(encodeURIComponent(password)).join('***');
  }
}
