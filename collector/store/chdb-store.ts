import { mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Session } from 'chdb';
import { recordMigration } from './migrations.js';
import { schemaStatements, type TableName } from './schema.js';
import { sqlIdentifier, sqlString } from './sql.js';
import { StoreError, type RawRowFormat, type SpanStore } from './span-store.js';

/** Rows per INSERT statement; bigger batches are split. */
const INSERT_CHUNK_ROWS = 20_000;

/**
 * Embedded ClickHouse through chDB: data lives in `path` (default
 * `.baton/chdb`). One session per process and path.
 */
export class ChdbStore implements SpanStore {
  readonly engine = 'chdb' as const;
  private session: Session | undefined;
  /** RowBinary inserts written so far (names their files). */
  private rowBinaryFiles = 0;

  constructor(
    readonly path: string,
    readonly database = 'baton',
  ) {
    sqlIdentifier(database);
  }

  private open(): Session {
    if (!this.session) {
      try {
        mkdirSync(this.path, { recursive: true });
        const session = new Session(this.path);
        // Current ClickHouse writes 64-bit integers as JSON numbers, 18.16 as
        // strings; strings keep nanosecond times exact, and both engines then
        // return the same rows. SET lasts for the session.
        session.query('SET output_format_json_quote_64bit_integers = 1', 'TabSeparated');
        this.session = session;
      } catch (error) {
        throw new StoreError('BATON_ERR_STORE_OPEN', `cannot open embedded ClickHouse at ${this.path}: ${(error as Error).message}`, { cause: error });
      }
    }
    return this.session;
  }

  async migrate(): Promise<void> {
    for (const statement of schemaStatements(this.database)) await this.command(statement);
    await recordMigration(this);
  }

  async insert(table: TableName, rows: readonly object[]): Promise<void> {
    const session = this.open();
    for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
      const chunk = rows.slice(start, start + INSERT_CHUNK_ROWS);
      const payload = chunk.map((row) => JSON.stringify(row)).join('\n');
      try {
        await session.insert({ table: `${this.database}.${table}`, values: Buffer.from(payload), format: 'JSONEachRow' });
      } catch (error) {
        throw new StoreError('BATON_ERR_STORE_INSERT', `insert into ${table} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  readonly rawFormats: readonly RawRowFormat[] = ['JSONEachRow', 'JSONCompactEachRow', 'TabSeparated'];

  /** `insert` of rows that are text already (JSONEachRow, JSONCompactEachRow or TabSeparated), handed to chDB as is. */
  async insertRaw(table: TableName, jsonEachRow: Buffer, format: RawRowFormat = 'JSONEachRow'): Promise<void> {
    const session = this.open();
    try {
      await session.insert({ table: `${this.database}.${table}`, values: jsonEachRow, format });
    } catch (error) {
      throw new StoreError('BATON_ERR_STORE_INSERT', `insert into ${table} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * RowBinary rows, through a file: chDB's inline insert takes text formats
   * only, so the bytes go to a file under the data directory
   * (`insert-files/`), ClickHouse reads it with `INSERT … FROM INFILE`, and
   * the file is removed whatever the outcome. `optimize_on_insert = 0`: a
   * ReplacingMergeTree insert otherwise merges each block with itself to
   * drop rows with the same sort key, a pass over every column that finds
   * nothing to drop in a sweep's rows (a run's rows are distinct, and re-runs
   * are other inserts); queries read FINAL either way. About 11 % less CPU
   * for a 300-seed sweep's inserts (BENCHMARKS.md, ninth session).
   */
  async insertRowBinary(table: TableName, rows: Uint8Array): Promise<void> {
    if (rows.length === 0) return;
    const session = this.open();
    const directory = resolve(this.path, 'insert-files');
    const file = join(directory, `${table}-${process.pid}-${++this.rowBinaryFiles}.rowbinary`);
    try {
      mkdirSync(directory, { recursive: true });
      await writeWhole(file, rows);
      await session.queryAsync(`INSERT INTO ${this.database}.${table} FROM INFILE ${sqlString(file)} SETTINGS optimize_on_insert = 0 FORMAT RowBinary`, { format: 'TabSeparated' });
    } catch (error) {
      throw new StoreError('BATON_ERR_STORE_INSERT', `insert into ${table} failed: ${(error as Error).message}`, { cause: error });
    } finally {
      await rm(file, { force: true });
    }
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    const session = this.open();
    let text: string;
    try {
      text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text();
    } catch (error) {
      throw new StoreError('BATON_ERR_STORE_QUERY', `query failed: ${(error as Error).message}\n${sql}`, { cause: error });
    }
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Row);
  }

  async command(sql: string): Promise<void> {
    const session = this.open();
    try {
      await session.queryAsync(sql, { format: 'TabSeparated' });
    } catch (error) {
      throw new StoreError('BATON_ERR_STORE_QUERY', `statement failed: ${(error as Error).message}\n${sql}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }
}

/**
 * Writes `bytes` to a new file in as few writes as the system takes (one, for
 * a regular file). `fs.promises.writeFile` writes 512 KiB at a time, each
 * chunk waiting for a turn of this thread's event loop: a sweep's 15 MB batch
 * took 30 turns, 0.6–0.9 s, while this thread was simulating seeds (as it
 * does with `--jobs 1`, one turn between seeds).
 */
async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
  } finally {
    await handle.close();
  }
}
