import { gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest } from '../../../collector/otlp/decode-trace-request.js';
import { OtlpDecodeError } from '../../../collector/otlp/otlp-error.js';
import { resolveOtlpLimits } from '../../../collector/otlp/otlp-limits.js';
import { BodyTooLargeError, UnsupportedEncodingError, parseTraceBody } from '../../../collector/otlp/parse-trace-body.js';
import { ExportTraceServiceRequest } from '../../../collector/otlp/trace-proto.js';
import { recordFromSdkSpan } from '../../../collector/span-rows.js';
import { jsonRequest, sdkSpans } from '../server/collector-fixtures.js';

const limits = resolveOtlpLimits();
const nowNs = BigInt(Date.now()) * 1_000_000n;
const MB = 1024 * 1024;

function decodeJson(body: unknown) {
  return decodeTraceRequest(JSON.parse(JSON.stringify(body)), 'json', limits, nowNs);
}

function firstSpan(body: Record<string, unknown>): Record<string, unknown> {
  return ((body.resourceSpans as any[])[0].scopeSpans[0].spans as Record<string, unknown>[])[0]!;
}

describe('decodeTraceRequest', () => {
  const resource = { 'service.name': 'checkout', 'baton.run.id': 'run-42', 'baton.sweep.id': 'sweep-7', 'baton.scenario': 'triage', 'baton.seed': 9 };
  const spans = sdkSpans(5, resource);

  for (const [encoding, serializer] of [
    ['json', JsonTraceSerializer],
    ['protobuf', ProtobufTraceSerializer],
  ] as const) {
    it(`reads what the official ${encoding} serializer writes, span for span`, () => {
      const bytes = Buffer.from(serializer.serializeRequest(spans)!);
      const decoded = decodeTraceRequest(parseTraceBody(bytes, encoding, undefined, 16 * MB), encoding, limits, nowNs);
      expect(decoded.rejectedSpans).toBe(0);
      expect(decoded.acceptedSpans).toBe(5);
      expect(decoded.batches).toHaveLength(1);
      const { run, spans: records } = decoded.batches[0]!;
      expect(run).toMatchObject({ runId: 'run-42', sweepId: 'sweep-7', scenario: 'triage', seed: 9, serviceName: 'checkout' });
      const expected = new Map(spans.map((span) => [span.spanContext().spanId, recordFromSdkSpan(span)]));
      for (const record of records) {
        const want = expected.get(record.spanId)!;
        expect({ ...record, attributes: undefined }).toEqual({ ...want, attributes: undefined });
        expect(record.attributes).toMatchObject(want.attributes);
        expect(record.attributes).toMatchObject({ 'resource.service.name': 'checkout', 'otel.scope.name': 'baton-test', 'otel.scope.version': '1.2.3' });
      }
    });
  }

  it('groups spans without baton.run.id by service and UTC hour', () => {
    const body = jsonRequest(2, { service: 'billing' });
    const spans = (body.resourceSpans as any[])[0].scopeSpans[0].spans;
    spans[1].startTimeUnixNano = spans[1].endTimeUnixNano = (BigInt(spans[0].startTimeUnixNano) - 3_600_000_000_000n).toString();
    const decoded = decodeJson(body);
    const hour = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString().slice(0, 13);
    expect(decoded.batches.map((batch) => batch.run.runId).sort()).toEqual(
      [`billing@${hour(spans[0].startTimeUnixNano)}:00Z`, `billing@${hour(spans[1].startTimeUnixNano)}:00Z`].sort(),
    );
  });

  it('spans in one scope that cross run windows and days land in the batches runOf gives each (the reused last batch never leaks)', () => {
    const starts = ['2026-03-01T22:59:59.999Z', '2026-03-01T23:00:00.000Z', '2026-03-01T23:59:59.999Z', '2026-03-02T00:00:00.000Z', '2026-03-01T23:30:00.000Z', '2026-03-02T00:00:00.001Z'];
    for (const runId of [undefined, 'run-days']) {
      const body = jsonRequest(starts.length, runId === undefined ? { service: 'billing' } : { service: 'billing', runId });
      const spans = (body.resourceSpans as any[])[0].scopeSpans[0].spans;
      starts.forEach((start, index) => {
        spans[index].startTimeUnixNano = spans[index].endTimeUnixNano = (BigInt(Date.parse(start)) * 1_000_000n).toString();
      });
      const decoded = decodeTraceRequest(JSON.parse(JSON.stringify(body)), 'json', limits, BigInt(Date.parse('2026-03-03T00:00:00Z')) * 1_000_000n);
      const placed = decoded.batches.flatMap((batch) => batch.spans.map((span): [string, string] => [span.spanId, `${batch.run.runId} ${batch.run.recordedDate}`]));
      const hour = (start: string) => start.slice(0, 13);
      const expected = spans.map((span: any, index: number): [string, string] => [
        span.spanId,
        `${runId ?? `billing@${hour(starts[index]!)}:00Z`} ${starts[index]!.slice(0, 10)}`,
      ]);
      expect(new Map(placed)).toEqual(new Map(expected));
      expect(decoded.batches).toHaveLength(runId === undefined ? 3 : 2);
    }
  });

  it('converts every AnyValue kind', () => {
    const body = jsonRequest(1);
    firstSpan(body).attributes = [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'i', value: { intValue: '42' } },
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'arr', value: { arrayValue: { values: [{ intValue: 1 }, { intValue: '2' }] } } },
      { key: 'mixed', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'a' }] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
      { key: 'bytes', value: { bytesValue: 'AQID' } },
      { key: 'empty', value: {} },
    ];
    const attributes = decodeJson(body).batches[0]!.spans[0]!.attributes;
    expect(attributes).toMatchObject({
      s: 'x',
      b: true,
      i: 42,
      big: '9223372036854775807',
      d: 1.5,
      nan: 'NaN',
      arr: [1, 2],
      mixed: '[1,"a"]',
      map: '{"k":false}',
      bytes: 'AQID',
      empty: '',
    });
  });

  it('maps OTLP span kinds onto the OTel API numbering', () => {
    const body = jsonRequest(1);
    firstSpan(body).kind = 3; // SPAN_KIND_CLIENT
    expect(decodeJson(body).batches[0]!.spans[0]!.kind).toBe(2); // SpanKind.CLIENT
  });

  const invalid: [string, (span: Record<string, unknown>) => void, string][] = [
    ['a short trace id', (span) => (span.traceId = 'abc'), 'resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex chars'],
    ['a non-hex span id', (span) => (span.spanId = 'zzzzzzzzzzzzzzzz'), 'spans[0].spanId: expected 16 hex chars'],
    ['an all-zero trace id', (span) => (span.traceId = '0'.repeat(32)), 'traceId: all zeros is not a valid id'],
    ['a parent id of the wrong length', (span) => (span.parentSpanId = 'abcd'), 'parentSpanId: expected 16 hex chars'],
    ['a start before 2000', (span) => (span.startTimeUnixNano = '1700000000'), 'startTimeUnixNano: 1700000000 ns is before 2000-01-01'],
    ['an end a year ahead', (span) => (span.endTimeUnixNano = (nowNs + 365n * 86_400_000_000_000n).toString()), 'endTimeUnixNano:'],
    ['an end before the start', (span) => (span.endTimeUnixNano = '1000000000000000000'), 'endTimeUnixNano: before startTimeUnixNano'],
    ['a non-integer time', (span) => (span.startTimeUnixNano = '12.5'), 'startTimeUnixNano: expected an integer'],
    ['an unknown kind', (span) => (span.kind = 9), 'kind: expected an integer from 0 to 5'],
    [
      'an attribute flood',
      (span) => (span.attributes = Array.from({ length: 129 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } }))),
      'spans[0].attributes: 129 attributes, more than the limit of 128',
    ],
    ['a huge attribute value', (span) => (span.attributes = [{ key: 'k', value: { stringValue: 'x'.repeat(20_000) } }]), 'attributes[0].value.stringValue: longer than 16384 chars'],
    ['an AnyValue with two kinds', (span) => (span.attributes = [{ key: 'k', value: { stringValue: 'a', intValue: 1 } }]), 'got stringValue and intValue'],
    ['an empty attribute key', (span) => (span.attributes = [{ key: '', value: { stringValue: 'a' } }]), 'attributes[0].key: expected a non-empty string'],
    ['too many events', (span) => (span.events = Array.from({ length: 1025 }, () => ({ timeUnixNano: span.startTimeUnixNano }))), 'events: 1025 events'],
    ['a bad event time', (span) => (span.events = [{ name: 'e', timeUnixNano: 'soon' }]), 'events[0].timeUnixNano: expected an integer'],
  ];
  for (const [what, spoil, message] of invalid) {
    it(`rejects a span with ${what}, saying where`, () => {
      const body = jsonRequest(2);
      spoil(firstSpan(body));
      const decoded = decodeJson(body);
      expect(decoded.acceptedSpans).toBe(1);
      expect(decoded.rejectedSpans).toBe(1);
      expect(decoded.errors[0]).toContain(message);
      const alone = jsonRequest(1);
      spoil(firstSpan(alone));
      expect(() => decodeJson(alone)).toThrow(OtlpDecodeError);
      expect(() => decodeJson(alone)).toThrow(message);
    });
  }

  it('refuses a request whose skeleton is wrong', () => {
    expect(() => decodeJson([])).toThrow('request body: expected an ExportTraceServiceRequest object');
    expect(() => decodeJson({ resourceSpans: {} })).toThrow('resourceSpans: expected an array');
    expect(() => decodeJson({ resourceSpans: [{ scopeSpans: 3 }] })).toThrow('resourceSpans[0].scopeSpans: expected an array');
    expect(() => decodeJson({ resourceSpans: [{ scopeSpans: [{ spans: [1] }] }] })).toThrow('spans[0]: expected a Span object');
  });

  it('rejects every span of a resource with a bad baton.seed', () => {
    const body = jsonRequest(3, { runId: 'r' });
    (body.resourceSpans as any[])[0].resource.attributes.push({ key: 'baton.seed', value: { stringValue: '-4' } });
    expect(() => decodeJson(body)).toThrow('all 3 spans rejected: resourceSpans[0].resource.attributes[baton.seed]: expected a non-negative integer');
  });

  it('accepts an empty request', () => {
    expect(decodeJson({})).toEqual({ batches: [], acceptedSpans: 0, rejectedSpans: 0, errors: [] });
  });
});

