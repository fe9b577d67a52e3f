import { createHash, type Hash } from 'node:crypto';

/** One line of the event log: virtual time and what happened. */
export interface LogEntry {
  timeUs: number;
  text: string;
}

/**
 * The run's event log. Every entry feeds a running SHA-256, so two runs can be
 * compared by hash; entries are kept only when `retain` is set (replay and
 * `--around` need them, sweeps do not).
 */
export class EventLog {
  private readonly hash: Hash = createHash('sha256');
  readonly entries: LogEntry[] = [];
  private count = 0;

  constructor(private readonly retain: boolean) {}

  append(timeUs: number, text: string): void {
    this.hash.update(`${timeUs} ${text}\n`);
    this.count++;
    if (this.retain) this.entries.push({ timeUs, text });
  }

  get size(): number {
    return this.count;
  }

  /** Hex digest of everything appended so far (the log can keep growing). */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}
