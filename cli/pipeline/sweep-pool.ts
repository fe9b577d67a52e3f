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

/** Seeds simulating or waiting for the writer, per job; past it no lane gets a new seed. */
export const PENDING_SEEDS_PER_JOB = 3;

/**
 * Seeds handed to one worker thread before it posts rows back: the next one
 * waits in its message queue, so the thread never idles while the main thread
 * is busy with a seed of its own.
 */
export const SEEDS_IN_FLIGHT_PER_THREAD = 2;

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

/**
 * How many worker threads `jobs` starts for `seeds` seeds: `jobs` lanes
 * simulate, and this thread is one of them. So one job starts none, two start
 * one. Every isolate compiles the simulation for itself (TurboFan: ~3 CPU-s
 * per thread in a 1,000-seed sweep, BENCHMARKS.md), so a lane in this thread
 * saves one isolate's compile and warm-up.
 */
export function sweepWorkerCount(jobs: number, seeds: number): number {
  return Math.max(0, Math.min(jobs, JOBS_MAX, seeds) - 1);
}

/**
 * Simulates every task and hands each seed's rows to `onRows`, in completion
 * order (callers sort). Lanes: this thread, and each worker thread of
 * `workers`. A free lane takes the next seed as long as fewer than
 * `PENDING_SEEDS_PER_JOB` × lanes seeds are simulating or have rows waiting
 * for `onRows` (so memory stays bounded when storage is slower than
 * simulation). A worker thread holds up to `SEEDS_IN_FLIGHT_PER_THREAD`
 * seeds. This thread runs one seed at a time and lets the event loop turn
 * between seeds (worker messages, finished inserts). `onRows` calls never
 * overlap; on a failure the ones already started finish before this rejects.
 * The threads stay up (the caller terminates them). Returns the most seeds
 * whose rows waited at once.
 */
export async function simulateSeeds(
  scenario: Scenario,
  tasks: readonly SeedTask[],
  workers: SweepWorkers | undefined,
  onRows: (rows: SeedRows) => Promise<void>,
): Promise<{ pendingPeak: number }> {
  const threads = workers?.threads ?? [];
  const pendingMax = PENDING_SEEDS_PER_JOB * (threads.length + 1);
  let next = 0;
  let pending = 0;
  let running = 0;
  let pendingPeak = 0;
  const idle: (() => void)[] = [];
  let delivered: Promise<void> = Promise.resolve();
  const listeners: [Worker, (message: WorkerMessage) => void][] = [];
  /** Set when the run ends, failed or not: no lane starts a seed after it. */
  let over = false;
  const mayStart = (): boolean => !over && next < tasks.length && pending + running < pendingMax;
  const take = (): SeedTask => {
    running++;
    return tasks[next++]!;
  };
  let failRows: (error: unknown) => void = () => {};
  const rowsFailed = new Promise<never>((_, reject) => (failRows = reject));
  /** Every lane waiting for room checks again (one that still cannot start waits again). */
  const wakeIdle = (): void => {
    for (const wake of idle.splice(0)) wake();
  };
  /** Rows arrived from a lane: queued for onRows, whose failure fails the run. */
  const arrived = (rows: SeedRows): void => {
    running--;
    pendingPeak = Math.max(pendingPeak, ++pending);
    delivered = delivered
      .then(() => onRows(rows))
      .finally(() => {
        pending--;
        wakeIdle();
      });
    delivered.catch(failRows);
  };
  let thisThread: Promise<void> = Promise.resolve();
  try {
    const failed = new Promise<never>((_, reject) => workers?.whenFailed(reject));
    rowsFailed.catch(() => {}); // raced below; a failure after the race is the caller's through `delivered`
    const threadLanes = threads.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const give = (): void => {
            while (inFlight < SEEDS_IN_FLIGHT_PER_THREAD && mayStart()) {
              inFlight++;
              worker.postMessage(take());
            }
            if (inFlight === 0 && next >= tasks.length) return resolve();
            // Seeds simulating count too: their rows will wait as soon as they arrive.
            if (inFlight < SEEDS_IN_FLIGHT_PER_THREAD && next < tasks.length) idle.push(give);
          };
          const onMessage = (message: WorkerMessage): void => {
            if (message.error !== undefined) return reject(new SweepWorkerError(`seed ${message.seed} failed in a worker: ${message.error}`));
            inFlight--;
            arrived(message.rows!);
            give();
          };
          worker.on('message', onMessage);
          listeners.push([worker, onMessage]);
          give();
        }),
    );
    thisThread = (async (): Promise<void> => {
      for (;;) {
        // A seed never yields to the event loop, so let it turn before each one.
        await new Promise((resolve) => setImmediate(resolve));
        if (over || next >= tasks.length) return;
        if (!mayStart()) {
          await new Promise<void>((resolve) => idle.push(resolve));
          continue;
        }
        const task = take();
        let rows: SeedRows;
        try {
          rows = await simulateSeedRows(scenario, task);
        } catch (error) {
          throw new SweepWorkerError(`seed ${task.seed} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        arrived(rows);
      }
    })();
    await Promise.race([Promise.all([...threadLanes, thisThread]), failed, rowsFailed]);
    await delivered;
    return { pendingPeak };
  } finally {
    over = true;
    wakeIdle();
    for (const [worker, onMessage] of listeners) worker.off('message', onMessage);
    // On a failure, let this thread's seed and rows already handed to onRows finish first: the caller closes the store next.
    await thisThread.catch(() => {});
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
