/**
 * The kernel as first written (commit 66e2bb1): an object-literal event plus a
 * closure handle per schedule, and a setImmediate turn after every wakesAsync
 * event. Kept verbatim as the reference that the optimised kernel must match
 * event for event. Only the tests import it.
 */
import { EventQueue, type ScheduledEvent } from './reference-event-queue.js';
import { SimLimitError } from '../../simulator/kernel/errors.js';

/**
 * Bounds of one simulated run. Defaults:
 * - `eventsMax`: 5,000,000 events
 * - `simulatedUsMax`: 24 h of virtual time
 */
export interface KernelLimits {
  eventsMax?: number;
  simulatedUsMax?: number;
}

export const DEFAULT_EVENTS_MAX = 5_000_000;
export const DEFAULT_SIMULATED_US_MAX = 24 * 3600 * 1_000_000;

/** Handle to a scheduled event; `cancel()` makes it a no-op. */
export interface TimerHandle {
  cancel(): void;
}

/** What ended `run()`. */
export interface RunOutcome {
  /** `idle`: nothing left to do; `stopped`: `stop()` was called. */
  status: 'idle' | 'stopped';
  eventsRun: number;
  nowUs: number;
}

type KernelStatus = 'ready' | 'running' | 'done';

/**
 * The discrete-event kernel: a virtual clock in integer microseconds and a queue
 * of events ordered by (time, sequence). Nothing here reads real time.
 *
 * Async code (core's `await env.clock.sleep()`) runs deterministically because
 * after every event that may resolve a promise the kernel lets the microtask
 * queue drain completely before it takes the next event.
 */
export class Kernel {
  private queue = new EventQueue();
  private seq = 0;
  private now = 0;
  private eventsRun = 0;
  private status: KernelStatus = 'ready';
  private stopRequested = false;
  readonly eventsMax: number;
  readonly simulatedUsMax: number;

  constructor(limits: KernelLimits = {}) {
    this.eventsMax = limits.eventsMax ?? DEFAULT_EVENTS_MAX;
    this.simulatedUsMax = limits.simulatedUsMax ?? DEFAULT_SIMULATED_US_MAX;
  }

  /** Current virtual time in integer microseconds. */
  nowUs(): number {
    return this.now;
  }

  /** Number of events run so far. */
  eventCount(): number {
    return this.eventsRun;
  }

  /** Events still queued (cancelled ones included until popped). */
  pendingCount(): number {
    return this.queue.size;
  }

  /**
   * Schedules `run` after `delayUs` (≥ 0, rounded to an integer) of virtual time.
   * `wakesAsync` must be true when `run` resolves a promise someone awaits.
   */
  schedule(delayUs: number, run: () => void, wakesAsync = false): TimerHandle {
    if (!(delayUs >= 0)) throw new RangeError(`delayUs must be >= 0, got ${delayUs}`);
    const event: ScheduledEvent = {
      timeUs: this.now + Math.round(delayUs),
      seq: this.seq++,
      run,
      wakesAsync,
      cancelled: false,
    };
    this.queue.push(event);
    return { cancel: () => void (event.cancelled = true) };
  }

  /** A promise resolved after `delayUs` of virtual time. */
  sleepUs(delayUs: number): Promise<void> {
    return new Promise((resolve) => this.schedule(delayUs, resolve, true));
  }

  /** Asks `run()` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Runs events until none is left or `stop()` is called. Throws SimLimitError
   * when the event count or the virtual time passes its limit. Refuses a second
   * call while running or after the end.
   */
  async run(): Promise<RunOutcome> {
    if (this.status !== 'ready') throw new Error(`kernel.run() called in state ${this.status}`);
    this.status = 'running';
    try {
      await drainMicrotasks();
      for (;;) {
        if (this.stopRequested) return this.outcome('stopped');
        const event = this.queue.pop();
        if (event === undefined) return this.outcome('idle');
        if (event.cancelled) continue;
        if (event.timeUs > this.simulatedUsMax) {
          throw new SimLimitError('simulated-time', this.simulatedUsMax, this.now);
        }
        if (this.eventsRun >= this.eventsMax) throw new SimLimitError('events', this.eventsMax, this.now);
        this.now = event.timeUs;
        this.eventsRun++;
        event.run();
        if (event.wakesAsync) await drainMicrotasks();
      }
    } finally {
      this.status = 'done';
    }
  }

  private outcome(status: RunOutcome['status']): RunOutcome {
    return { status, eventsRun: this.eventsRun, nowUs: this.now };
  }
}

/**
 * Resolves after every queued microtask (and those they queue) has run:
 * setImmediate is a macrotask, so the microtask queue is empty when it fires.
 */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
