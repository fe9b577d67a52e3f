import { join } from 'node:path';
import { ChdbStore } from './chdb-store.js';
import { ClickHouseUrlError, DEFAULT_DATABASE } from './clickhouse-url.js';
import { ServerStore, type ServerStoreOptions } from './server-store.js';
import type { SpanStore } from './span-store.js';

/** Environment variable read when no URL is passed. */
export const CLICKHOUSE_URL_ENV = 'BATON_CLICKHOUSE_URL';
/** Embedded data directory when none is given. */
export const DEFAULT_CHDB_DIR = join('.baton', 'chdb');

/** Options of `createStore`. */
export interface CreateStoreOptions extends ServerStoreOptions {
  /** chDB data directory (embedded backend only). Default `.baton/chdb`. */
  dataDir?: string;
  /** Database of the embedded backend; the server backend takes it from the URL. Default `baton`. */
  database?: string;
  /** Where `BATON_CLICKHOUSE_URL` is read from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The store a URL selects, without connecting (nothing happens until the
 * first call):
 * - `url` undefined or empty, and `BATON_CLICKHOUSE_URL` unset or empty →
 *   embedded chDB at `options.dataDir`;
 * - `http://user:pass@host:port/db` or `https://…` → ClickHouse server
 *   (database from the path, default `baton`);
 * - anything else, or a `cluster` without a URL → `ClickHouseUrlError` (code
 *   `BATON_ERR_CONFIG_CLICKHOUSE_URL`, a StoreError; the CLI should treat it as bad input).
 */
export function createStore(url?: string, options: CreateStoreOptions = {}): SpanStore {
  const env = options.env ?? process.env;
  const chosen = nonEmpty(url) ?? nonEmpty(env[CLICKHOUSE_URL_ENV]);
  if (chosen === undefined) {
    // chDB has no cluster: refuse rather than silently create a single-node schema.
    if (options.cluster !== undefined) throw new ClickHouseUrlError(`a cluster (${options.cluster}) needs a ClickHouse server URL`);
    return new ChdbStore(options.dataDir ?? DEFAULT_CHDB_DIR, options.database ?? DEFAULT_DATABASE);
  }
  if (!/^https?:\/\//i.test(chosen)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(chosen)?.[1];
    throw new ClickHouseUrlError(scheme ? `scheme ${JSON.stringify(scheme)} is not http or https` : 'not an http(s) URL');
  }
  return new ServerStore(chosen, options);
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
