import { schemaStatements, type TableName } from '../../collector/store/schema.js';
import { sqlIdentifier } from '../../collector/store/sql.js';
import { StoreError, type SpanStore } from '../../collector/store/span-store.js';

/**
 * A bare SpanStore over ClickHouse's HTTP interface (fetch, JSONEachRow), for
 * benchmarks only, used while collector/store has no server store. It does
 * what the report path needs and nothing more: no batching, retries or
 * credentials handling.
 */
export class BenchHttpStore implements SpanStore {
  readonly engine = 'server' as const;

  constructor(
    readonly url: string,
    readonly database: string,
  ) {
    sqlIdentifier(database);
  }

  async migrate(): Promise<void> {
    for (const statement of schemaStatements(this.database)) await this.command(statement);
  }

  async insert(table: TableName, rows: readonly object[]): Promise<void> {
    const body = rows.map((row) => JSON.stringify(row)).join('\n');
    await this.post(`INSERT INTO ${this.database}.${table} FORMAT JSONEachRow`, body);
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    const text = await this.post(`${sql}\nFORMAT JSONEachRow`);
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Row);
  }

  async command(sql: string): Promise<void> {
    await this.post(sql);
  }

  async close(): Promise<void> {}

  private async post(sql: string, data?: string): Promise<string> {
    const target = data === undefined ? this.url : `${this.url}/?query=${encodeURIComponent(sql)}`;
    const response = await fetch(target, { method: 'POST', body: data ?? sql });
    const text = await response.text();
    if (!response.ok) throw new StoreError('BATON_ERR_STORE_QUERY', `HTTP ${response.status}: ${text.slice(0, 500)}\n${sql.slice(0, 500)}`);
    return text;
  }
}
