import { join } from 'node:path';
import { ChdbStore } from '../collector/store/chdb-store.js';
import type { SpanStore } from '../collector/store/span-store.js';
import { UsageError } from './exit-codes.js';

/** Where the embedded store lives unless `--data-dir` says otherwise. */
export const DEFAULT_DATA_DIR = join('.baton', 'chdb');

/** Options every command that touches storage accepts. */
export const STORE_OPTIONS = {
  'data-dir': { type: 'string' },
  clickhouse: { type: 'string' },
} as const;

export const STORE_HELP = `  --data-dir DIR     embedded ClickHouse data directory (default .baton/chdb)
  --clickhouse URL   a ClickHouse server instead, e.g. http://user:pass@host:8123/baton
                     (default: $BATON_CLICKHOUSE_URL, else embedded)
`;

/**
 * Opens the store a command asked for: a ClickHouse server when `--clickhouse`
 * or BATON_CLICKHOUSE_URL gives a URL, else embedded chDB under `dataDir`.
 */
export async function openStore(values: { 'data-dir'?: string; clickhouse?: string }): Promise<SpanStore> {
  const url = values.clickhouse ?? process.env.BATON_CLICKHOUSE_URL;
  if (url) {
    // The server backend lives in collector/store/create-store.ts; imported
    // lazily so that the embedded path never loads the HTTP client.
    const modulePath = '../collector/store/create-store.js';
    let module: { createStore?: (url: string) => SpanStore | Promise<SpanStore> };
    try {
      module = (await import(modulePath)) as typeof module;
    } catch (error) {
      throw new UsageError(`--clickhouse: the ClickHouse server backend is not available in this build (${(error as Error).message})`);
    }
    if (!module.createStore) throw new UsageError('--clickhouse: the ClickHouse server backend is not available in this build');
    return await module.createStore(url);
  }
  return new ChdbStore(values['data-dir'] ?? DEFAULT_DATA_DIR);
}
