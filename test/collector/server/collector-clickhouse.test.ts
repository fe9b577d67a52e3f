import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectorServer } from '../../../collector/server/create-collector-server.js';
import { createStore } from '../../../collector/store/create-store.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { sqlString } from '../../../collector/store/sql.js';
import { jsonRequest, listeningCollector, sdkSpans, tempDir, waitFor } from './collector-fixtures.js';

// The collector against a real ClickHouse server: Debian's 18.16 package,
// started by .ci/clickhouse.sh on ports of its own. Skipped where there is no
// clickhouse-server binary.
const SCRIPT = '.ci/clickhouse.sh';
const DIR = join(tmpdir(), `baton-ch-collector-${process.pid}`);
const HTTP_PORT = '18133';
const ENV = { ...process.env, BATON_CH_TCP_PORT: '19033' };
const available = existsSync(SCRIPT) && ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'].some((path) => existsSync(path));

function clickhouse(command: 'start' | 'stop'): void {
  execFileSync('bash', [SCRIPT, command, DIR, HTTP_PORT], { env: ENV, stdio: 'pipe' });
}

let store: SpanStore;
let server: CollectorServer;
let url: string;

describe.skipIf(!available)('collector with ClickHouse 18.16 server behind it', () => {
  beforeAll(async () => {
    clickhouse('start');
    // Few retries inside the store: the collector's drain is what must ride out the outage.
    store = createStore(`http://default:@127.0.0.1:${HTTP_PORT}/baton_collector_test`, { attemptsMax: 2, connectAttemptsMax: 2, backoffMsMax: 200 });
    await store.migrate();
    ({ server, url } = await listeningCollector({ store, drain: { intervalMs: 20, backoffMsMin: 50, backoffMsMax: 500 } }));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    clickhouse('stop');
    // The server is gone: its data directory goes too (BATON_KEEP_CH_DIRS keeps it to look into).
    if (!process.env.BATON_KEEP_CH_DIRS) rmSync(DIR, { recursive: true, force: true });
  }, 60_000);

  async function count(table: 'spans' | 'span_events', runId: string): Promise<number> {
    const rows = await store.query<{ c: string }>(`SELECT count() AS c FROM baton_collector_test.${table} FINAL WHERE run_id = ${sqlString(runId)}`);
    return Number(rows[0]?.c ?? 0);
  }

  function exportWith(exporter: HttpJsonExporter | HttpProtoExporter, spans: ReadableSpan[]): Promise<ExportResult> {
    return new Promise((resolve) => exporter.export(spans as never, resolve));
  }

  for (const [name, Exporter] of [
    ['http/json', HttpJsonExporter],
    ['http/protobuf', HttpProtoExporter],
  ] as const) {
    it(`${name} exporter: spans and events land in ClickHouse`, async () => {
      const runId = `ch-${name}`;
      const spans = sdkSpans(8, { 'service.name': 'ch', 'baton.run.id': runId });
      const exporter = new Exporter({ url: `${url}/v1/traces`, headers: { Authorization: 'Bearer test-token' } });
      const result = await exportWith(exporter, spans);
      await exporter.shutdown();
      expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
      await waitFor(async () => (await count('spans', runId)) === 8, 30_000, 'spans in ClickHouse');
      // Events are inserted after spans: wait for them too.
      await waitFor(async () => (await count('span_events', runId)) === 7, 30_000, 'events in ClickHouse');
      const rows = await store.query<{ handoff_target: string }>(
        `SELECT handoff_target FROM baton_collector_test.spans FINAL WHERE run_id = ${sqlString(runId)} AND name = 'invoke_agent agent-3'`,
      );
      expect(rows).toEqual([{ handoff_target: 'agent-3' }]);
    });
  }

  it('a ClickHouse outage loses nothing and duplicates nothing', async () => {
    const runId = 'ch-outage';
    clickhouse('stop');
    const bodies = Array.from({ length: 5 }, (_, index) => JSON.stringify(jsonRequest(20, { runId, spanIdOffset: index * 20 })));
    for (const body of bodies) {
      const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' }, body });
      expect(response.status).toBe(200);
    }
    await waitFor(() => server.metrics.storeRetries > 0, 60_000, 'a failed write');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect(server.spool.bytes).toBeGreaterThan(0);
    clickhouse('start');
    await waitFor(() => server.spool.bytes === 0, 90_000, 'spool drained after the outage');
    // Re-send one batch as a client retry would: FINAL still shows each span once.
    await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' }, body: bodies[0] });
    await waitFor(() => server.spool.bytes === 0, 30_000, 'retry drained');
    expect(await count('spans', runId)).toBe(100);
  }, 180_000);
});
