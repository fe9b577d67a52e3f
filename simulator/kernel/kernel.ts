import { EventQueue, type ScheduledEvent } from './event-queue.js';
import { SimLimitError } from './errors.js';

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

const RESOLVED = Promise.resolve();

type KernelStatus = 'ready' | 'running' | 'done';

/**
 * A queued event that is also its own TimerHandle: one allocation per
 * `schedule()` instead of an event, a handle and a closure.
 */
class KernelEvent implements ScheduledEvent, TimerHandle {
  cancelled = false;
  constructor(
    readonly timeUs: number,
    readonly seq: number,
    readonly run: () => void,
    readonly wakesAsync: boolean,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

/**
 * The discrete-event kernel: a virtual clock in integer microseconds and a queue
 * of events ordered by (time, sequence). Nothing here reads real time.
 *
 * Async code (core's `await env.clock.sleep()`) runs deterministically because
 * after every event that may resolve a promise the kernel lets the microtask
 * queue drain completely before it takes the next event.
 */
export class Kernel {
  private queue = new EventQueue<KernelEvent>();
  private seq = 0;
  private now = 0;
  private eventsRun = 0;
  private status: KernelStatus = 'ready';
  private stopRequested = false;
  /** Settles the promise `run()` returned; set while running. */
  private settle: { resolve: (outcome: RunOutcome) => void; reject: (error: unknown) => void } | undefined;
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
    const event = new KernelEvent(this.now + Math.round(delayUs), this.seq++, run, wakesAsync);
    this.queue.push(event);
    return event;
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
   * Runs events until none is left or `stop()` is called. Rejects with
   * SimLimitError when the event count or the virtual time passes its limit,
   * and with whatever an event throws. Refuses a second call while running or
   * after the end.
   *
   * Before the first event and after every `wakesAsync` event, every queued
   * promise job (and those they queue) runs: see `resumeAfterDrain`.
   */
  run(): Promise<RunOutcome> {
    if (this.status !== 'ready') return Promise.reject(new Error(`kernel.run() called in state ${this.status}`));
    this.status = 'running';
    return new Promise<RunOutcome>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.resumeAfterDrain();
    });
  }

  /**
   * Continues the run once the promise job queue is empty.
   *
   * Why not `await new Promise(setImmediate)` (the first version): an event-loop
   * turn per wakesAsync event held the kernel to ~5% of a bare heap loop's
   * events/s on such events, against ~22% now (BENCHMARKS.md). A
   * `process.nextTick` queued from inside a promise job runs only after V8's
   * microtask checkpoint has emptied the job queue completely (Node runs ticks
   * between checkpoints, never within one), so queueing the tick from a
   * microtask gives the same guarantee at a fraction of the cost. Ticks queued
   * by other code may interleave; core and simulator queue none.
   * test/bench/kernel-drain.test.ts checks that event logs and reports equal
   * those of the setImmediate kernel.
   */
  private resumeAfterDrain(): void {
    // A job on a settled promise: cheaper than queueMicrotask, which wraps its
    // callback in an AsyncResource.
    void RESOLVED.then(this.queueStep);
  }

  private readonly queueStep = (): void => {
    process.nextTick(this.step);
  };

  /** Runs events until one wakes async code, the queue empties, a stop, or an error. */
  private readonly step = (): void => {
    try {
      for (;;) {
        if (this.stopRequested) return this.finish(this.outcome('stopped'));
        const event = this.queue.pop();
        if (event === undefined) return this.finish(this.outcome('idle'));
        if (event.cancelled) continue;
        if (event.timeUs > this.simulatedUsMax) {
          throw new SimLimitError('simulated-time', this.simulatedUsMax, this.now);
        }
        if (this.eventsRun >= this.eventsMax) throw new SimLimitError('events', this.eventsMax, this.now);
        this.now = event.timeUs;
        this.eventsRun++;
        event.run();
        if (event.wakesAsync) return this.resumeAfterDrain();
      }
    } catch (error) {
      this.finish(undefined, error);
    }
  };

  private finish(outcome: RunOutcome | undefined, error?: unknown): void {
    this.status = 'done';
    const settle = this.settle;
    this.settle = undefined;
    if (outcome !== undefined) settle?.resolve(outcome);
    else settle?.reject(error);
  }

  private outcome(status: RunOutcome['status']): RunOutcome {
    return { status, eventsRun: this.eventsRun, nowUs: this.now };
  }
}
