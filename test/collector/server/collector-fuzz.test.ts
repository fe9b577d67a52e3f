import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcStatus } from '../../../collector/otlp/trace-proto.js';
import type { CollectorServer } from '../../../collector/server/create-collector-server.js';
import { jsonRequest, listeningCollector, MemoryStore, waitFor } from './collector-fixtures.js';

// Statuses a client may see for a bad body; a 5xx other than 503 would be a bug.
const ALLOWED = new Set([200, 400, 413, 415, 429, 503]);
const RUNS = 1_500;

let server: CollectorServer;
let url: string;
const store = new MemoryStore();
const seen = new Map<number, number>();

beforeAll(async () => {
  ({ server, url } = await listeningCollector({ store, bodyLimitBytes: 256 * 1024 }));
});

afterAll(async () => {
  await server?.close();
});

async function send(body: string | Uint8Array, contentType = 'application/json', extra: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: 'Bearer test-token', ...extra },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
  if (!ALLOWED.has(response.status)) throw new Error(`status ${response.status}: ${bytes.toString()}`);
  if (response.status === 400) {
    const protobuf = response.headers.get('content-type')?.includes('protobuf');
    const status = protobuf ? RpcStatus.toObject(RpcStatus.decode(bytes)) : JSON.parse(bytes.toString('utf8'));
    expect(status.message).toMatch(/\S/);
  }
  return response.status;
}

/** Paths inside a valid request where a random JSON value is planted. */
const PATHS = [
  [],
  ['resourceSpans'],
  ['resourceSpans', 0],
  ['resourceSpans', 0, 'resource'],
  ['resourceSpans', 0, 'resource', 'attributes'],
  ['resourceSpans', 0, 'resource', 'attributes', 0],
  ['resourceSpans', 0, 'resource', 'attributes', 0, 'value'],
  ['resourceSpans', 0, 'scopeSpans'],
  ['resourceSpans', 0, 'scopeSpans', 0, 'scope'],
  ['resourceSpans', 0, 'scopeSpans', 0, 'spans'],
  ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 0],
  ...['traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'events', 'status', 'links'].map((field) => [
    'resourceSpans',
    0,
    'scopeSpans',
    0,
    'spans',
    1,
    field,
  ]),
] as (string | number)[][];

function plant(value: unknown, path: (string | number)[]): unknown {
  const request = jsonRequest(3, { runId: 'fuzz' }) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let node: Record<string | number, unknown> = request;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return request;
}

/** AnyValue-shaped values, valid and not, nested deeper than the limit. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: fc.string() }),
    fc.record({ intValue: fc.oneof(fc.integer(), fc.string()) }),
    fc.record({ doubleValue: fc.oneof(fc.double(), fc.string()) }),
    fc.record({ bytesValue: fc.string() }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: fc.string(), value: tie('value') }), { maxLength: 3 }) }) }),
    fc.jsonValue(),
  ),
})).value;

describe('fuzz: malformed OTLP/JSON bodies', () => {
  it('random text is answered with a 4xx, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => void (await send(text))), { numRuns: RUNS, seed: 1 });
  }, 180_000);

  it('a random JSON value planted anywhere in a valid request is answered 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.oneof(fc.jsonValue(), anyValue), async (path, value) => {
        const status = await send(JSON.stringify(plant(value, path)));
        expect([200, 400]).toContain(status);
      }),
      { numRuns: RUNS, seed: 2 },
    );
  }, 180_000);

  it('random attributes are answered 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.string(), value: anyValue }), { maxLength: 140 }), async (attributes) => {
        const status = await send(JSON.stringify(plant(attributes, ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 0, 'attributes'])));
        expect([200, 400]).toContain(status);
      }),
      { numRuns: RUNS, seed: 3 },
    );
  }, 180_000);

  it('truncated, deeply nested and binary bodies, JSON or protobuf, concurrently', async () => {
    const valid = JSON.stringify(jsonRequest(5));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.nat({ max: valid.length }).map((cut) => ({ body: valid.slice(0, cut) as string | Uint8Array, type: 'application/json' })),
            fc.uint8Array({ maxLength: 400 }).map((bytes) => ({ body: bytes as string | Uint8Array, type: 'application/x-protobuf' })),
            fc.integer({ min: 1, max: 200_000 }).map((depth) => ({ body: '['.repeat(depth) as string | Uint8Array, type: 'application/json' })),
            fc.uint8Array({ maxLength: 400 }).map((bytes) => ({ body: bytes as string | Uint8Array, type: 'application/json' })),
          ),
          { minLength: 1, maxLength: 16 },
        ),
        async (bodies) => {
          await Promise.all(bodies.map(({ body, type }) => send(body, type)));
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  }, 180_000);

  it('afterwards the server is up and still stores a good request', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await send(JSON.stringify(jsonRequest(3, { runId: 'after-fuzz', spanIdOffset: 1 << 30 })))).toBe(200);
    await waitFor(() => store.spanIds().filter((id) => id.startsWith('00000000400000')).length === 3, 10_000, 'the good spans stored');
    expect(seen.get(500) ?? 0).toBe(0);
    console.info(`fuzz statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
  });
});
