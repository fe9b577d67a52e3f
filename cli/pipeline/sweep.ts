import { hostname } from 'node:os';
import { insertRowText } from '../../collector/store/row-text.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import type { RunMetricRow, RunRow, SweepRunRow, ViolationRow } from '../../collector/store/rows.js';
import { finalTable } from '../../reports/sql.js';
import type { Scenario } from '../../scenarios/format/load-scenario.js';
import { EXIT } from '../exit-codes.js';
import { buildSweepDocument, type SweepDocument } from './sweep-document.js';
import { queryByRuns } from './sweep-metrics.js';
import { simulateSeeds, sweepWorkerCount, SweepWorkers } from './sweep-pool.js';
import { SweepProgress } from './sweep-progress.js';
import { shardSeeds, type Shard } from './sweep-seeds.js';
import { seedRunId, type SeedRows, type SeedTask, type SweepRowFormat } from './sweep-seed.js';

/**
 * Span rows buffered before an insert starts (two batches at most are in
 * memory). chDB's working memory per insert grows with the batch: with
 * JSONCompactEachRow a 300-seed `--jobs 1` sweep peaked at 648 MiB with
 * 8,000-row batches and 1,061 MiB with 32,000. RowBinary needs far less:
 * 3,000-seed `--jobs 2` sweeps peaked at 734–751 MiB with 32,000 (677–714
 * with 8,000), 20,000 seeds at 831 MiB; and a part per 32,000 rows instead of
 * per 8,000 saves merges: 3,000 seeds took 82–89 CPU-s against 101–107.
 */
export const SWEEP_BATCH_SPAN_ROWS = 32_000;

/**
 * Runs whose run-level rows (violations, run_metrics, runs) wait for one
 * insert per table: every chDB insert costs ~4–11 ms whatever its size, so
 * a 1,000-seed sweep makes 4 of each instead of one per span batch (17).
 */
export const SWEEP_BATCH_RUNS = 250;

/** What a sweep needs. */
export interface SweepRequest {
  scenario: Scenario;
  /** How the user names the scenario file (replay commands). */
  scenarioRef: string;
  /** Every seed of the sweep; a shard runs its part. */
  seeds: readonly number[];
  shard?: Shard;
  jobs: number;
  sweepId: string;
  store: SpanStore;
  /** Assertions on top of the scenario's `assert:` block, checked per seed. */
  extraAssertions?: string[];
  /** Where progress goes; none prints nothing. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The outcome of a sweep: sweep.json and the exit code of this invocation. */
export interface SweepOutcome {
  document: SweepDocument;
  /** 1 when a seed this invocation ran violated an invariant or an assertion. */
  exitCode: number;
}

/**
 * Runs a sweep: simulates this shard's seeds (in worker threads when
 * jobs > 1), stores every run's spans, events, run row and violations from
 * the main thread, records each seed's run as a member of the sweep
 * (`sweep_runs`), then builds sweep.json from storage over all the sweep's
 * seeds stored so far (so the last shard's document covers every shard).
 */
export async function runSweep(request: SweepRequest): Promise<SweepOutcome> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const { store, scenario } = request;
  const mine = shardSeeds(request.seeds, request.shard);
  // Started first, so that the threads load their modules while this one opens the store.
  const count = sweepWorkerCount(request.jobs, mine.length);
  const workers = count > 0 ? new SweepWorkers(scenario, count) : undefined;
  try {
    await store.migrate();
    const dates = await recordedDates(store, mine.map((seed) => seedRunId(scenario, seed)));
    const today = new Date().toISOString().slice(0, 10);
    const rowFormat = sweepRowFormat(store);
    const tasks: SeedTask[] = mine.map((seed) => ({ seed, sweepId: request.sweepId, recordedDate: dates.get(seedRunId(scenario, seed)) ?? today, rowFormat }));
    const progress = request.progress ? new SweepProgress(tasks.length, request.progress, `sweep ${scenario.spec.name}`) : undefined;
    const writer = new RowWriter(store);
    const onRows = async (rows: SeedRows): Promise<void> => {
      progress?.tick(rows.summary);
      await writer.add(rows);
    };
    try {
      await simulateSeeds(scenario, tasks, workers, onRows);
    } catch (error) {
      await writer.settle(); // no insert may still run when the caller closes the store
      throw error;
    }
    await workers?.terminate(); // done with the threads: stopped before the last insert and the report
    await writer.flush();
    // After the runs: every seed of this shard belongs to the sweep, whatever
    // other sweep or replay stored its run before or stores it later.
    await store.insert('sweep_runs', sweepRunRows(request.sweepId, tasks, (seed) => seedRunId(scenario, seed)));
  } finally {
    await workers?.terminate();
  }
  const simulated = performance.now();
  const document = await buildSweepDocument({
    store,
    scenario,
    scenarioRef: request.scenarioRef,
    seeds: request.seeds,
    sweepId: request.sweepId,
    assertions: [...(scenario.spec.assert ?? []), ...(request.extraAssertions ?? [])],
    extraAssertions: request.extraAssertions,
  });
  const finished = performance.now();
  document.wall = {
    startedAt,
    host: hostname(),
    jobs: request.jobs,
    shard: request.shard ? `${request.shard.index}/${request.shard.count}` : null,
    seedsRun: mine.length,
    simulateAndStoreMs: Math.round(simulated - started),
    reportMs: Math.round(finished - simulated),
    totalMs: Math.round(finished - started),
    seedsPerSecond: Math.round((mine.length / Math.max(1e-9, (simulated - started) / 1000)) * 10) / 10,
  };
  const ran = new Set(mine);
  const failed = document.seeds.some((seed) => ran.has(seed.seed) && seed.verdict === 'fail');
  return { document, exitCode: failed ? EXIT.verdictFailed : EXIT.ok };
}

