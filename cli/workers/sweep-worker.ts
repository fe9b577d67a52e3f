import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../../scenarios/format/scenario.js';
import { simulateSeedRows, type SeedTask } from '../pipeline/sweep-seed.js';

/**
 * A sweep worker thread: simulates the seeds the main thread hands it, one at
 * a time, and posts each seed's rows back. It never touches storage (chDB
 * allows one data directory per process; the main thread owns it).
 *
 * workerData: { scenario }, the Scenario the main thread loaded and validated
 * (plain data: it is not validated again, which would compile the scenario
 * schema in every worker). Messages in: SeedTask, or { stop: true }. Messages
 * out: { rows } (the span and event bytes transferred, not copied) or
 * { error, seed }.
 */
const { scenario } = workerData as { scenario: Scenario };
const port = parentPort!;

port.on('message', (message: SeedTask | { stop: true }) => {
  if ('stop' in message) {
    port.close();
    return;
  }
  simulateSeedRows(scenario, message).then(
    (rows) => port.postMessage({ rows }, [rows.spans.buffer as ArrayBuffer, rows.events.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ seed: message.seed, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
