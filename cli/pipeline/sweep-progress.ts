import type { SeedSummary } from './sweep-seed.js';

/**
 * The sweep's progress on stderr: seeds done, seeds/s, violations so far and
 * the ETA. On a TTY one line redrawn in place (at most every 100 ms); else a
 * plain line at every 10% of the seeds, so logs stay short.
 */
export class SweepProgress {
  private done = 0;
  private violations = 0;
  private failingSeeds = 0;
  private lastDrawMs = 0;
  private nextStep = 1;
  private readonly startedMs = performance.now();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly label: string,
  ) {}

  /** Counts one finished seed. */
  tick(summary: SeedSummary): void {
    this.done++;
    this.violations += summary.violations.length;
    if (summary.violations.length > 0) this.failingSeeds++;
    const nowMs = performance.now();
    if (this.out.isTTY) {
      if (nowMs - this.lastDrawMs < 100 && this.done < this.total) return;
      this.lastDrawMs = nowMs;
      this.out.write(`\r${this.line(nowMs)}\u001b[K`);
      if (this.done === this.total) this.out.write('\n');
      return;
    }
    if (this.done * 10 >= this.nextStep * this.total || this.done === this.total) {
      while (this.done * 10 >= this.nextStep * this.total) this.nextStep++;
      this.out.write(`${this.line(nowMs)}\n`);
    }
  }

  /** Seeds per second so far. */
  rate(): number {
    const seconds = (performance.now() - this.startedMs) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  private line(nowMs: number): string {
    const seconds = (nowMs - this.startedMs) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const etaSeconds = rate > 0 ? Math.ceil((this.total - this.done) / rate) : 0;
    return (
      `${this.label} [${bar}] ${this.done}/${this.total}  ${rate.toFixed(1)} seeds/s  ` +
      `violations ${this.violations} (${this.failingSeeds} seeds)  ETA ${etaSeconds}s`
    );
  }
}
