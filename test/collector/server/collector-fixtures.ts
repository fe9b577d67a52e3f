import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll } from 'vitest';
import { createCollectorServer, type CollectorServer } from '../../../collector/server/create-collector-server.js';
import type { CollectorServerOptions } from '../../../collector/server/collector-options.js';
import type { TableName } from '../../../collector/store/schema.js';
import type { SpanStore } from '../../../collector/store/span-store.js';

const tempDirs: string[] = [];

// Registered when a test file imports this module, so it runs after the file's
// own afterAll hooks (hooks run as a stack): stores and servers are closed by then.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system's temporary directory, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `baton-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/**
 * Finished SDK spans from a real tracer: one workflow span with `count - 1`
 * children carrying handoff and gen_ai attributes, an event and an error.
 */
export function sdkSpans(count: number, resource: Attributes): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('baton-test', '1.2.3');
  tracer.startActiveSpan('invoke_workflow triage', { kind: SpanKind.SERVER }, (root) => {
    for (let index = 1; index < count; index += 1) {
      const child = tracer.startSpan(`invoke_agent agent-${index}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': `agent-${index}`,
          'gen_ai.usage.input_tokens': 100 + index,
          'baton.handoff.id': `h-${index}`,
          'baton.handoff.source': 'planner',
          'baton.handoff.target': `agent-${index}`,
          'baton.handoff.attempt': 1,
          tags: ['a', 'b'],
        },
      });
      child.addEvent('handoff.accepted', { 'baton.handoff.phase': 'accept' });
      if (index % 2 === 0) child.setStatus({ code: SpanStatusCode.ERROR, message: 'agent failed' });
      child.end();
    }
    root.end();
  });
  return exporter.getFinishedSpans();
}

/**
 * A SpanStore in memory that keeps the last row per table key, as
 * ReplacingMergeTree + FINAL shows it, and counts raw inserts. `failInserts`
 * makes the next n inserts fail, like a ClickHouse outage.
 */
export class MemoryStore implements SpanStore {
  readonly engine = 'chdb' as const;
  readonly database = 'baton';
  readonly rows = new Map<TableName, Map<string, Record<string, unknown>>>();
  insertedRows = 0;
  failInserts = 0;
  migrations = 0;

  async migrate(): Promise<void> {
    this.migrations += 1;
  }

  async insert(table: TableName, rows: readonly object[]): Promise<void> {
    if (this.failInserts > 0) {
      this.failInserts -= 1;
      throw new Error('store unreachable (simulated)');
    }
    const byKey = this.rows.get(table) ?? new Map<string, Record<string, unknown>>();
    this.rows.set(table, byKey);
    for (const row of rows as Record<string, unknown>[]) {
      byKey.set([row.run_id, row.trace_id, row.span_id, row.event_index].join('/'), row);
      this.insertedRows += 1;
    }
  }

  async query<Row = Record<string, unknown>>(sql: string): Promise<Row[]> {
    if (/FROM baton\.runs/.test(sql)) return [...(this.rows.get('runs')?.values() ?? [])] as Row[];
    return [{ ok: 1 }] as Row[];
  }

  async command(): Promise<void> {}

  async close(): Promise<void> {}

  spanIds(): string[] {
    return [...(this.rows.get('spans')?.values() ?? [])].map((row) => String(row.span_id));
  }
}

/** A collector on a free loopback port with a fresh spool, listening. */
export async function listeningCollector(
  options: Partial<CollectorServerOptions> & Pick<CollectorServerOptions, 'store'>,
): Promise<{ server: CollectorServer; url: string }> {
  const server = await createCollectorServer({ spoolDir: join(tempDir('spool'), 'spool'), port: 0, token: 'test-token', drain: { intervalMs: 20 }, ...options });
  const { url } = await server.listen();
  return { server, url };
}

/** Polls `check` every 20 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A minimal valid OTLP/JSON request with `count` spans of one trace, times near now. */
export function jsonRequest(count: number, options: { runId?: string; spanIdOffset?: number; service?: string } = {}): Record<string, unknown> {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const resourceAttributes = [{ key: 'service.name', value: { stringValue: options.service ?? 'svc' } }];
  if (options.runId) resourceAttributes.push({ key: 'baton.run.id', value: { stringValue: options.runId } });
  return {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [
          {
            scope: { name: 'fixture' },
            spans: Array.from({ length: count }, (_, index) => ({
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: (BigInt(options.spanIdOffset ?? 0) + BigInt(index) + 1n).toString(16).padStart(16, '0'),
              name: `span-${index}`,
              kind: 1,
              startTimeUnixNano: nowNs.toString(),
              endTimeUnixNano: (nowNs + 1_000n).toString(),
            })),
          },
        ],
      },
    ],
  };
}
