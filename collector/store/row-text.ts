import { parseTsvString, parseTsvStrings } from '../tsv-text.js';
import { tableColumns, type TableName } from './schema.js';
import type { RawRowFormat, SpanStore } from './span-store.js';

/**
 * Inserts rows given as text in `format` (each row a line ending in '\n'):
 * as is where the store's `insertRaw` takes that format, else parsed back into
 * row objects for `insert`. The sweep's writer and the spool's drain both
 * insert this way.
 */
export async function insertRowText(store: SpanStore, table: TableName, text: Buffer, format: RawRowFormat): Promise<void> {
  if (text.length === 0) return;
  if (store.insertRaw !== undefined && (format === 'JSONEachRow' || (store.rawFormats ?? []).includes(format))) {
    await store.insertRaw(table, text, format);
    return;
  }
  await store.insert(table, rowsOf(text, format, table));
}

/** Rows of `table` as text in `format` → row objects (keys in column order, values of the types the row interfaces declare). */
export function rowsOf<Row>(text: Buffer, format: RawRowFormat, table: TableName): Row[] {
  const lines = text
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  if (format === 'JSONEachRow') return lines.map((line) => JSON.parse(line) as Row);
  const columns = tableColumns(table);
  const valuesOf = format === 'JSONCompactEachRow' ? (line: string) => JSON.parse(line) as unknown[] : (line: string) => tsvValues(line, columns);
  return lines.map((line) => {
    const values = valuesOf(line);
    return Object.fromEntries(columns.map((column, index) => [column, values[index]])) as Row;
  });
}

/**
 * Integer columns whose row values are numbers; the others (nanosecond times,
 * UInt64) are strings, as in `SpanRow` and `SpanEventRow`.
 */
const NUMBER_COLUMNS = new Set([
  'seed',
  'kind',
  'status_code',
  'handoff_attempt',
  'handoff_schema_version',
  'context_bytes',
  'context_tokens',
  'input_tokens',
  'output_tokens',
  'event_index',
]);

/** A TabSeparated line of `spans` or `span_events` as its values (escaped tabs and newlines are `\t`, `\n`: splitting is safe). */
function tsvValues(line: string, columns: readonly string[]): unknown[] {
  return line.split('\t').map((field, index) => {
    const column = columns[index]!;
    if (column.startsWith('attributes.')) return parseTsvStrings(field);
    return NUMBER_COLUMNS.has(column) ? Number(field) : parseTsvString(field);
  });
}
