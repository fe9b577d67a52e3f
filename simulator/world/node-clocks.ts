import type { Clock, TimerHandle } from '../../core/env/clock.js';
import type { Kernel } from '../kernel/kernel.js';
import { VIRTUAL_EPOCH_US, msToUs } from './sim-clock.js';

/**
 * The clock of one node: true virtual time plus a skew, running fast or slow
 * by a drift. Timers measure this clock's time, so a node whose clock runs fast
 * times out early in true time. Skew and drift are 0 until a clock fault sets them.
 */
export class NodeClock implements Clock {
  private skewUs = 0;
  private driftPpm = 0;
  private driftSinceUs = 0;

  constructor(private readonly kernel: Kernel) {}

  nowUs(): number {
    const elapsedUs = this.kernel.nowUs() - this.driftSinceUs;
    return VIRTUAL_EPOCH_US + this.kernel.nowUs() + this.skewUs + Math.round((elapsedUs * this.driftPpm) / 1_000_000);
  }

  sleepMs(ms: number): Promise<void> {
    return this.kernel.sleepUs(this.trueUs(ms));
  }

  setTimer(ms: number, fire: () => void): TimerHandle {
    return this.kernel.schedule(this.trueUs(ms), fire, true);
  }

  /** Sets skew and drift from now on (0 and 0 heal the clock). */
  set(skewMs: number, driftPpm: number): void {
    this.skewUs = msToUs(Math.abs(skewMs)) * Math.sign(skewMs);
    this.driftPpm = driftPpm;
    this.driftSinceUs = this.kernel.nowUs();
  }

  /** True µs that pass while this clock measures `ms`. */
  private trueUs(ms: number): number {
    return msToUs(ms / (1 + this.driftPpm / 1_000_000));
  }
}

/** Per-node clocks, created on first use; nodes without a clock fault read true virtual time. */
export class NodeClocks {
  private clocks = new Map<string, NodeClock>();

  constructor(private readonly kernel: Kernel) {}

  clockFor(node: string): NodeClock {
    let clock = this.clocks.get(node);
    if (!clock) this.clocks.set(node, (clock = new NodeClock(this.kernel)));
    return clock;
  }
}
