import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectorServer } from '../../../collector/server/create-collector-server.js';
import { ChdbStore } from '../../../collector/store/chdb-store.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { sqlString } from '../../../collector/store/sql.js';
import { createDashboardPages } from '../../../reports/dashboard/dashboard-pages.js';
import { jsonRequest, listeningCollector, sdkSpans, tempDir, waitFor } from './collector-fixtures.js';

// The store is injectable: the ClickHouse-server variant of this suite
// passes a server store here instead of the embedded one.
const store: SpanStore = new ChdbStore(join(tempDir('chdb'), 'chdb'));
let server: CollectorServer;
let url: string;

beforeAll(async () => {
  await store.migrate();
  ({ server, url } = await listeningCollector({ store, dashboard: createDashboardPages() }));
});

afterAll(async () => {
  await server?.close();
  await store.close();
});

function exportWith(exporter: HttpJsonExporter | HttpProtoExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans as never, resolve));
}

async function spanCount(runId: string): Promise<number> {
  const rows = await store.query<{ c: string }>(`SELECT count() AS c FROM baton.spans FINAL WHERE run_id = ${sqlString(runId)}`);
  return Number(rows[0]?.c ?? 0);
}

describe('official OTLP exporters against the collector', () => {
  const cases = [
    ['http/json', (headers: Record<string, string>) => new HttpJsonExporter({ url: `${url}/v1/traces`, headers })],
    ['http/protobuf', (headers: Record<string, string>) => new HttpProtoExporter({ url: `${url}/v1/traces`, headers })],
    ['http/protobuf gzip', (headers: Record<string, string>) => new HttpProtoExporter({ url: `${url}/v1/traces`, headers, compression: 'gzip' as never })],
    ['http/json gzip', (headers: Record<string, string>) => new HttpJsonExporter({ url: `${url}/v1/traces`, headers, compression: 'gzip' as never })],
  ] as const;

  for (const [name, makeExporter] of cases) {
    it(`${name}: spans land in the spans and span_events tables with their typed columns`, async () => {
      const runId = `run-${name}`;
      const spans = sdkSpans(6, { 'service.name': 'checkout-agents', 'baton.run.id': runId, 'baton.seed': 3 });
      const exporter = makeExporter({ Authorization: 'Bearer test-token' });
      const result = await exportWith(exporter, spans);
      await exporter.shutdown();
      expect(result.code, String(result.error)).toBe(ExportResultCode.SUCCESS);
      // The drain writes spans, then events, then the runs row: wait for the segment to be gone.
      await waitFor(async () => (await spanCount(runId)) === 6 && server.spool.bytes === 0, 20_000, `6 spans of ${runId}`);
      const rows = await store.query<Record<string, string | number>>(
        `SELECT span_id, name, kind, status_code, service_name, seed, agent_name, handoff_source, handoff_target, input_tokens, operation ` +
          `FROM baton.spans FINAL WHERE run_id = ${sqlString(runId)} ORDER BY name`,
      );
      const child = rows.find((row) => row.name === 'invoke_agent agent-2')!;
      expect(child).toMatchObject({ service_name: 'checkout-agents', agent_name: 'agent-2', handoff_source: 'planner', handoff_target: 'agent-2', operation: 'invoke_agent' });
      expect(Number(child.seed)).toBe(3);
      expect(Number(child.kind)).toBe(2);
      expect(Number(child.status_code)).toBe(2);
      expect(Number(child.input_tokens)).toBe(102);
      expect(new Set(rows.map((row) => row.span_id))).toEqual(new Set(spans.map((span) => span.spanContext().spanId)));
      const events = await store.query<{ c: string }>(`SELECT count() AS c FROM baton.span_events FINAL WHERE run_id = ${sqlString(runId)}`);
      expect(Number(events[0]!.c)).toBe(5);
      const runs = await store.query<{ baton_version: string }>(`SELECT baton_version FROM baton.runs FINAL WHERE run_id = ${sqlString(runId)}`);
      expect(runs).toEqual([{ baton_version: 'otlp' }]);
    });
  }

  it('an exporter with the wrong token fails and stores nothing', async () => {
    const runId = 'run-wrong-token';
    const exporter = new HttpJsonExporter({ url: `${url}/v1/traces`, headers: { Authorization: 'Bearer nope' } });
    const result = await exportWith(exporter, sdkSpans(2, { 'service.name': 's', 'baton.run.id': runId }));
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(await spanCount(runId)).toBe(0);
  });

  it('the same spans sent twice show once (replay is idempotent)', async () => {
    const runId = 'run-twice';
    const spans = sdkSpans(4, { 'service.name': 's', 'baton.run.id': runId });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const exporter = new HttpProtoExporter({ url: `${url}/v1/traces`, headers: { Authorization: 'Bearer test-token' } });
      expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      const written = server.metrics.spansWritten;
      await waitFor(() => server.metrics.spansWritten >= written && server.spool.bytes === 0, 20_000, 'spool drained');
    }
    await waitFor(() => server.metrics.spansWritten >= 8, 20_000, 'both copies written');
    expect(await spanCount(runId)).toBe(4);
  });

  it('any string a client sends, lone surrogates and control characters included, inserts', async () => {
    // A row ClickHouse refuses would block its spool segment: everything that
    // passes validation must insert.
    const runId = 'run-strings';
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { numRuns: 300, seed: 7 });
    texts.push('\ud800', 'a\udfffb', '\u0000', "'; DROP TABLE baton.spans; --", '\\', '\u2028');
    const body = jsonRequest(texts.length, { runId }) as any;
    body.resourceSpans[0].scopeSpans[0].spans.forEach((span: Record<string, unknown>, index: number) => {
      span.name = texts[index];
      span.attributes = [{ key: texts[index] || 'k', value: { stringValue: texts[index] } }];
      span.events = [{ name: texts[index], timeUnixNano: span.startTimeUnixNano }];
    });
    const response = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    await waitFor(async () => (await spanCount(runId)) === texts.length && server.spool.bytes === 0, 20_000, 'every span stored');
    const rows = await store.query<{ name: string }>(`SELECT name FROM baton.spans FINAL WHERE run_id = ${sqlString(runId)} AND name = ${sqlString("'; DROP TABLE baton.spans; --")}`);
    expect(rows).toHaveLength(1);
  });

  it('the dashboard lists the exported runs and renders the report of one', async () => {
    const response = await fetch(`${url}/`, { headers: { authorization: 'Bearer test-token' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('run-http/json');
    expect((await fetch(`${url}/`)).status).toBe(401);
    const run = await fetch(`${url}/run?id=${encodeURIComponent('run-http/json')}`, { headers: { authorization: 'Bearer test-token' } });
    expect(run.status).toBe(200);
    const report = await run.text();
    expect(report).toContain('<code>run-http/json</code>');
    expect(report.match(/<svg class="chart"/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