/**
 * RowBinary where the store takes it (chDB), else JSONCompactEachRow where
 * `insertRaw` takes that, else JSONEachRow. Not TabSeparated: a value it
 * cannot carry needs a JSONEachRow fallback, which the spool has per record
 * (encodeBatches) and a seed's rows do not.
 */
export function sweepRowFormat(store: Pick<SpanStore, 'insertRaw' | 'rawFormats' | 'insertRowBinary'>): SweepRowFormat {
  if (store.insertRowBinary !== undefined) return 'RowBinary';
  return store.insertRaw && store.rawFormats?.includes('JSONCompactEachRow') ? 'JSONCompactEachRow' : 'JSONEachRow';
}

/** The `sweep_runs` rows of a sweep's seeds: one per seed, in its run's partition. */
export function sweepRunRows(sweepId: string, tasks: readonly Pick<SeedTask, 'seed' | 'recordedDate'>[], runIdOf: (seed: number) => string): SweepRunRow[] {
  return tasks.map((task) => ({ recorded_date: task.recordedDate, sweep_id: sweepId, run_id: runIdOf(task.seed), seed: task.seed }));
}

/** The partition date each run was first stored under, so a re-run lands in the same partition. */
async function recordedDates(store: SpanStore, runIds: string[]): Promise<Map<string, string>> {
  const rows = await queryByRuns<{ run_id: string; d: string }>(store, runIds, (where) =>
    `SELECT run_id, toString(min(recorded_date)) AS d FROM ${finalTable(store, 'runs')} WHERE ${where} GROUP BY run_id`,
  );
  return new Map(rows.map((row) => [row.run_id, row.d]));
}

/**
 * Buffers rows of many seeds and inserts them in batches of about
 * `SWEEP_BATCH_SPAN_ROWS` spans. A full batch starts writing and the sweep
 * goes on simulating into the next one; only when that one is full too does
 * `add` wait for the first write. So at most two batches are in memory, and
 * the store parses one while the simulation fills the other. The small
 * run-level rows ride along until `SWEEP_BATCH_RUNS` runs have gathered.
 */
