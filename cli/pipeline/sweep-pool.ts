import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../collector/workers/start-worker.js';
import type { Scenario } from '../../scenarios/format/load-scenario.js';
import { simulateSeedRows, type SeedRows, type SeedTask } from './sweep-seed.js';

/** Most worker threads a sweep starts. */
export const JOBS_MAX = 64;

/** A worker thread failed or a seed threw outside the simulation (exit code 3). */
export class SweepWorkerError extends Error {
  readonly code = 'BATON_ERR_SWEEP_WORKER';
  constructor(message: string) {
    super(message);
    this.name = 'SweepWorkerError';
  }
}

/** Seeds simulating or waiting for the writer, per worker; past it workers get no new seed. */
export const PENDING_SEEDS_PER_JOB = 2;

/**
 * A sweep's worker threads, started before their seeds are known: loading a
 * worker's modules (~0.25 s) then overlaps the main thread's own start
 * (opening the store, migrations, looking up stored runs) instead of
 * following it. A thread that crashes or exits with an error at any time is
 * remembered, and reported to the run that uses the threads.
 */
export class SweepWorkers {
  readonly threads: Worker[];
  private failure: SweepWorkerError | undefined;
  private onFailure: ((error: SweepWorkerError) => void) | undefined;
  private terminating: Promise<void> | undefined;

  constructor(scenario: Scenario, count: number) {
    this.threads = Array.from({ length: count }, () => startWorker(scenario));
    for (const worker of this.threads) {
      worker.on('error', (error) => this.fail(new SweepWorkerError(`sweep worker crashed: ${error.stack ?? error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new SweepWorkerError(`sweep worker exited with code ${code}`));
      });
    }
  }

  /** Calls `listener` with the first failure of a thread: at once when one already failed. */
  whenFailed(listener: (error: SweepWorkerError) => void): void {
    this.onFailure = listener;
    if (this.failure !== undefined) listener(this.failure);
  }

  /** Stops every thread (a second call waits for the first). */
  terminate(): Promise<void> {
    this.terminating ??= Promise.all(this.threads.map((worker) => worker.terminate())).then(() => {});
    return this.terminating;
  }

  private fail(error: SweepWorkerError): void {
    if (this.terminating !== undefined) return; // terminate() ends threads with code 1
    this.failure ??= error;
    this.onFailure?.(error);
  }
}

/** How many worker threads `jobs` starts for `seeds` seeds: none for one job (the seeds run in this thread). */
export function sweepWorkerCount(jobs: number, seeds: number): number {
  return jobs <= 1 ? 0 : Math.min(jobs, JOBS_MAX, seeds);
}

/**
 * Simulates every task and hands each seed's rows to `onRows`, in completion
 * order (callers sort): in this thread when `workers` is undefined, else on
 * the worker threads, each getting the next seed as soon as it is free, as
 * long as fewer than `PENDING_SEEDS_PER_JOB` × threads seeds are simulating
 * or have rows waiting for `onRows` (so memory stays bounded when storage is
 * slower than simulation). `onRows` calls never overlap; on a failure the
 * ones already started finish before this rejects. The threads stay up (the
 * caller terminates them). Returns the most seeds whose rows waited at once.
 */
export async function simulateSeeds(
  scenario: Scenario,
  tasks: readonly SeedTask[],
  workers: SweepWorkers | undefined,
  onRows: (rows: SeedRows) => Promise<void>,
): Promise<{ pendingPeak: number }> {
  if (workers === undefined) {
    for (const task of tasks) {
      // A seed runs in promise jobs and ticks only, never giving the event loop a turn: without
      // this one, a write under way (file, insert) would wait for the next full batch.
      await new Promise((resolve) => setImmediate(resolve));
      await onRows(await simulateSeedRows(scenario, task));
    }
    return { pendingPeak: 1 };
  }
  const threads = workers.threads;
  if (threads.length === 0) throw new RangeError('simulateSeeds needs at least one worker thread');
  const pendingMax = PENDING_SEEDS_PER_JOB * threads.length;
  let next = 0;
  let pending = 0;
  let running = 0;
  let pendingPeak = 0;
  const idle: (() => void)[] = [];
  let delivered: Promise<void> = Promise.resolve();
  const listeners: [Worker, (message: WorkerMessage) => void][] = [];
  try {
    const failed = new Promise<never>((_, reject) => workers.whenFailed(reject));
    const allGiven = Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const give = (): void => {
              if (next >= tasks.length) return resolve();
              // Seeds simulating count too: their rows will wait as soon as they arrive.
              if (pending + running >= pendingMax) return void idle.push(give);
              running++;
              worker.postMessage(tasks[next++]);
            };
            const onMessage = (message: WorkerMessage): void => {
              if (message.error !== undefined) return reject(new SweepWorkerError(`seed ${message.seed} failed in a worker: ${message.error}`));
              const rows = message.rows!;
              running--;
              pendingPeak = Math.max(pendingPeak, ++pending);
              delivered = delivered
                .then(() => onRows(rows))
                .finally(() => {
                  pending--;
                  idle.shift()?.();
                });
              delivered.catch(reject);
              give();
            };
            worker.on('message', onMessage);
            listeners.push([worker, onMessage]);
            give();
          }),
      ),
    );
    await Promise.race([allGiven, failed]);
    await delivered;
    return { pendingPeak };
  } finally {
    for (const [worker, onMessage] of listeners) worker.off('message', onMessage);
    // On a failure, let rows already handed to onRows finish first: the caller closes the store next.
    await delivered.catch(() => {});
  }
}

/** What a sweep worker posts back. */
interface WorkerMessage {
  rows?: SeedRows;
  error?: string;
  seed?: number;
}

/** Starts one sweep worker (cli/workers/sweep-worker), compiled or through tsx. */
function startWorker(scenario: Scenario): Worker {
  return startModuleWorker(import.meta.url, '../workers/sweep-worker', { workerData: { scenario } });
}
