/**
 * The collector's per-request CPU work (issue 7), in one process, on the
 * collector benchmark's bodies (512 spans each, from the OTel exporters' own
 * serializers): parsing a protobuf body with baton's wire reader against
 * protobufjs (the parser it replaced), alone and followed by the same decode,
 * and the whole decode (parse, validate,
 * group into runs, build the spool record) for each spool row format against
 * JSONEachRow. Interleaved rounds; ratios > 1 mean faster than the baseline.
 *
 *   node --import tsx bench/otlp-decode.ts [--rounds 7]
 */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeToFrame } from '../collector/otlp/decode-to-frame.js';
import { decodeTraceRequest } from '../collector/otlp/decode-trace-request.js';
import { resolveOtlpLimits } from '../collector/otlp/otlp-limits.js';
import { ExportTraceServiceRequest } from '../collector/otlp/trace-proto.js';
import { readExportTraceRequest } from '../collector/otlp/trace-proto-reader.js';
import { encodeBatches } from '../collector/spool/spool-record.js';
import type { RawRowFormat } from '../collector/store/span-store.js';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { workflowSpans } from './harness/otlp-bodies.js';
import { argInteger, interleave, median, pairedRatio } from './harness/timing.js';

const SPANS_PER_BODY = 512;
const BODIES = 8;
const REPEAT = 12;

export async function otlpDecodeBench(): Promise<BenchRow[]> {
  const rounds = argInteger('rounds', 7);
  const spans = Array.from({ length: BODIES }, (_, body) => workflowSpans(SPANS_PER_BODY, body));
  const json = spans.map((of) => Buffer.from(JsonTraceSerializer.serializeRequest(of)!));
  const protobuf = spans.map((of) => Buffer.from(ProtobufTraceSerializer.serializeRequest(of)!));
  const limits = resolveOtlpLimits({});
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spansDone = REPEAT * BODIES * SPANS_PER_BODY;
  const each = (bodies: Buffer[], work: (body: Buffer) => unknown) => () => {
    for (let repeat = 0; repeat < REPEAT; repeat++) for (const body of bodies) work(body);
    return spansDone;
  };
  const decode = (encoding: 'json' | 'protobuf', rowFormat: RawRowFormat) => (body: Buffer) =>
    decodeToFrame({ body, encoding, contentEncoding: undefined, bodyLimitBytes: 1 << 24, limits, nowNs, rowFormat });
  const formats: RawRowFormat[] = ['JSONEachRow', 'JSONCompactEachRow', 'TabSeparated'];
  const samples = await interleave(
    [
      { name: 'protobufjs', run: each(protobuf, (body) => ExportTraceServiceRequest.decode(body)) },
      { name: 'reader', run: each(protobuf, (body) => readExportTraceRequest(body)) },
      { name: 'JSON.parse', run: each(json, (body) => JSON.parse(body.toString('utf8'))) },
      {
        name: 'protobufjs decode',
        run: each(protobuf, (body) => encodeBatches(decodeTraceRequest(ExportTraceServiceRequest.decode(body), 'protobuf', limits, nowNs).batches, 'JSONCompactEachRow')),
      },
      ...formats.flatMap((format) => [
        { name: `json ${format}`, run: each(json, decode('json', format)) },
        { name: `protobuf ${format}`, run: each(protobuf, decode('protobuf', format)) },
      ]),
    ],
    rounds,
  );
  const microseconds = (name: string): string => `${(1e6 / median(samples[name]!)).toFixed(2)} µs/span`;
  const rows: BenchRow[] = [
    {
      bench: 'otlp-decode',
      metric: `protobuf parse, baton's wire reader (${protobuf[0]!.length} bytes per ${SPANS_PER_BODY}-span body)`,
      value: median(samples.reader!),
      unit: 'spans/s',
      samples: rounds,
      baseline: 'protobufjs decode (the parser before)',
      baselineValue: median(samples.protobufjs!),
      ratio: pairedRatio(samples.reader!, samples.protobufjs!),
      note: `${microseconds('reader')} vs ${microseconds('protobufjs')}; JSON.parse of the same spans as JSON (${json[0]!.length} bytes): ${microseconds('JSON.parse')}`,
    },
  ];
  rows.push({
    bench: 'otlp-decode',
    metric: 'protobuf body → spool record (JSONCompactEachRow), parsed by the wire reader',
    value: median(samples['protobuf JSONCompactEachRow']!),
    unit: 'spans/s',
    samples: rounds,
    baseline: 'parsed by protobufjs, then the same decode',
    baselineValue: median(samples['protobufjs decode']!),
    ratio: pairedRatio(samples['protobuf JSONCompactEachRow']!, samples['protobufjs decode']!),
    note: `${microseconds('protobuf JSONCompactEachRow')} vs ${microseconds('protobufjs decode')}: Long objects and Buffer ids cost decodeTraceRequest too`,
  });
  for (const encoding of ['json', 'protobuf'] as const) {
    for (const format of formats) {
      const name = `${encoding} ${format}`;
      const baseline = `${encoding} JSONEachRow`;
      rows.push({
        bench: 'otlp-decode',
        metric: `${encoding} body → spool record, rows as ${format} (decodeToFrame)`,
        value: median(samples[name]!),
        unit: 'spans/s',
        samples: rounds,
        ...(format === 'JSONEachRow' ? {} : { baseline: 'rows as JSONEachRow', baselineValue: median(samples[baseline]!), ratio: pairedRatio(samples[name]!, samples[baseline]!) }),
        note: microseconds(name),
      });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await otlpDecodeBench());
