import { createHash, type Hash } from 'node:crypto';
import type { LogEntry } from '../../simulator/world/event-log.js';

/** Text buffered before one hash update; SHA-256 of the concatenation is the same. */
const HASH_CHUNK_CHARS = 16_384;

/**
 * PROPOSAL for simulator/world/event-log.ts (not used by baton itself): the
 * same API and the same digest, but lines are concatenated and fed to SHA-256
 * in ~16 KiB chunks instead of one `hash.update` (a native call) per line.
 * A streaming hash over the same bytes in different chunks gives the same
 * digest; test/bench/proposals.test.ts checks it on random logs.
 */
export class BufferedEventLog {
  private readonly hash: Hash = createHash('sha256');
  readonly entries: LogEntry[] = [];
  private count = 0;
  private pending = '';

  constructor(private readonly retain: boolean) {}

  append(timeUs: number, text: string): void {
    this.pending += `${timeUs} ${text}\n`;
    if (this.pending.length >= HASH_CHUNK_CHARS) this.flushPending();
    this.count++;
    if (this.retain) this.entries.push({ timeUs, text });
  }

  get size(): number {
    return this.count;
  }

  /** Hex digest of everything appended so far (the log can keep growing). */
  digest(): string {
    this.flushPending();
    return this.hash.copy().digest('hex');
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending);
    this.pending = '';
  }
}
