import { readFile } from 'node:fs/promises';
import { insertRowText } from '../store/row-text.js';
import type { RunRow } from '../store/rows.js';
import type { SpanStore } from '../store/span-store.js';
import { sqlIdentifier, sqlString } from '../store/sql.js';
import type { SealedSegment, Spool } from './spool.js';
import { decodeSegmentRaw, type RawSpoolRecord, type SpoolRun } from './spool-record.js';

/** Pacing of the drain. Defaults are set where read. */
export interface SpoolDrainOptions {
  /** How often an idle drain seals the active segment and looks for work, ms. Default 250. */
  intervalMs?: number;
  /** First wait after a failed store write, ms; doubles per failure. Default 100. */
  backoffMsMin?: number;
  /** Longest wait between store retries, ms. Default 30,000. */
  backoffMsMax?: number;
  /**
   * Failed attempts on one segment, while `storeReachable` says the store is
   * up, after which the segment is quarantined instead of blocking the spool
   * (a row the store refuses for good). Default 20 (minutes, with backoff).
   */
  quarantineAfterAttempts?: number;
  /** Whether the store answers at all; an outage never quarantines. Default: always false (never quarantine). */
  storeReachable?: () => Promise<boolean>;
  onQuarantine?: (segment: SealedSegment, movedTo: string, error: unknown) => void;
  /** Runs before each store write, e.g. to migrate the schema once the store is reachable. */
  beforeWrite?: () => Promise<void>;
  /** Told about progress (for metrics and logs). */
  onWritten?: (spans: number, segment: SealedSegment) => void;
  onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
  onTornTail?: (segment: SealedSegment, tornBytes: number) => void;
}

export const DEFAULT_DRAIN_INTERVAL_MS = 250;
export const DEFAULT_BACKOFF_MS_MIN = 100;
export const DEFAULT_BACKOFF_MS_MAX = 30_000;
export const DEFAULT_QUARANTINE_AFTER_ATTEMPTS = 20;

/**
 * Moves sealed spool segments to the store, oldest first, one at a time. A
 * segment is deleted only after every insert for it returned; a failure is
 * retried with exponential backoff (the spool's byte limit is what pushes back
 * on clients) for as long as the store is unreachable. A segment the reachable
 * store keeps refusing is quarantined after `quarantineAfterAttempts`. Replaying a segment after a crash re-inserts rows
 * the store may already hold; the tables are ReplacingMergeTree keyed by span
 * id and reports read FINAL, so nothing shows twice.
 */
export class SpoolDrain {
  private status: 'idle' | 'running' | 'stopping' = 'idle';
  private loop: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private segmentsWrittenCount = 0;

  constructor(
    private readonly spool: Spool,
    private readonly store: SpanStore,
    private readonly options: SpoolDrainOptions = {},
  ) {}

  /** Starts the background loop. Precondition: not running. */
  start(): void {
    if (this.status !== 'idle') throw new Error(`spool drain cannot start while ${this.status}`);
    this.status = 'running';
    this.loop = this.run();
  }

  /** Stops after the store write in progress; unwritten segments stay on disk for the next start. */
  async stop(): Promise<void> {
    if (this.status !== 'running') return;
    this.status = 'stopping';
    this.wakeUp?.();
    await this.loop;
    this.status = 'idle';
  }

  get segmentsWritten(): number {
    return this.segmentsWrittenCount;
  }

  private async run(): Promise<void> {
    while (this.status === 'running') {
      let segment = this.spool.sealed()[0];
      if (!segment) {
        await this.spool.sealActive().catch(() => undefined);
        segment = this.spool.sealed()[0];
      }
      if (!segment) {
        await this.sleep(this.options.intervalMs ?? DEFAULT_DRAIN_INTERVAL_MS);
        continue;
      }
      await this.drainSegment(segment);
    }
  }

