import type { Clock, TimerHandle } from '../../core/env/clock.js';
import type { Kernel } from '../kernel/kernel.js';

/** Virtual time 0 is this instant (2025-01-01T00:00:00Z), in µs since the Unix epoch. */
export const VIRTUAL_EPOCH_US = 1_735_689_600_000_000;

/** The Clock port over the kernel: virtual microseconds, timers as kernel events. */
export class SimClock implements Clock {
  constructor(private readonly kernel: Kernel) {}

  nowUs(): number {
    return VIRTUAL_EPOCH_US + this.kernel.nowUs();
  }

  sleepMs(ms: number): Promise<void> {
    return this.kernel.sleepUs(msToUs(ms));
  }

  setTimer(ms: number, fire: () => void): TimerHandle {
    return this.kernel.schedule(msToUs(ms), fire, true);
  }
}

/** Milliseconds (possibly fractional) → whole microseconds. */
export function msToUs(ms: number): number {
  return Math.max(0, Math.round(ms * 1000));
}
