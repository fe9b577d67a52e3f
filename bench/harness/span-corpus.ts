import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../../collector/span-rows.js';
import type { SpanEventRow, SpanRow } from '../../collector/store/rows.js';
import type { Scenario } from '../../scenarios/format/load-scenario.js';
import { loadResearchPipeline, simulateSeed } from './research-pipeline.js';

/** The spans of one simulated run, with the run columns they are stored under. */
export interface RunSpans {
  columns: RunColumns;
  records: SpanRecord[];
}

/** Simulates seeds `1..seeds` of the research pipeline (or `scenario`) and keeps every span record. */
export async function researchPipelineSpans(seeds: number, sweepId = 'bench', scenario: Scenario = loadResearchPipeline()): Promise<RunSpans[]> {
  const runs: RunSpans[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const records: SpanRecord[] = [];
    await simulateSeed(scenario, seed, { kind: 'records', listener: (record) => records.push(record) });
    const columns: RunColumns = {
      runId: `bench-${String(seed).padStart(6, '0')}`,
      sweepId,
      scenario: scenario.spec.name,
      seed,
      recordedDate: '2025-01-01',
      serviceName: 'baton-sim',
    };
    runs.push({ columns, records });
  }
  return runs;
}

/** The rows of both span tables, as the SpanSink would build them. */
export function corpusRows(runs: readonly RunSpans[]): { spans: SpanRow[]; events: SpanEventRow[] } {
  const spans: SpanRow[] = [];
  const events: SpanEventRow[] = [];
  for (const run of runs) {
    for (const record of run.records) {
      spans.push(spanRow(record, run.columns));
      for (const event of spanEventRows(record, run.columns)) events.push(event);
    }
  }
  return { spans, events };
}

/** Rows per string joined before it becomes bytes: 1,000 seeds of rows exceed V8's longest string. */
const ROWS_PER_CHUNK = 10_000;

/** One JSONEachRow payload. */
export function jsonEachRow(rows: readonly object[]): Buffer {
  const chunks: Buffer[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    const lines = rows.slice(start, start + ROWS_PER_CHUNK).map((row) => JSON.stringify(row));
    chunks.push(Buffer.from(`${lines.join('\n')}\n`));
  }
  return Buffer.concat(chunks);
}