  private async drainSegment(segment: SealedSegment): Promise<void> {
    for (let attempt = 1; this.status === 'running'; attempt += 1) {
      try {
        const { records, tornBytes } = decodeSegmentRaw(await readFile(segment.path));
        if (tornBytes > 0) this.options.onTornTail?.(segment, tornBytes);
        await this.writeRows(records);
        await this.spool.remove(segment);
        this.segmentsWrittenCount += 1;
        this.options.onWritten?.(records.reduce((sum, record) => sum + record.spanCount, 0), segment);
        return;
      } catch (error) {
        if (attempt >= (this.options.quarantineAfterAttempts ?? DEFAULT_QUARANTINE_AFTER_ATTEMPTS) && (await this.storeIsReachable())) {
          const movedTo = await this.spool.quarantine(segment);
          this.options.onQuarantine?.(segment, movedTo, error);
          return;
        }
        const min = this.options.backoffMsMin ?? DEFAULT_BACKOFF_MS_MIN;
        const waitMs = Math.min(this.options.backoffMsMax ?? DEFAULT_BACKOFF_MS_MAX, min * 2 ** Math.min(attempt - 1, 30));
        this.options.onRetry?.(error, attempt, waitMs);
        await this.sleep(waitMs);
      }
    }
  }

  private async storeIsReachable(): Promise<boolean> {
    try {
      return (await this.options.storeReachable?.()) ?? false;
    } catch {
      return false;
    }
  }

  /**
   * One insert per table for each run of consecutive records in the same row
   * format — one per table for a whole segment, which holds one format unless
   * a record fell back to JSONEachRow or an earlier process wrote for another
   * store. Records stay in their order, so a span sent twice keeps its later
   * version. The rows are text already: a store whose `insertRaw` takes their
   * format gets it as is, another the parsed rows.
   */
  private async writeRows(records: readonly RawSpoolRecord[]): Promise<void> {
    await this.options.beforeWrite?.();
    for (let first = 0; first < records.length; ) {
      const format = records[first]!.format;
      let end = first + 1;
      while (end < records.length && records[end]!.format === format) end++;
      const ofFormat = records.slice(first, end);
      first = end;
      await insertRowText(this.store, 'spans', Buffer.concat(ofFormat.map((record) => record.spans)), format);
      await insertRowText(this.store, 'span_events', Buffer.concat(ofFormat.map((record) => record.events)), format);
    }
    await this.recordNewRuns(records.flatMap((record) => record.runs));
  }

  /**
   * Adds a `runs` row for each run not listed yet, so run lists show traffic
   * from real services. Existing rows (a simulated run exported again, or an
   * earlier batch) are left alone: their totals are not ours to overwrite.
   */
  private async recordNewRuns(runs: readonly SpoolRun[]): Promise<void> {
    const firstOfRun = new Map<string, SpoolRun>();
    for (const run of runs) {
      const seen = firstOfRun.get(run.run_id);
      if (!seen || run.recorded_date < seen.recorded_date) firstOfRun.set(run.run_id, run);
    }
    if (firstOfRun.size === 0) return;
    const database = sqlIdentifier(this.store.database);
    const listed = await this.store.query<{ run_id: string }>(
      `SELECT run_id FROM ${database}.runs FINAL WHERE run_id IN (${[...firstOfRun.keys()].map(sqlString).join(', ')})`,
    );
    for (const row of listed) firstOfRun.delete(row.run_id);
    if (firstOfRun.size === 0) return;
    const recordedAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const rows: RunRow[] = [...firstOfRun.values()].map((run) => ({
      recorded_date: run.recorded_date,
      recorded_at: recordedAt,
      run_id: run.run_id,
      sweep_id: run.sweep_id,
      scenario: run.scenario,
      seed: run.seed,
      config_hash: '',
      baton_version: 'otlp',
      verdict: '',
      workflows_total: 0,
      workflows_completed: 0,
      handoffs_total: 0,
      faults_injected: 0,
      violations: 0,
      event_log_hash: '',
    }));
    await this.store.insert('runs', rows);
    // A run exported under a sweep id belongs to that sweep (sweep membership is `sweep_runs`).
    const members = rows.filter((row) => row.sweep_id !== '');
    if (members.length > 0) {
      await this.store.insert('sweep_runs', members.map((row) => ({ recorded_date: row.recorded_date, sweep_id: row.sweep_id, run_id: row.run_id, seed: row.seed })));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
