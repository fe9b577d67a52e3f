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

  /** Text not yet fed to the hash: one update per ~16 KB instead of one per entry (same digest). */
  private pending = '';

  append(timeUs: number, text: string): void {
    this.pending += `${timeUs} ${text}\n`;
    if (this.pending.length >= 16_384) this.flush();
    this.count++;
    if (this.retain) this.entries.push({ timeUs, text });
  }

  private flush(): void {
    this.hash.update(this.pending);
    this.pending = '';
  }

  get size(): number {
    return this.count;
  }

  /** Hex digest of everything appended so far (the log can keep growing). */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }
}
