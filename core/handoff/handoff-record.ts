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
}

/**
 * Handoff records under `handoffs/{handoffId}`, moved only by compare-and-swap:
 * preparing → accepted (by the target) or preparing → rolled_back (by the
 * source or the supervisor). Whoever moves it first wins; the other learns it.
 */
export class HandoffRecords {
  constructor(private readonly storage: VersionedStorage) {}

  static key(handoffId: string): string {
    return `handoffs/${handoffId}`;
  }

  async read(handoffId: string): Promise<{ record: HandoffRecord; version: number } | undefined> {
    const stored = await this.storage.read<HandoffRecord>(HandoffRecords.key(handoffId), 'primary');
    return stored ? { record: stored.value, version: stored.version } : undefined;
  }

  /** Phase 1: writes the record as `preparing` (a retry of a rolled-back handoff prepares it again). */
  async prepare(handoffId: string, record: Omit<HandoffRecord, 'status'>): Promise<HandoffRecord['status']> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.read(handoffId);
      if (current?.record.status === 'accepted' || current?.record.status === 'preparing') return current.record.status;
      const result = await this.storage.write(HandoffRecords.key(handoffId), { ...record, status: 'preparing' }, current?.version ?? 0);
      if (result.ok) return 'preparing';
    }
    return 'rolled_back';
  }

  /**
   * Moves `preparing` to `to`. Returns the status the record ends in: `to` when
   * this call moved it (or it already was `to`), otherwise the winner's status.
   */
  async settle(handoffId: string, to: 'accepted' | 'rolled_back', details: { acceptedBy?: string; reason?: string }): Promise<HandoffRecord['status'] | 'absent'> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.read(handoffId);
      if (!current) return 'absent';
      if (current.record.status !== 'preparing') return current.record.status;
      const result = await this.storage.write(HandoffRecords.key(handoffId), { ...current.record, ...details, status: to }, current.version);
      if (result.ok) return to;
    }
    return 'preparing';
  }
}
