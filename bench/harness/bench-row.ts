/**
 * One line of the benchmark table. `value` is the median of `samples` timed
 * runs; `baselineValue` (when present) was measured in the same process run,
 * interleaved with `value`, and `ratio` = value / baselineValue.
 */
export interface BenchRow {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  samples: number;
  baseline?: string;
  baselineValue?: number;
  ratio?: number;
  goal?: string;
  /** `met`, `missed`, or absent when the row has no goal. */
  goalStatus?: 'met' | 'missed';
  note?: string;
}

/** Marker that prefixes the JSON result line a bench command prints for `bench/run.ts`. */
export const RESULT_MARKER = 'BATON_BENCH_RESULT ';

/** Prints rows as a table, and as one marked JSON line when run under `bench/run.ts`. */
export function emitRows(rows: readonly BenchRow[]): void {
  console.log(formatTable(rows));
  if (process.env.BATON_BENCH_CHILD === '1') console.log(RESULT_MARKER + JSON.stringify(rows));
}

/** Human-friendly number: 3 significant digits, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Markdown table of rows (also readable in a terminal). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['bench', 'metric', 'median', 'unit', 'n', 'baseline (same run)', 'ratio', 'goal', '', 'note'];
  const lines = rows.map((row) => [
    row.bench,
    row.metric,
    formatNumber(row.value),
    row.unit,
    String(row.samples),
    row.baseline === undefined ? '' : `${row.baseline}: ${formatNumber(row.baselineValue ?? NaN)}`,
    row.ratio === undefined ? '' : row.ratio.toFixed(3),
    row.goal ?? '',
    row.goalStatus === undefined ? '' : row.goalStatus === 'met' ? 'met' : 'MISSED',
    row.note ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}
