import type { ReadSource, Versioned, VersionedStorage, WriteResult } from '../../core/env/storage.js';
import { chance, sample, type Distribution, type RandomStream } from '../../core/env/random.js';
import type { Kernel } from '../kernel/kernel.js';
import type { EventLog } from './event-log.js';
import { msToUs } from './sim-clock.js';

/** Options of the simulated store. Faults are off by default. */
export interface SimStorageOptions {
  /** Latency of every operation. Default 1 ms. */
  operationMs?: number;
  /** How far replicas lag the primary, drawn per replica read. Default none (replicas are current). */
  replicaLagMs?: Distribution;
  /** Share of writes that fail, in [0, 1]. Default 0. */
  writeFailureRatio?: number;
  /** A write is durable this long after it is acknowledged; a crash of the store loses younger ones. Default 0. */
  syncDelayMs?: number;
  /** Versions kept per key for replica reads. Default 64. */
  historyVersionsMax?: number;
}

export const DEFAULT_STORAGE_OPERATION_MS = 1;
export const DEFAULT_HISTORY_VERSIONS_MAX = 64;

/** Reports a fault the store injected (for counters and span events). */
export type StorageFaultListener = (kind: string, target: string) => void;

interface StoredVersion {
  value: unknown;
  version: number;
  writtenUs: number;
}

/**
 * The storage port under simulation: a versioned map on a primary with
 * compare-and-swap, and replicas that can lag it. A replica read returns the
 * primary as it was `lag` ago (stale reads). Writes can fail; a crash of the
 * store (node `store`) loses writes younger than `syncDelayMs` and fails every
 * operation until restart. Every operation takes `operationMs` of virtual time.
 */
export class SimStorage implements VersionedStorage {
  private readonly history = new Map<string, StoredVersion[]>();
  private crashed = false;
  private replicaLagMs: Distribution | undefined;
  private writeFailureRatio: number;

  constructor(
    private readonly kernel: Kernel,
    private readonly options: SimStorageOptions = {},
    private readonly stream: RandomStream = { next: () => 0 },
    private readonly log?: EventLog,
    private readonly onFault: StorageFaultListener = () => {},
  ) {
    this.replicaLagMs = options.replicaLagMs;
    this.writeFailureRatio = options.writeFailureRatio ?? 0;
  }

  async read<Value>(key: string, source: ReadSource = 'primary'): Promise<Versioned<Value> | undefined> {
    await this.kernel.sleepUs(msToUs(this.options.operationMs ?? DEFAULT_STORAGE_OPERATION_MS));
    if (this.crashed) return undefined;
    const versions = this.history.get(key) ?? [];
    let visible: StoredVersion | undefined = versions[versions.length - 1];
    if (source === 'replica' && this.replicaLagMs !== undefined) {
      const asOfUs = this.kernel.nowUs() - msToUs(sample(this.replicaLagMs, this.stream));
      visible = undefined;
      for (const entry of versions) if (entry.writtenUs <= asOfUs) visible = entry;
      const latest = versions[versions.length - 1];
      if (latest !== undefined && visible?.version !== latest.version) {
        this.onFault('stale_read', key);
        this.log?.append(this.kernel.nowUs(), `store.stale-read ${key} saw=${visible?.version ?? 0} primary=${latest.version}`);
      }
    }
    return visible === undefined ? undefined : ({ value: visible.value, version: visible.version } as Versioned<Value>);
  }

  async write<Value>(key: string, value: Value, expectedVersion?: number): Promise<WriteResult> {
    await this.kernel.sleepUs(msToUs(this.options.operationMs ?? DEFAULT_STORAGE_OPERATION_MS));
    if (this.crashed) return { ok: false, reason: 'failed' };
    if (chance(this.writeFailureRatio, this.stream)) {
      this.onFault('write_failure', key);
      this.log?.append(this.kernel.nowUs(), `store.write-failed ${key}`);
      return { ok: false, reason: 'failed' };
    }
    const versions = this.history.get(key) ?? [];
    const currentVersion = versions[versions.length - 1]?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
      return { ok: false, reason: 'conflict', currentVersion };
    }
    const version = currentVersion + 1;
    versions.push({ value, version, writtenUs: this.kernel.nowUs() });
    if (versions.length > (this.options.historyVersionsMax ?? DEFAULT_HISTORY_VERSIONS_MAX)) versions.shift();
    this.history.set(key, versions);
    this.log?.append(this.kernel.nowUs(), `store.write ${key} v${version}`);
    return { ok: true, version };
  }

  /** Current primary version of `key` (0 when absent); for checkers, costs no time. */
  primaryVersion(key: string): number {
    const versions = this.history.get(key);
    return versions?.[versions.length - 1]?.version ?? 0;
  }

  /** Replica reads lag by `lagMs` from now on (undefined: back to the configured lag). */
  setReplicaLag(lagMs: Distribution | undefined): void {
    this.replicaLagMs = lagMs ?? this.options.replicaLagMs;
  }

  /** Writes fail with `ratio` from now on (undefined: back to the configured ratio). */
  setWriteFailureRatio(ratio: number | undefined): void {
    this.writeFailureRatio = ratio ?? this.options.writeFailureRatio ?? 0;
  }

  /** Crashes the store: unsynced writes are lost, operations fail until `restart`. Precondition: up. */
  crash(): void {
    if (this.crashed) return;
    this.crashed = true;
    const syncedBeforeUs = this.kernel.nowUs() - msToUs(this.options.syncDelayMs ?? 0);
    let lost = 0;
    for (const [key, versions] of this.history) {
      const kept = versions.filter((entry) => entry.writtenUs <= syncedBeforeUs);
      lost += versions.length - kept.length;
      if (kept.length === 0) this.history.delete(key);
      else this.history.set(key, kept);
    }
    this.log?.append(this.kernel.nowUs(), `fault.crash store lost-unsynced=${lost}`);
  }

  /** Restarts a crashed store with its synced writes. Precondition: crashed. */
  restart(): void {
    if (!this.crashed) return;
    this.crashed = false;
    this.log?.append(this.kernel.nowUs(), 'fault.restart store');
  }
}
