import { createStore, DEFAULT_CHDB_DIR } from '../collector/store/create-store.js';
import type { SpanStore } from '../collector/store/span-store.js';

/** Options every command that touches storage accepts. */
export const STORE_OPTIONS = {
  'data-dir': { type: 'string' },
  clickhouse: { type: 'string' },
  'clickhouse-cluster': { type: 'string' },
} as const;

export const STORE_HELP = `  --clickhouse URL   a ClickHouse server instead of the embedded one, e.g.
                     http://user:pass@host:8123/baton (default: $BATON_CLICKHOUSE_URL)
  --clickhouse-cluster NAME
                     the server is a cluster: ON CLUSTER DDL, replicated tables behind
                     Distributed ones (needs --clickhouse; see docs/clickhouse.md)
  --data-dir DIR     embedded ClickHouse data directory (default ${DEFAULT_CHDB_DIR})
`;

/**
 * The store a command asked for: a ClickHouse server when `--clickhouse` or
 * BATON_CLICKHOUSE_URL gives a URL, else embedded chDB under `--data-dir`.
 */
export async function openStore(values: { 'data-dir'?: string; clickhouse?: string; 'clickhouse-cluster'?: string }): Promise<SpanStore> {
  return createStore(values.clickhouse, { dataDir: values['data-dir'], cluster: values['clickhouse-cluster'] });
}
