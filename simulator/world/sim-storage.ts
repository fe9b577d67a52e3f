import type { ReadSource, Versioned, VersionedStorage, WriteResult } from '../../core/env/storage.js';
import type { Kernel } from '../kernel/kernel.js';
import { msToUs } from './sim-clock.js';

/** Options of the simulated store. */
export interface SimStorageOptions {
  /** Latency of every operation. Default 1 ms. */
  operationMs?: number;
}

/**
 * The storage port under simulation: a versioned map on a primary with
 * compare-and-swap. Every operation takes `operationMs` of virtual time.
 */
export class SimStorage implements VersionedStorage {
  private readonly data = new Map<string, Versioned>();

  constructor(
    private readonly kernel: Kernel,
    private readonly options: SimStorageOptions = {},
  ) {}

  async read<Value>(key: string, _source: ReadSource = 'primary'): Promise<Versioned<Value> | undefined> {
    await this.kernel.sleepUs(msToUs(this.options.operationMs ?? 1));
    return this.data.get(key) as Versioned<Value> | undefined;
  }

  async write<Value>(key: string, value: Value, expectedVersion?: number): Promise<WriteResult> {
    await this.kernel.sleepUs(msToUs(this.options.operationMs ?? 1));
    const currentVersion = this.data.get(key)?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
      return { ok: false, reason: 'conflict', currentVersion };
    }
    const version = currentVersion + 1;
    this.data.set(key, { value, version });
    return { ok: true, version };
  }
}
