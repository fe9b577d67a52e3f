/**
 * Cluster DDL: the generated text, that both engines parse every statement,
 * and — on 18.16, over the loopback cluster .ci/clickhouse.sh configures —
 * that the Distributed half dedupes with FINAL. Replication itself needs
 * ZooKeeper and is not exercised here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanRow } from '../../../collector/span-rows.js';
import { schemaStatements, TABLES } from '../../../collector/store/schema.js';
import { ServerStore } from '../../../collector/store/server-store.js';
import { sqlString } from '../../../collector/store/sql.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { ensureServer, serverTestsEnabled, uniqueDatabase } from './clickhouse-server.js';
import { engineCases } from './engines.js';
import { runColumns, spanRecord } from './span-fixtures.js';

const flat = (sql: string) => sql.replace(/\s+/g, ' ');

describe('schemaStatements with a cluster', () => {
  const statements = schemaStatements('baton', { cluster: 'ci_cluster' }).map(flat);

  it('creates the database, then a replicated local table and a Distributed table per table, all ON CLUSTER', () => {
    expect(statements).toHaveLength(1 + 2 * TABLES.length);
    expect(statements[0]).toBe('CREATE DATABASE IF NOT EXISTS baton ON CLUSTER ci_cluster');
    for (const statement of statements) expect(statement).toContain(' ON CLUSTER ci_cluster');
  });

  it('spans: ReplicatedReplacingMergeTree at /clickhouse/tables/{shard}/baton/spans, same keys as the single-server schema', () => {
    const local = statements.find((statement) => statement.startsWith('CREATE TABLE IF NOT EXISTS baton.spans_local '))!;
    expect(local).toMatch(
      /\) ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/baton\/spans', '\{replica\}'\) PARTITION BY toYYYYMM\(recorded_date\) ORDER BY \(run_id, trace_id, span_id\)$/,
    );
    expect(local).toContain('attributes Nested(key String, value String)');
    expect(statements).toContain(
      'CREATE TABLE IF NOT EXISTS baton.spans ON CLUSTER ci_cluster AS baton.spans_local ENGINE = Distributed(ci_cluster, baton, spans_local, cityHash64(run_id))',
    );
  });

  it('runs keeps its version column; schema_migrations is unpartitioned and sharded by version', () => {
    expect(statements.find((s) => s.includes('baton.runs_local '))).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/baton/runs', '{replica}', recorded_at) PARTITION BY",
    );
    const migrations = statements.find((s) => s.includes('baton.schema_migrations_local '))!;
    expect(migrations).not.toContain('PARTITION BY');
    expect(statements).toContain(
      'CREATE TABLE IF NOT EXISTS baton.schema_migrations ON CLUSTER ci_cluster AS baton.schema_migrations_local ENGINE = Distributed(ci_cluster, baton, schema_migrations_local, version)',
    );
  });

  it('refuses a cluster name that is not an identifier', () => {
    expect(() => schemaStatements('baton', { cluster: "c'; DROP TABLE x" })).toThrow(/invalid SQL identifier/);
  });

  it('without a cluster: no ON CLUSTER, no Distributed, plain ReplacingMergeTree', () => {
    const single = schemaStatements('baton').map(flat);
    expect(single.some((s) => s.includes('ON CLUSTER') || s.includes('Distributed') || s.includes('Replicated'))).toBe(false);
    expect(single).toHaveLength(1 + TABLES.length);
  });
});

describe.each(engineCases('cluster DDL parsing (cluster-schema.test.ts)'))('cluster DDL parses on $name', (engine) => {
  let store: SpanStore;
  beforeAll(async () => {
    if (engine.enabled) store = await engine.open('baton_cluster_parse');
  }, 120_000);
  afterAll(() => engine.cleanup());

  (engine.enabled ? it : it.skip)('every statement fails only for want of the cluster, never with a syntax error', async () => {
    for (const statement of schemaStatements(store.database, { cluster: 'no_such_cluster' })) {
      const error = await store.command(statement).then(
        () => undefined,
        (caught: Error) => caught,
      );
      // 18.16: "Requested cluster 'no_such_cluster' not found"; current: CLUSTER_DOESNT_EXIST or UNKNOWN_DATABASE.
      expect(error?.message ?? '').not.toMatch(/Code: 62\b|Syntax error/);
    }
  });
});

const serverEnabled = serverTestsEnabled('Distributed tables over the loopback cluster (cluster-schema.test.ts)');

describe.skipIf(!serverEnabled)('Distributed half of the cluster schema on 18.16 (loopback cluster, no ZooKeeper)', () => {
  let store: ServerStore;
  beforeAll(async () => {
    const base = await ensureServer();
    store = new ServerStore(`${base}/${uniqueDatabase('baton_distributed')}`, { cluster: 'baton_loopback' });
    // Same DDL minus what needs ZooKeeper: ON CLUSTER and replication.
    for (const statement of schemaStatements(store.database, { cluster: 'baton_loopback' })) {
      await store.command(
        statement
          .replace(' ON CLUSTER baton_loopback', '')
          .replace(/ReplicatedReplacingMergeTree\('[^']*', '\{replica\}'(?:, (\w+))?\)/, (_, version?: string) =>
            version ? `ReplacingMergeTree(${version})` : 'ReplacingMergeTree',
          ),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await store?.command(`DROP DATABASE IF EXISTS ${store.database}`);
    await store?.close();
  });

  it('inserts through the Distributed table are synchronous and FINAL dedupes re-inserts', async () => {
    const run = runColumns('run-distributed');
    const rows = Array.from({ length: 30 }, (_, index) => spanRow(spanRecord(index), run));
    await store.insert('spans', rows);
    await store.insert('spans', rows);
    const where = `WHERE run_id = ${sqlString(run.runId)}`;
    expect(await store.query(`SELECT count() AS rows, uniqExact(span_id) AS ids FROM ${store.database}.spans FINAL ${where}`)).toEqual([
      { rows: '30', ids: '30' },
    ]);
    // Synchronous: the local table already holds the rows (60 until a background merge collapses them).
    const local = await store.query<{ rows: string }>(`SELECT count() AS rows FROM ${store.database}.spans_local ${where}`);
    expect(Number(local[0]!.rows)).toBeGreaterThanOrEqual(30);
    const p50 = await store.query(`SELECT quantileExact(0.5)(duration_ns) AS p50 FROM ${store.database}.spans FINAL ${where}`);
    expect(p50).toHaveLength(1);
  });
});
