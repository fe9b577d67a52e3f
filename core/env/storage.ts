/** A stored value and the version it was written at (versions start at 1). */
export interface Versioned<Value = unknown> {
  value: Value;
  version: number;
}

/** Where a read is served from. */
export type ReadSource = 'primary' | 'replica';

/** Outcome of a write. `conflict`: the expected version did not match. */
export type WriteResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'conflict'; currentVersion: number }
  | { ok: false; reason: 'failed' };

/**
 * Versioned key-value storage: writes go to a primary with compare-and-swap;
 * reads may be served by replicas that lag the primary (stale reads).
 */
export interface VersionedStorage {
  read<Value>(key: string, source?: ReadSource): Promise<Versioned<Value> | undefined>;
  /**
   * Writes `value` under `key`. With `expectedVersion`, the write succeeds only
   * when the current version equals it (0 = key absent).
   */
  write<Value>(key: string, value: Value, expectedVersion?: number): Promise<WriteResult>;
}