export class RowWriter {
  private batch = emptyBatch();
  private writing: Promise<void> = Promise.resolve();
  /** Run-level rows not inserted yet; their seeds' spans are in `batch` or an earlier one. */
  private runRows = emptyRunRows();

  constructor(
    private readonly store: SpanStore,
    private readonly batchSpanRows = SWEEP_BATCH_SPAN_ROWS,
    private readonly batchRuns = SWEEP_BATCH_RUNS,
  ) {}

  async add(rows: SeedRows): Promise<void> {
    const batch = this.batch;
    batch.format = rows.format;
    batch.spans.push(rows.spans);
    batch.spanCount += rows.spanCount;
    batch.events.push(rows.events);
    this.runRows.runs.push(rows.run);
    for (const row of rows.violations) this.runRows.violations.push(row);
    for (const row of rows.metrics) this.runRows.metrics.push(row);
    if (batch.spanCount >= this.batchSpanRows) await this.startWrite(false);
  }

  /** Writes everything buffered and waits for every write. */
  async flush(): Promise<void> {
    await this.startWrite(true);
    await this.writing;
  }

  /** Waits until no write is under way, whatever its outcome (used when the sweep failed elsewhere). */
  async settle(): Promise<void> {
    await this.writing.catch(() => {});
  }

  /**
   * Waits for the write in flight (surfacing its failure), then starts writing
   * the current batch's spans and events, and after them the run-level rows
   * gathered so far when there are `batchRuns` of them or `last` is set.
   */
  private async startWrite(last: boolean): Promise<void> {
    const batch = this.batch;
    this.batch = emptyBatch();
    const withRuns = last || this.runRows.runs.length >= this.batchRuns;
    const runRows = withRuns ? this.runRows : emptyRunRows();
    if (withRuns) this.runRows = emptyRunRows();
    await this.writing;
    this.writing = writeBatch(this.store, batch, runRows);
    // Marked handled here; the failure surfaces at the next add() that waits, or at flush().
    this.writing.catch(() => {});
  }
}

interface RunRows {
  runs: RunRow[];
  violations: ViolationRow[];
  metrics: RunMetricRow[];
}

interface Batch {
  format: SweepRowFormat;
  spans: Uint8Array[];
  spanCount: number;
  events: Uint8Array[];
}

function emptyRunRows(): RunRows {
  return { runs: [], violations: [], metrics: [] };
}

function emptyBatch(): Batch {
  return { format: 'JSONEachRow', spans: [], spanCount: 0, events: [] };
}

/**
 * Writes one batch's spans and events, then `runRows` (of this batch's seeds
 * and earlier ones, whose spans are stored already). Runs go last: a stored
 * run row means its spans, violations and metrics are stored.
 */
async function writeBatch(store: SpanStore, batch: Batch, runRows: RunRows): Promise<void> {
  await insertRows(store, 'spans', Buffer.concat(batch.spans), batch.format);
  await insertRows(store, 'span_events', Buffer.concat(batch.events), batch.format);
  if (runRows.violations.length > 0) await store.insert('violations', runRows.violations);
  if (runRows.metrics.length > 0) await store.insert('run_metrics', runRows.metrics);
  if (runRows.runs.length > 0) await store.insert('runs', runRows.runs);
}

/** A batch's span or span-event rows: RowBinary through `insertRowBinary`, text through `insertRowText`. */
function insertRows(store: SpanStore, table: 'spans' | 'span_events', rows: Buffer, format: SweepRowFormat): Promise<void> {
  if (format !== 'RowBinary') return insertRowText(store, table, rows, format);
  if (store.insertRowBinary === undefined) throw new Error(`the store (${store.engine}) takes no RowBinary rows`);
  return store.insertRowBinary(table, rows);
}
