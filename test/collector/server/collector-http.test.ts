import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportTraceServiceResponse, RpcStatus } from '../../../collector/otlp/trace-proto.js';
import { CollectorConfigError } from '../../../collector/server/collector-errors.js';
import { createCollectorServer, type CollectorServer } from '../../../collector/server/create-collector-server.js';
import { jsonRequest, listeningCollector, MemoryStore, tempDir, waitFor } from './collector-fixtures.js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { sdkSpans } from './collector-fixtures.js';
import { createDashboardPages } from '../../../reports/dashboard/dashboard-pages.js';
import { sqlString } from '../../../collector/store/sql.js';

const servers: CollectorServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function collector(options: Partial<Parameters<typeof listeningCollector>[0]> = {}) {
  const store = (options.store as MemoryStore | undefined) ?? new MemoryStore();
  const started = await listeningCollector({ ...options, store });
  servers.push(started.server);
  return { ...started, store };
}

function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-token', ...headers },
    body,
  });
}

describe('POST /v1/traces refusals', () => {
  it('401 without detail for a missing, wrong or non-bearer token', async () => {
    const { url, store } = await collector();
    const body = JSON.stringify(jsonRequest(1));
    for (const authorization of ['', 'Bearer wrong', 'Basic dGVzdC10b2tlbg==', 'Bearer test-token-longer', 'Bearer ']) {
      const response = await post(url, body, { authorization });
      expect(response.status, authorization).toBe(401);
      expect(await response.json()).toEqual({ code: 16, message: 'unauthorized' });
    }
    expect((await post(url, body)).status).toBe(200);
    await waitFor(() => store.spanIds().length === 1);
  });

  it('415 for an unknown Content-Type or Content-Encoding', async () => {
    const { url } = await collector();
    const response = await post(url, 'hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toContain('unsupported Content-Type');
    const brotli = await post(url, JSON.stringify(jsonRequest(1)), { 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
    expect(((await brotli.json()) as { message: string }).message).toContain('unsupported Content-Encoding "br"');
  });

  it('413 past the body limit, sent plain or as a gzip bomb', async () => {
    const { url } = await collector({ bodyLimitBytes: 64 * 1024 });
    const big = JSON.stringify(jsonRequest(1)).padEnd(100 * 1024, ' ');
    expect((await post(url, big)).status).toBe(413);
    const bomb = gzipSync(Buffer.from(big));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const response = await post(url, bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toContain('larger than 65536 bytes once decompressed');
    expect((await post(url, gzipSync(JSON.stringify(jsonRequest(2))), { 'content-encoding': 'gzip' })).status).toBe(200);
  });

  it('400 naming the problem, in JSON for JSON and protobuf Status for protobuf', async () => {
    const { url } = await collector();
    const malformed = await post(url, '{"resourceSpans": [');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 3, message: expect.stringContaining('request body: malformed JSON') });
    const badId = jsonRequest(1) as any;
    badId.resourceSpans[0].scopeSpans[0].spans[0].traceId = 'xyz';
    const badIdResponse = await post(url, JSON.stringify(badId));
    expect(badIdResponse.status).toBe(400);
    expect(((await badIdResponse.json()) as { message: string }).message).toBe('all 1 spans rejected: resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex chars');
    const proto = await post(url, Buffer.from([0x0a, 0x05, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toContain('application/x-protobuf');
    const status = RpcStatus.toObject(RpcStatus.decode(Buffer.from(await proto.arrayBuffer())));
    expect(status.message).toContain('malformed protobuf ExportTraceServiceRequest');
  });

  it('partial success counts rejected spans and accepts the rest', async () => {
    const { url, store, server } = await collector();
    const body = jsonRequest(3) as any;
    body.resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano = '5';
    const response = await post(url, JSON.stringify(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage: expect.stringContaining('resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano: 5 ns is before 2000-01-01T00:00:00.000Z'),
      },
    });
    const protoBody = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans(2, { 'service.name': 'p' }))!);
    const proto = await post(url, protoBody, { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(200);
    expect(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(Buffer.from(await proto.arrayBuffer())))).toEqual({});
    await waitFor(() => store.spanIds().length === 4);
    expect(server.metrics.spansAccepted).toBe(4);
    expect(server.metrics.spansRejected).toBe(1);
  });

  it('404 for other routes', async () => {
    const { url } = await collector();
    expect((await fetch(`${url}/v1/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('429 with Retry-After when request bodies in flight pass the budget', async () => {
    const { url } = await collector({ inflightBytesMax: 10_000 });
    const { hostname, port } = new URL(url);
    // A slow client holds 8,000 bytes of budget by sending its headers and not yet its body.
    const slow = httpRequest({ hostname, port, path: '/v1/traces', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 8_000, authorization: 'Bearer test-token' } });
    slow.on('error', () => undefined);
    slow.flushHeaders();
    await waitFor(async () => /^baton_collector_inflight_bytes 8000$/m.test(await (await fetch(`${url}/metrics`)).text()), 5_000, 'the slow request in flight');
    const body = JSON.stringify(jsonRequest(40));
    expect(body.length).toBeGreaterThan(2_000);
    const response = await post(url, body);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    slow.destroy();
    await waitFor(async () => (await post(url, body)).status === 200, 5_000, 'budget released');
  });
});

describe('spool limit', () => {
  it('503 + Retry-After while the store is down and the spool full; accepts again once drained', async () => {
    const store = new MemoryStore();
    store.failInserts = Number.POSITIVE_INFINITY;
    const { url, server } = await collector({ store, spoolBytesMax: 4_000, bodyLimitBytes: 4_000, drain: { intervalMs: 10, backoffMsMin: 10, backoffMsMax: 50 } });
    const body = JSON.stringify(jsonRequest(5));
    let accepted = 0;
    let response = await post(url, body);
    for (; response.status === 200 && accepted < 100; response = await post(url, JSON.stringify(jsonRequest(5, { spanIdOffset: 100 * (accepted + 1) })))) accepted += 1;
    expect(accepted).toBeGreaterThan(0);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    await waitFor(() => server.metrics.storeRetries > 0, 5_000, "a failed store write");
    store.failInserts = 0;
    await waitFor(() => server.spool.bytes === 0, 10_000, 'spool drained');
    expect(store.spanIds()).toHaveLength(accepted * 5);
    expect((await post(url, body)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});

// One request too large for the spool's remaining space used to set a flag
// that only the drain's remove cleared: with nothing to drain, every later
// request got 503 until restart.
describe('spool limit: one oversized request does not lock out the rest', () => {
  it('a request whose record is larger than the whole spool gets 413, and the next request 200', async () => {
    const { url, store } = await collector({ spoolBytesMax: 6_000, bodyLimitBytes: 6_000 });
    // Protobuf re-encoded as a spool record outgrows its body: a body under the limit, a record over the spool.
    const spans = sdkSpans(12, { 'service.name': 'big' });
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(body.length).toBeLessThan(6_000);
    const big = await post(url, body, { 'content-type': 'application/x-protobuf' });
    expect(big.status).toBe(413);
    for (let index = 0; index < 3; index += 1) {
      expect((await post(url, JSON.stringify(jsonRequest(1, { spanIdOffset: index })))).status).toBe(200);
    }
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await waitFor(() => store.spanIds().length === 3, 5_000, 'small requests stored');
  });

  it('refused while the spool has too little room, then accepted once the drain empties it', async () => {
    const store = new MemoryStore();
    store.failInserts = Number.POSITIVE_INFINITY;
    const { url, server } = await collector({ store, spoolBytesMax: 20_000, bodyLimitBytes: 20_000, drain: { intervalMs: 10, backoffMsMin: 10, backoffMsMax: 20 } });
    expect((await post(url, JSON.stringify(jsonRequest(8)))).status).toBe(200);
    const large = JSON.stringify(jsonRequest(20, { spanIdOffset: 100 }));
    expect((await post(url, large)).status).toBe(503);
    expect((await post(url, JSON.stringify(jsonRequest(1, { spanIdOffset: 200 })))).status).toBe(503);
    store.failInserts = 0;
    await waitFor(() => server.spool.bytes === 0, 5_000, 'spool drained');
    expect((await post(url, large)).status).toBe(200);
    expect((await post(url, JSON.stringify(jsonRequest(1, { spanIdOffset: 200 })))).status).toBe(200);
  });
});

describe('startup limits', () => {
  it('refuses a spool limit below the body limit (BATON_ERR_COLLECTOR_OPTION)', async () => {
    await expect(createCollectorServer({ store: new MemoryStore(), spoolDir: tempDir('spool'), token: 't', spoolBytesMax: 1_000, bodyLimitBytes: 2_000 })).rejects.toMatchObject({
      code: 'BATON_ERR_COLLECTOR_OPTION',
      message: expect.stringContaining('--spool-bytes-max (1000) must be at least --body-limit-bytes (2000)'),
    });
  });
});

describe('health, readiness, metrics', () => {
  it('reports readiness from the store and the counters as Prometheus text', async () => {
    const store = new MemoryStore();
    const { url } = await collector({ store });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    store.query = async () => {
      throw new Error('connection refused');
    };
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', problems: ['store unreachable: connection refused'] });
    await post(url, 'nope');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('# TYPE baton_collector_spans_accepted_total counter');
    expect(metrics).toContain('baton_collector_requests_rejected_total{reason="malformed"} 1');
    expect(metrics).toMatch(/^baton_collector_store_retries_total 0$/m);
  });
});

describe('dashboard access and escaping', () => {
  const dashboard = createDashboardPages();

  it('lists runs with their text escaped, behind the token', async () => {
    const store = new MemoryStore();
    await store.insert('runs', [{ run_id: '<script>alert(1)</script>', sweep_id: '', scenario: 's&p', seed: 1, verdict: '', recorded_at: '2026-01-01 00:00:00' }]);
    const { url } = await collector({ store, dashboard });
    expect((await fetch(`${url}/`)).status).toBe(401);
    const response = await fetch(`${url}/`, { headers: { authorization: 'Bearer test-token' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('s&amp;p');
    expect(html).not.toContain('<script>');
  });

  it('?token= once sets an HttpOnly cookie (not the token) and redirects without it; the cookie then suffices', async () => {
    const { url } = await collector({ store: new MemoryStore(), dashboard });
    const wrong = await fetch(`${url}/?token=nope&page=1`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const signIn = await fetch(`${url}/compare?a=x&token=test-token`, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/compare?a=x');
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^baton_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(cookie).not.toContain('test-token');
    const session = cookie.split(';')[0]!;
    expect((await fetch(`${url}/`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${url}/`, { headers: { cookie: 'baton_session=forged' } })).status).toBe(401);
    // The cookie opens the dashboard only, never ingest.
    expect((await post(url, JSON.stringify(jsonRequest(1)), { authorization: '', cookie: session })).status).toBe(401);
  });

  it('request values reach SQL only as escaped literals; bad parameters are 400', async () => {
    const store = new MemoryStore();
    const seen: string[] = [];
    const query = store.query.bind(store);
    store.query = (async (sql: string) => {
      seen.push(sql);
      return query(sql);
    }) as typeof store.query;
    const { url } = await collector({ store, dashboard });
    const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: 'Bearer test-token' } });
    const hostile = "x' OR 1=1) --\\";
    expect((await get(`/?sweep=${encodeURIComponent(hostile)}`)).status).toBe(200);
    expect(seen.some((sql) => sql.includes(`WHERE sweep_id = ${sqlString(hostile)}) ORDER BY`))).toBe(true);
    expect(sqlString(hostile)).toBe(String.raw`'x\' OR 1=1) --\\'`);
    for (const path of ['/?page=0', '/?page=abc', '/?page=1001', '/run', `/run?id=${'a'.repeat(300)}`, '/compare?a=x']) {
      expect((await get(path)).status, path).toBe(400);
    }
    expect((await get('/compare')).status).toBe(200);
  });
});

