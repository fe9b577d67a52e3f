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
 * Simulates every task and hands each seed's rows to `onRows`, in completion
 * order (callers sort). `jobs` = 1 runs in this thread; more start that many
 * worker threads and give each the next seed as soon as it is free, as long
 * as fewer than `PENDING_SEEDS_PER_JOB × jobs` seeds are simulating or have
 * rows waiting for `onRows` (so memory stays bounded when storage is slower
 * than simulation). `onRows`
 * calls never overlap. Returns the most seeds whose rows waited at once.
 */
export async function simulateSeeds(
  scenario: Scenario,
  tasks: readonly SeedTask[],
  jobs: number,
  onRows: (rows: SeedRows) => Promise<void>,
): Promise<{ pendingPeak: number }> {
  if (jobs <= 1) {
    for (const task of tasks) await onRows(await simulateSeedRows(scenario, task));
    return { pendingPeak: 1 };
  }
  const workers = Array.from({ length: Math.min(jobs, JOBS_MAX, tasks.length) }, () => startWorker(scenario));
  const pendingMax = PENDING_SEEDS_PER_JOB * workers.length;
  let next = 0;
  let pending = 0;
  let running = 0;
  let pendingPeak = 0;
  const idle: (() => void)[] = [];
  let delivered: Promise<void> = Promise.resolve();
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const give = (): void => {
              if (next >= tasks.length) return resolve();
              // Seeds simulating count too: their rows will wait as soon as they arrive.
              if (pending + running >= pendingMax) return void idle.push(give);
              running++;
              worker.postMessage(tasks[next++]);
            };
            worker.on('message', (message: { rows?: SeedRows; error?: string; seed?: number }) => {
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
            });
            worker.on('error', (error) => reject(new SweepWorkerError(`sweep worker crashed: ${error.stack ?? error.message}`)));
            worker.on('exit', (code) => {
              if (code !== 0) reject(new SweepWorkerError(`sweep worker exited with code ${code}`));
            });
            give();
          }),
      ),
    );
    await delivered;
    return { pendingPeak };
  } finally {
    // On a failure, let rows already handed to onRows finish first: the caller closes the store next.
    await delivered.catch(() => {});
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Starts one sweep worker (cli/workers/sweep-worker), compiled or through tsx. */
function startWorker(scenario: Scenario): Worker {
  return startModuleWorker(import.meta.url, '../workers/sweep-worker', { workerData: { scenario } });
}