describe('parseTraceBody', () => {
  it('gunzips', () => {
    const request = jsonRequest(1);
    const body = gzipSync(Buffer.from(JSON.stringify(request)));
    expect(parseTraceBody(body, 'json', 'gzip', MB)).toEqual(request);
  });

  it('refuses a gzip bomb once past the limit', () => {
    const bomb = gzipSync(Buffer.alloc(8 * MB, 0x20));
    expect(bomb.length).toBeLessThan(MB);
    expect(() => parseTraceBody(bomb, 'json', 'gzip', MB)).toThrow(BodyTooLargeError);
  });

  it('names malformed JSON, gzip and protobuf, and unknown encodings', () => {
    expect(() => parseTraceBody(Buffer.from('{"a":'), 'json', undefined, MB)).toThrow(/request body: malformed JSON/);
    expect(() => parseTraceBody(Buffer.from('not gzip'), 'json', 'gzip', MB)).toThrow(/request body: malformed gzip/);
    expect(() => parseTraceBody(Buffer.from([0x0a, 0xff, 0x01]), 'protobuf', undefined, MB)).toThrow(/malformed protobuf ExportTraceServiceRequest/);
    expect(() => parseTraceBody(Buffer.from('x'), 'json', 'br', MB)).toThrow(UnsupportedEncodingError);
  });

  it('reads protobuf int64 attributes exactly, negative and beyond 2^53', () => {
    const json = jsonRequest(1) as any;
    const span = json.resourceSpans[0].scopeSpans[0].spans[0];
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(span.traceId, 'hex'),
                  spanId: Buffer.from(span.spanId, 'hex'),
                  startTimeUnixNano: span.startTimeUnixNano,
                  endTimeUnixNano: span.endTimeUnixNano,
                  attributes: [
                    { key: 'neg', value: { intValue: '-5' } },
                    { key: 'min', value: { intValue: '-9223372036854775808' } },
                    { key: 'max', value: { intValue: '9223372036854775807' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const bytes = Buffer.from(ExportTraceServiceRequest.encode(message).finish());
    const decoded = decodeTraceRequest(parseTraceBody(bytes, 'protobuf', undefined, MB), 'protobuf', limits, nowNs);
    const record = decoded.batches[0]!.spans[0]!;
    expect(record.attributes).toMatchObject({ neg: -5, min: '-9223372036854775808', max: '9223372036854775807' });
    expect(record.startNs.toString()).toBe(span.startTimeUnixNano);
  });

  it('rejects protobuf ids of the wrong byte length, saying where', () => {
    const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans(1, { 'service.name': 's' }))!);
    const raw = parseTraceBody(bytes, 'protobuf', undefined, MB) as any;
    raw.resourceSpans[0].scopeSpans[0].spans[0].spanId = new Uint8Array(3);
    expect(() => decodeTraceRequest(raw, 'protobuf', limits, nowNs)).toThrow('resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 8 bytes');
  });
});
