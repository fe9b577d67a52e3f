import type { Env } from '../env/env.js';
import type { WriteResult } from '../env/storage.js';
import { CoreError } from '../errors/core-errors.js';
import { mergeFindings, type FindingsCrdt } from './findings-crdt.js';
import { checkAccess, type AccessRefusal, type MemoryFragment } from './memory-fragment.js';

/** Compare-and-swap attempts of one update before it gives up. Default 16. */
export const DEFAULT_CAS_ATTEMPTS_MAX = 16;
/** Backoff after a failed write: 10 ms doubling, capped at 500 ms. */
export const WRITE_RETRY_BASE_MS = 10;
export const WRITE_RETRY_CAP_MS = 500;

/** Who reads, for which task, and the oldest version the read may return. */
export interface ReadIntent {
  reader: string;
  workflowId: string;
  taskId: string;
  /** The version the reader's dependencies committed at; 0 when any version will do. */
  epochRequired: number;
}

/** What a read returned: a fragment the reader may act on, or why not. */
export type ReadOutcome<Content> =
  | { ok: true; fragment: MemoryFragment<Content>; source: 'primary' | 'replica' }
  | { ok: false; reason: AccessRefusal | 'absent' };

/** Notification of a new fragment version (pub/sub of seed 000). */
export type FragmentListener = (fragment: MemoryFragment) => void;

/**
 * Shared memory over the storage port: fragments under `memory/{space}/{id}`,
 * compare-and-swap writes, CRDT merge for shared findings, reads that either
 * take any replica's answer (`any-replica`, naive) or refuse a version older
 * than the reader's epoch and re-read the primary (`epoch-checked`). Every
 * read a task acts on is recorded as a `memory.read` event.
 */
export class SharedMemory {
  private readonly listeners = new Map<string, Set<FragmentListener>>();

  constructor(
    private readonly env: Env,
    private readonly consistency: 'any-replica' | 'epoch-checked',
    private readonly casAttemptsMax = DEFAULT_CAS_ATTEMPTS_MAX,
  ) {}

  /** Storage key of a fragment. */
  static key(spaceId: string, id: string): string {
    return `memory/${spaceId}/${id}`;
  }

  /** Writes `fragment`; with `expectedVersion` only if the stored version still equals it. Notifies subscribers. */
  async write<Content>(fragment: MemoryFragment<Content>, expectedVersion?: number): Promise<WriteResult> {
    const { version: _read, ...stored } = fragment;
    const result = await this.env.storage.write(SharedMemory.key(fragment.spaceId, fragment.id), stored, expectedVersion);
    if (result.ok) this.notify({ ...fragment, version: result.version });
    return result;
  }

  /**
   * Reads a fragment for a task. `epoch-checked`: a replica answer older than
   * `intent.epochRequired` is refused (recorded) and the primary is read.
   */
  async read<Content>(spaceId: string, id: string, intent: ReadIntent): Promise<ReadOutcome<Content>> {
    const key = SharedMemory.key(spaceId, id);
    let source: 'primary' | 'replica' = 'replica';
    let stored = await this.env.storage.read<Omit<MemoryFragment<Content>, 'version'>>(key, 'replica');
    let versionRead = stored?.version ?? 0;
    if (this.consistency === 'epoch-checked' && versionRead < intent.epochRequired) {
      this.recordRead(key, intent, versionRead, source, 'refused');
      source = 'primary';
      stored = await this.env.storage.read(key, 'primary');
      versionRead = stored?.version ?? 0;
    }
    this.recordRead(key, intent, versionRead, source, 'acted-on');
    if (!stored) return { ok: false, reason: 'absent' };
    const fragment = { ...stored.value, version: stored.version } as MemoryFragment<Content>;
    const refusal = checkAccess(fragment, intent.reader, this.env.clock.nowUs());
    return refusal ? { ok: false, reason: refusal } : { ok: true, fragment, source };
  }

  /**
   * Read-modify-write on the primary with compare-and-swap, retried on
   * conflict (at once) and on failed writes (with backoff) up to the attempt
   * limit, then BATON_ERR_MEMORY_CONTENDED (the caller escalates). `change` returns the next fragment, or
   * undefined to leave it as is. Resolves with the fragment as stored.
   */
  async update<Content>(
    spaceId: string,
    id: string,
    change: (current: MemoryFragment<Content> | undefined) => MemoryFragment<Content> | undefined,
  ): Promise<{ fragment: MemoryFragment<Content> | undefined; written: boolean }> {
    const key = SharedMemory.key(spaceId, id);
    for (let attempt = 1; attempt <= this.casAttemptsMax; attempt++) {
      const stored = await this.env.storage.read<Omit<MemoryFragment<Content>, 'version'>>(key, 'primary');
      const current = stored ? ({ ...stored.value, version: stored.version } as MemoryFragment<Content>) : undefined;
      const next = change(current);
      if (next === undefined) return { fragment: current, written: false };
      const result = await this.write(next, stored?.version ?? 0);
      if (result.ok) return { fragment: { ...next, version: result.version }, written: true };
      // Seed 000: "write fails → retry with backoff"; a conflict retries at once with fresh state.
      if (result.reason === 'failed') await this.env.clock.sleepMs(Math.min(WRITE_RETRY_CAP_MS, WRITE_RETRY_BASE_MS * 2 ** (attempt - 1)));
    }
    throw new CoreError('BATON_ERR_MEMORY_CONTENDED', `memory ${key}: compare-and-swap lost ${this.casAttemptsMax} times`);
  }

  /** Merges `findings` into a findings fragment (created when absent) with the CRDT join. */
  async mergeFindings(template: MemoryFragment<FindingsCrdt>, findings: FindingsCrdt): Promise<MemoryFragment<FindingsCrdt>> {
    const { fragment } = await this.update<FindingsCrdt>(template.spaceId, template.id, (current) => {
      const base = current ?? template;
      return { ...base, content: { type: 'structured', data: mergeFindings(base.content.data, findings) } };
    });
    return fragment!;
  }

  /** Deletes a fragment (a tombstone, so late readers learn it is gone). */
  async remove(spaceId: string, id: string): Promise<void> {
    await this.update(spaceId, id, (current) =>
      current === undefined || current.lifecycle.deleted ? undefined : { ...current, lifecycle: { ...current.lifecycle, deleted: true } },
    );
  }

  /** Calls `listener` on every new version written in `spaceId` through this instance. Returns the unsubscribe. */
  subscribe(spaceId: string, listener: FragmentListener): () => void {
    let set = this.listeners.get(spaceId);
    if (!set) this.listeners.set(spaceId, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  private notify(fragment: MemoryFragment): void {
    for (const listener of this.listeners.get(fragment.spaceId) ?? []) listener(fragment);
  }

  private recordRead(key: string, intent: ReadIntent, versionRead: number, source: 'primary' | 'replica', outcome: 'acted-on' | 'refused'): void {
    this.env.observer.record({
      type: 'memory.read',
      workflowId: intent.workflowId,
      taskId: intent.taskId,
      agent: intent.reader,
      key,
      versionRead,
      epochRequired: intent.epochRequired,
      source,
      outcome,
    });
  }
}