describe('startup safety', () => {
  const base = { store: new MemoryStore(), port: 0 };
  it('refuses to start without a token', async () => {
    const previous = process.env.BATON_COLLECTOR_TOKEN;
    delete process.env.BATON_COLLECTOR_TOKEN;
    try {
      await expect(createCollectorServer({ ...base, spoolDir: tempDir('s') })).rejects.toMatchObject({ code: 'BATON_ERR_COLLECTOR_NO_TOKEN' });
    } finally {
      if (previous !== undefined) process.env.BATON_COLLECTOR_TOKEN = previous;
    }
  });

  it('refuses --insecure-no-auth off loopback, allows it on loopback', async () => {
    await expect(createCollectorServer({ ...base, spoolDir: tempDir('s'), insecureNoAuth: true, host: '0.0.0.0' })).rejects.toBeInstanceOf(CollectorConfigError);
    const server = await createCollectorServer({ ...base, spoolDir: tempDir('s'), insecureNoAuth: true, host: '127.0.0.1' });
    servers.push(server);
    const { url } = await server.listen();
    expect((await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(jsonRequest(1)) })).status).toBe(200);
  });

  // A token from a mounted secret file ends in a newline: it was accepted at
  // startup untrimmed, while the presented token is trimmed, so nothing authenticated.
  it('trims BATON_COLLECTOR_TOKEN; an all-whitespace one is no token', async () => {
    process.env.BATON_COLLECTOR_TOKEN = '  from-file\n';
    try {
      const server = await createCollectorServer({ ...base, spoolDir: tempDir('s') });
      servers.push(server);
      const { url } = await server.listen();
      expect((await post(url, JSON.stringify(jsonRequest(1)), { authorization: 'Bearer from-file' })).status).toBe(200);
      process.env.BATON_COLLECTOR_TOKEN = ' \n\t';
      await expect(createCollectorServer({ ...base, spoolDir: tempDir('s') })).rejects.toMatchObject({ code: 'BATON_ERR_COLLECTOR_NO_TOKEN' });
    } finally {
      delete process.env.BATON_COLLECTOR_TOKEN;
    }
  });

  it('takes the token from BATON_COLLECTOR_TOKEN', async () => {
    process.env.BATON_COLLECTOR_TOKEN = 'from-env';
    try {
      const server = await createCollectorServer({ ...base, spoolDir: tempDir('s') });
      servers.push(server);
      const { url } = await server.listen();
      expect((await post(url, JSON.stringify(jsonRequest(1)), { authorization: 'Bearer from-env' })).status).toBe(200);
      expect((await post(url, JSON.stringify(jsonRequest(1)))).status).toBe(401);
    } finally {
      delete process.env.BATON_COLLECTOR_TOKEN;
    }
  });
});
