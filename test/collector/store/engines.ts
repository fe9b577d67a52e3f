/**
 * The two engines every storage test runs on. chDB holds one data directory
 * per process, so each test file gets one temporary directory and every chDB
 * store of the file lives in it (under different databases).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import { ServerStore, type ServerStoreOptions } from '../../../collector/store/server-store.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { ensureServer, serverTestsEnabled, uniqueDatabase } from './clickhouse-server.js';

/** One engine under test. */
export interface EngineCase {
  name: 'chdb' | 'server-18.16';
  /** False when the server suite is skipped (no server on PATH, not required). */
  enabled: boolean;
  /** A store on a fresh database of this engine; starts the server if needed. */
  open(prefix: string, options?: ServerStoreOptions): Promise<SpanStore>;
  /** Drops the databases opened and removes temporary files. */
  cleanup(): Promise<void>;
}

export function engineCases(suite: string): EngineCase[] {
  return [chdbCase(), serverCase(suite)];
}

function chdbCase(): EngineCase {
  let dir: string | undefined;
  const stores: SpanStore[] = [];
  return {
    name: 'chdb',
    enabled: true,
    async open(prefix) {
      dir ??= mkdtempSync(join(tmpdir(), 'baton-chdb-'));
      const store = new ChdbStore(dir, uniqueDatabase(prefix));
      stores.push(store);
      return store;
    },
    async cleanup() {
      // chDB keeps its session for the process: close the store, then drop the files.
      for (const store of stores) await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function serverCase(suite: string): EngineCase {
  const stores: SpanStore[] = [];
  return {
    name: 'server-18.16',
    enabled: serverTestsEnabled(suite),
    async open(prefix, options) {
      const base = await ensureServer();
      const store = new ServerStore(`${base}/${uniqueDatabase(prefix)}`, options);
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const store of stores) {
        await store.command(`DROP DATABASE IF EXISTS ${store.database}`).catch(() => undefined);
        await store.close();
      }
    },
  };
}
