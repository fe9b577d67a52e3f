import type { Clock } from '../env/clock.js';
import type { VersionedStorage } from '../env/storage.js';

/** The durable record of a two-phase handoff (seed 000, race condition 3). */
export interface HandoffRecord {
  status: 'preparing' | 'accepted' | 'rolled_back';
  source: string;
  target: string;
  sourceTaskId: string;
  /** Storage key of the source's checkpoint taken before the handoff. */
  checkpointKey: string;
  /** Context fragments written for this handoff (deleted on rollback). */
  fragmentIds: string[];
  acceptedBy?: string;
  reason?: string;
  /** Which run of the source prepared it (`node#epoch`), so a restart only rolls back its own. */
  preparedBy?: string;
}

/**
 * Handoff records under `handoffs/{handoffId}`, moved only by compare-and-swap:
 * preparing → accepted (by the target) or preparing → rolled_back (by the
 * source or the supervisor). Whoever moves it first wins; the other learns it.
 */
export class HandoffRecords {
  constructor(
    private readonly storage: VersionedStorage,
    private readonly clock?: Clock,
  ) {}

  /** Waits before retrying a failed write (10 ms doubling, capped at 500 ms) when a clock is given. */
  private async backoff(attempt: number): Promise<void> {
    await this.clock?.sleepMs(Math.min(500, 10 * 2 ** attempt));
  }

  static key(handoffId: string): string {
    return `handoffs/${handoffId}`;
  }

  async read(handoffId: string): Promise<{ record: HandoffRecord; version: number } | undefined> {
    const stored = await this.storage.read<HandoffRecord>(HandoffRecords.key(handoffId), 'primary');
    return stored ? { record: stored.value, version: stored.version } : undefined;
  }

  /**
   * Phase 1: writes the record as `preparing` (a retry of a rolled-back handoff
   * prepares it again). An `accepted` record is left as is and returned: the
   * handoff already happened (a retried source task), nothing is to be sent.
   * `unavailable`: the store kept refusing the write; the handoff must not start.
   */
  async prepare(handoffId: string, record: Omit<HandoffRecord, 'status'>): Promise<{ status: HandoffRecord['status'] | 'unavailable'; record?: HandoffRecord }> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.read(handoffId);
      if (current?.record.status === 'accepted') return { status: 'accepted', record: current.record };
      const result = await this.storage.write(HandoffRecords.key(handoffId), { ...record, status: 'preparing' }, current?.version ?? 0);
      if (result.ok) return { status: 'preparing' };
      if (result.reason === 'failed') await this.backoff(attempt);
    }
    return { status: 'unavailable' };
  }

  /**
   * Moves `preparing` to `to`. Resolves with the status the record ends in and
   * whether this call moved it (false: someone else settled it first, or it
   * was absent or contended).
   */
  async settle(
    handoffId: string,
    to: 'accepted' | 'rolled_back',
    details: { acceptedBy?: string; reason?: string },
    onlyPreparedBy?: string,
  ): Promise<{ status: HandoffRecord['status'] | 'absent'; moved: boolean; record?: HandoffRecord }> {
    let last: HandoffRecord | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.read(handoffId);
      if (!current) return { status: 'absent', moved: false };
      last = current.record;
      if (current.record.status !== 'preparing') return { status: current.record.status, moved: false, record: current.record };
      if (onlyPreparedBy !== undefined && current.record.preparedBy !== onlyPreparedBy) return { status: 'preparing', moved: false, record: current.record };
      const next = { ...current.record, ...details, status: to };
      const result = await this.storage.write(HandoffRecords.key(handoffId), next, current.version);
      if (result.ok) return { status: to, moved: true, record: next };
      if (result.reason === 'failed') await this.backoff(attempt);
    }
    return { status: 'preparing', moved: false, record: last };
  }
}
