import { createStore, DEFAULT_CHDB_DIR } from '../store/create-store.js';
import type { SpanStore } from '../store/span-store.js';
import { createCollectorServer, type CollectorServer } from './create-collector-server.js';
import type { CollectorServerOptions } from './collector-options.js';

/** Options of `startCollector`: the server's, with the store built from a URL or a data dir when not given. */
export interface StartCollectorOptions extends Omit<CollectorServerOptions, 'store' | 'spoolDir'> {
  /** A store to use as-is (tests inject one). When set, `clickhouseUrl`, `clickhouseCluster` and `dataDir` are ignored. */
  store?: SpanStore;
  /** ClickHouse server URL (`http://user:pass@host:8123/db`). Default `BATON_CLICKHOUSE_URL`, else embedded chDB. */
  clickhouseUrl?: string;
  /** ClickHouse cluster name: ON CLUSTER DDL, replicated tables behind Distributed ones. Needs a URL. Default none. */
  clickhouseCluster?: string;
  /** Embedded chDB data directory, when no URL is given. Default `.baton/chdb`. */
  dataDir?: string;
  /** Spool directory. Default `.baton/spool`. */
  spoolDir?: string;
}

export const DEFAULT_SPOOL_DIR = '.baton/spool';

/** A listening collector. */
export interface RunningCollector {
  readonly url: string;
  readonly port: number;
  readonly server: CollectorServer;
  readonly store: SpanStore;
  /** Stops the server and the drain, closes the spool, and closes the store if `startCollector` opened it. */
  close(): Promise<void>;
}

/**
 * Opens the store (unless given), builds the collector and listens. The store
 * is not migrated here: the drain migrates it on its first write, so the
 * collector starts and accepts spans into the spool while ClickHouse is down.
 */
export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const ownsStore = options.store === undefined;
  const store = options.store ?? createStore(options.clickhouseUrl, { dataDir: options.dataDir ?? DEFAULT_CHDB_DIR, cluster: options.clickhouseCluster });
  let server: CollectorServer;
  try {
    server = await createCollectorServer({ ...options, store, spoolDir: options.spoolDir ?? DEFAULT_SPOOL_DIR });
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  let address: { url: string; port: number };
  try {
    address = await server.listen();
  } catch (error) {
    // Release the spool's lock and the decode workers, or the process would not exit.
    await server.close();
    if (ownsStore) await store.close();
    throw error;
  }
  const { url, port } = address;
  return {
    url,
    port,
    server,
    store,
    async close() {
      await server.close();
      if (ownsStore) await store.close();
    },
  };
}
