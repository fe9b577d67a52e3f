import { gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, describe, expect, it } from 'vitest';
import type { DecodeJob } from '../../../collector/otlp/decode-to-frame.js';
import { resolveOtlpLimits } from '../../../collector/otlp/otlp-limits.js';
import { DecodePool, INLINE_DECODER } from '../../../collector/server/decode-pool.js';
import { resolveCollectorOptions } from '../../../collector/server/collector-options.js';
import type { SpanStore } from '../../../collector/store/span-store.js';
import { sdkSpans } from './collector-fixtures.js';

const pool = new DecodePool(2);
afterAll(() => pool.close());

const limits = resolveOtlpLimits({});
const nowNs = BigInt(Date.now()) * 1_000_000n;
const job = (body: Uint8Array, encoding: DecodeJob['encoding'], contentEncoding?: string, bodyLimitBytes = 1 << 20): DecodeJob => ({
  body,
  encoding,
  contentEncoding,
  bodyLimitBytes,
  limits,
  nowNs,
});

const json = Buffer.from(JsonTraceSerializer.serializeRequest(sdkSpans(40, { 'service.name': 'pool-test', 'baton.run.id': 'r1' }))!);
const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans(25, { 'service.name': 'pool-test' }))!);
const withBadSpan = Buffer.from(JSON.stringify({ ...JSON.parse(json.toString()), resourceSpans: [...JSON.parse(json.toString()).resourceSpans, { scopeSpans: [{ spans: [{ traceId: 'nothex' }] }] }] }));

const cases: [string, DecodeJob][] = [
  ['JSON', job(json, 'json')],
  ['protobuf', job(proto, 'protobuf')],
  ['protobuf, rows as JSONCompactEachRow', { ...job(proto, 'protobuf'), rowFormat: 'JSONCompactEachRow' }],
  ['gzip JSON', job(gzipSync(json), 'json', 'gzip')],
  ['JSON with an invalid span (partial success)', job(withBadSpan, 'json')],
  ['a body inside a larger shared buffer', job(Buffer.concat([Buffer.alloc(100, 1), json, Buffer.alloc(50, 2)]).subarray(100, 100 + json.length), 'json')],
  ['malformed JSON', job(Buffer.from('{"resourceSpans": ['), 'json')],
  ['malformed protobuf', job(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]), 'protobuf')],
  ['gzip bomb over the limit', job(gzipSync(Buffer.alloc(4 << 20)), 'json', 'gzip', 1 << 20)],
  ['unknown content encoding', job(json, 'json', 'br')],
];

async function outcome(decode: () => Promise<unknown>): Promise<unknown> {
  try {
    const decoded = (await decode()) as { frame?: Uint8Array };
    return { ...decoded, frame: decoded.frame === undefined ? undefined : Buffer.from(decoded.frame).toString('base64') };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('decode threads give exactly what decoding on the main thread gives', () => {
  it.each(cases)('%s', async (_name, decodeJob) => {
    const inline = await outcome(() => INLINE_DECODER.decode(decodeJob));
    expect(await outcome(() => pool.decode(decodeJob))).toEqual(inline);
  });

  it('the cases cover accepted spans, partial success and each refusal', async () => {
    const outcomes = (await Promise.all(cases.map(([, decodeJob]) => outcome(() => INLINE_DECODER.decode(decodeJob))))) as Record<string, unknown>[];
    expect(outcomes[0]).toMatchObject({ acceptedSpans: 40, rejectedSpans: 0 });
    expect(outcomes[4]).toMatchObject({ acceptedSpans: 40, rejectedSpans: 1 });
    expect(outcomes[1]!.frame).not.toEqual(outcomes[2]!.frame);
    expect(outcomes.slice(6).map((entry) => entry.error)).toEqual(['OtlpDecodeError', 'OtlpDecodeError', 'BodyTooLargeError', 'UnsupportedEncodingError']);
  });

  it('many requests at once: every answer goes to its own request', async () => {
    const bodies = Array.from({ length: 24 }, (_, index) => Buffer.from(JsonTraceSerializer.serializeRequest(sdkSpans(1 + (index % 7), { 'service.name': `s${index}` }))!));
    const answers = await Promise.all(bodies.map((body) => pool.decode(job(body, 'json'))));
    expect(answers.map((answer) => answer.acceptedSpans)).toEqual(bodies.map((_, index) => 1 + (index % 7)));
  });

  it('a decode thread that dies is replaced', async () => {
    const workers = (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers;
    await workers[0].worker.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const answers = await Promise.all([1, 2, 3, 4].map(() => pool.decode(job(json, 'json'))));
    expect(answers.every((answer) => answer.acceptedSpans === 40)).toBe(true);
  });

  it('threads that die before answering anything are not restarted forever: the pool then decodes inline', async () => {
    const fragile = new DecodePool(1);
    try {
      const workers = fragile as unknown as { workers: { worker: { terminate(): Promise<number> } }[] };
      for (let attempt = 0; attempt < 3; attempt++) {
        await workers.workers[0].worker.terminate();
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      expect(fragile.threads).toBe(0);
      expect(await outcome(() => fragile.decode(job(json, 'json')))).toEqual(await outcome(() => INLINE_DECODER.decode(job(json, 'json'))));
    } finally {
      await fragile.close();
    }
  });

  it('decodeThreads must be an integer from 0 to 64', () => {
    const base = { store: {} as SpanStore, spoolDir: '/tmp/x', insecureNoAuth: true };
    expect(resolveCollectorOptions({ ...base, decodeThreads: 0 }).decodeThreads).toBe(0);
    expect(() => resolveCollectorOptions({ ...base, decodeThreads: -1 })).toThrow(/decodeThreads must be an integer from 0 to 64/);
    expect(() => resolveCollectorOptions({ ...base, decodeThreads: 1.5 })).toThrow(/decodeThreads/);
  });
});
