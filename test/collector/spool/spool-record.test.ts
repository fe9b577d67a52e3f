import fc from 'fast-check';
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest, type RunBatch } from '../../../collector/otlp/decode-trace-request.js';
import { resolveOtlpLimits } from '../../../collector/otlp/otlp-limits.js';
import { parseTraceBody } from '../../../collector/otlp/parse-trace-body.js';
import { JsonLines } from '../../../collector/spool/json-lines.js';
import { decodeSegment, decodeSegmentRaw, encodeBatches, encodeSpoolRecord, spoolRecordOf } from '../../../collector/spool/spool-record.js';
import { sdkSpans } from '../server/collector-fixtures.js';

function decodedBatches(encoding: 'json' | 'protobuf'): RunBatch[] {
  const spans = sdkSpans(12, { 'service.name': 'svc "quoted"', 'baton.run.id': 'run/ü', 'baton.seed': 4 });
  const body = Buffer.from((encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans as never)!);
  return decodeTraceRequest(parseTraceBody(body, encoding, undefined, 1 << 24), encoding, resolveOtlpLimits({}), BigInt(Date.now()) * 1_000_000n).batches;
}

describe('JsonLines', () => {
  it('grows past its first buffer and keeps multi-byte text whole', () => {
    const lines = new JsonLines(8);
    const rows = ['{"a":"ü€😀"}', '{"b":1}', JSON.stringify({ c: 'x'.repeat(1000) })];
    for (const row of rows) lines.push(row);
    expect(lines.bytes().toString('utf8')).toBe(`${rows.join('\n')}\n`);
    expect(lines.rows).toBe(3);
  });

  it('pushLines: the UTF-8 of the joined lines, across growth, lone surrogates included (as TextEncoder writes them)', () => {
    // Lines end in a newline, as row lines do, so no surrogate pair spans two lines.
    const line = fc.string({ unit: 'binary', maxLength: 400 }).map((text) => `${text}\n`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 2048 }), (texts, capacity) => {
        const lines = new JsonLines(capacity);
        for (const text of texts) lines.pushLines(text, 1);
        expect(lines.bytes().equals(Buffer.from(new TextEncoder().encode(texts.join(''))))).toBe(true);
        expect(lines.rows).toBe(texts.length);
      }),
      { numRuns: 300 },
    );
  });

  it('pushLines: a line of 4-byte characters that overflows a small buffer is written whole', () => {
    const lines = new JsonLines(1);
    const text = `${'😀'.repeat(5000)}\n`;
    lines.pushLines('a\n', 1);
    lines.pushLines(text, 1);
    expect(lines.bytes().toString('utf8')).toBe(`a\n${text}`);
  });
});

describe('spool records', () => {
  it('encodeBatches writes the bytes encodeSpoolRecord writes for the same rows; both decode to those rows', () => {
    const batches = decodedBatches('json');
    const framed = encodeBatches(batches);
    expect(framed.equals(encodeSpoolRecord(spoolRecordOf(batches)))).toBe(true);
    expect(decodeSegment(Buffer.concat([framed, framed])).records).toEqual([spoolRecordOf(batches), spoolRecordOf(batches)]);
    const [raw] = decodeSegmentRaw(framed).records;
    expect(raw!.spanCount).toBe(12);
    expect(raw!.runs).toEqual([{ run_id: 'run/ü', recorded_date: batches[0]!.run.recordedDate, sweep_id: '', scenario: batches[0]!.run.scenario, seed: 4 }]);
  });

  it('JSONCompactEachRow records: encodeBatches equals encodeSpoolRecord, half the text, and decode to the same rows as JSONEachRow ones', () => {
    const batches = decodedBatches('protobuf');
    const framed = encodeBatches(batches, 'JSONCompactEachRow');
    expect(framed.equals(encodeSpoolRecord(spoolRecordOf(batches), 'JSONCompactEachRow'))).toBe(true);
    expect(decodeSegment(framed).records).toEqual([spoolRecordOf(batches)]);
    const [compact] = decodeSegmentRaw(framed).records;
    const [keyed] = decodeSegmentRaw(encodeBatches(batches)).records;
    expect(compact!.format).toBe('JSONCompactEachRow');
    expect(keyed!.format).toBe('JSONEachRow');
    expect(compact!.spanCount).toBe(keyed!.spanCount);
    expect(compact!.runs).toEqual(keyed!.runs);
    expect(compact!.spans.length).toBeLessThan(keyed!.spans.length * 0.7);
    // A segment may hold both formats (a collector restarted against another store).
    const both = decodeSegment(Buffer.concat([framed, encodeBatches(batches)])).records;
    expect(both[0]).toEqual(both[1]);
  });

  it('TabSeparated records decode to the same rows; a batch TabSeparated cannot carry is written as JSONEachRow', () => {
    const batches = decodedBatches('json');
    const [tsv] = decodeSegmentRaw(encodeBatches(batches, 'TabSeparated')).records;
    expect(tsv!.format).toBe('TabSeparated');
    expect(tsv!.spanCount).toBe(12);
    expect(decodeSegment(encodeBatches(batches, 'TabSeparated')).records).toEqual([spoolRecordOf(batches)]);
    const lone = batches.map((batch) => ({ ...batch, spans: batch.spans.map((span, index) => (index === 5 ? { ...span, name: 'bad \ud800' } : span)) }));
    const framed = encodeBatches(lone, 'TabSeparated');
    expect(framed.equals(encodeBatches(lone))).toBe(true);
    expect(decodeSegmentRaw(framed).records[0]!.format).toBe('JSONEachRow');
  });

  it('a record of the first format (one JSON object) left by an older collector still replays', () => {
    const record = spoolRecordOf(decodedBatches('protobuf'));
    const payload = Buffer.from(JSON.stringify(record), 'utf8');
    const header = Buffer.alloc(8);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(crc32(payload), 4);
    const segment = Buffer.concat([header, payload, encodeSpoolRecord(record)]);
    const { records, tornBytes } = decodeSegment(segment);
    expect(tornBytes).toBe(0);
    expect(records).toEqual([record, record]);
    const raw = decodeSegmentRaw(segment).records;
    expect(raw[0]!.spans.equals(raw[1]!.spans)).toBe(true);
    expect(raw[0]!.events.equals(raw[1]!.events)).toBe(true);
    expect(raw[0]!.spanCount).toBe(raw[1]!.spanCount);
  });
});
