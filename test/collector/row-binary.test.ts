import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowBinaryWriter, RunRowBinary } from '../../collector/row-binary.js';
import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../../collector/span-rows.js';
import { tableColumns } from '../../collector/store/schema.js';
import { spanRecordArbitrary } from './span-record-arbitrary.js';

/**
 * The column types of `spans` and `span_events`, written out apart from the
 * schema (whose names the first test holds them to): what the decoder below
 * reads.
 */
type ColumnType = 'Date' | 'String' | 'UInt8' | 'UInt32' | 'UInt64' | 'Array(String)';
const SPAN_TYPES: ColumnType[] = [
  'Date', 'String', 'String', 'String', 'UInt64', 'String', 'String', 'String', 'String', 'String',
  'UInt8', 'UInt64', 'UInt64', 'UInt64', 'UInt8', 'String', 'String', 'String', 'String', 'String',
  'String', 'String', 'String', 'String', 'String', 'String', 'UInt32', 'UInt32', 'UInt64', 'UInt64',
  'UInt64', 'UInt64', 'String', 'Array(String)', 'Array(String)',
]; // prettier-ignore
const EVENT_TYPES: ColumnType[] = ['Date', 'String', 'String', 'String', 'UInt32', 'UInt64', 'String', 'Array(String)', 'Array(String)'];
const WIDTH = { UInt8: 8, UInt32: 32, UInt64: 64 } as const;

/** Reads RowBinary back into rows of `names` (integers as exact decimal strings, dates as YYYY-MM-DD). */
function decode(bytes: Uint8Array, names: string[], types: ColumnType[]): Record<string, unknown>[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  const string = (): string => {
    const length = varint();
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  const value = (type: ColumnType): unknown => {
    switch (type) {
      case 'Date':
        at += 2;
        return new Date(view.getUint16(at - 2, true) * 86_400_000).toISOString().slice(0, 10);
      case 'String':
        return string();
      case 'UInt8':
        return String(bytes[at++]);
      case 'UInt32':
        at += 4;
        return String(view.getUint32(at - 4, true));
      case 'UInt64':
        at += 8;
        return String(view.getBigUint64(at - 8, true));
      case 'Array(String)':
        return Array.from({ length: varint() }, string);
    }
  };
  const rows: Record<string, unknown>[] = [];
  while (at < bytes.length) rows.push(Object.fromEntries(names.map((name, index) => [name, value(types[index]!)])));
  expect(at).toBe(bytes.length);
  return rows;
}

/**
 * What ClickHouse stores for `row` inserted as JSON: an integer column holds
 * the decimal JSON.stringify writes, modulo 2^width; a string holds its
 * UTF-8, here with U+FFFD for a lone surrogate (which a JSON insert refuses).
 */
function storedFromJson(row: object, types: ColumnType[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value], index) => {
      const type = types[index]!;
      if (type in WIDTH) return [name, String(BigInt.asUintN(WIDTH[type as keyof typeof WIDTH], BigInt(String(value))))];
      if (type === 'Array(String)') return [name, (value as string[]).map(wellFormed)];
      return [name, wellFormed(value as string)];
    }),
  );
}

/** `text` with U+FFFD for each lone surrogate. */
const wellFormed = (text: string): string => new TextDecoder().decode(new TextEncoder().encode(text));

const text = fc.string({ unit: 'binary', maxLength: 10 });
const count = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e22, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constantFrom(2 ** 32, 2 ** 64, 1e20));
const attributeKey = fc.oneof(
  fc.constantFrom('baton.handoff.attempt', 'baton.handoff.schema_version', 'baton.handoff.context_bytes', 'gen_ai.usage.input_tokens', 'gen_ai.operation.name', 'baton.handoff.source'),
  text,
);
const attributes = fc.dictionary(attributeKey, fc.oneof(text, count, fc.boolean(), fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 })), { maxKeys: 10 });
const nanos = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const record = spanRecordArbitrary({ text, attributes: attributes as fc.Arbitrary<SpanRecord['attributes']>, nanos });
const isoDate = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2149-06-06T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const run: fc.Arbitrary<RunColumns> = fc.record({ runId: text, sweepId: text, scenario: text, seed: fc.nat(), recordedDate: isoDate, serviceName: text });

describe('RunRowBinary: the rows spanRow and spanEventRows give, in RowBinary', () => {
  it('the decoder reads the schema’s columns', () => {
    expect(tableColumns('spans')).toHaveLength(SPAN_TYPES.length);
    expect(tableColumns('span_events')).toHaveLength(EVENT_TYPES.length);
  });

  it('for any spans and run, the bytes decode to the values a JSON insert stores', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 4 }), run, (spans, columns) => {
        const rows = new RunRowBinary(columns);
        for (const span of spans) rows.add(span);
        const expectedSpans = spans.map((span) => storedFromJson(spanRow(span, columns), SPAN_TYPES));
        const expectedEvents = spans.flatMap((span) => spanEventRows(span, columns).map((row) => storedFromJson(row, EVENT_TYPES)));
        expect(decode(rows.spans.bytes(), tableColumns('spans'), SPAN_TYPES)).toEqual(expectedSpans);
        expect(decode(rows.events.bytes(), tableColumns('span_events'), EVENT_TYPES)).toEqual(expectedEvents);
        expect([rows.spans.rows, rows.events.rows]).toEqual([expectedSpans.length, expectedEvents.length]);
      }),
      { numRuns: 500 },
    );
  });

  it('lengths past one LEB128 byte, and buffers that grow from one byte', () => {
    const writer = new RowBinaryWriter(1);
    const long = 'x'.repeat(200) + 'é'.repeat(70_000);
    writer.string(long);
    writer.strings(['a', long]);
    writer.endRow();
    expect(decode(writer.bytes(), ['s', 'a'], ['String', 'Array(String)'])).toEqual([{ s: long, a: ['a', long] }]);
  });

  it('refuses what no JSON insert would store rather than writing a wrong value', () => {
    const writer = new RowBinaryWriter();
    for (const bad of ['2026-02-30', '2026-1-01', '1969-12-31', '2149-06-07', '']) expect(() => writer.date(bad), bad).toThrow(RangeError);
    for (const bad of [-1, 1.5, Number.NaN, 1e21]) {
      expect(() => writer.uint8(bad), String(bad)).toThrow(RangeError);
      expect(() => writer.uint32(bad), String(bad)).toThrow(RangeError);
      expect(() => writer.uint64(bad), String(bad)).toThrow(RangeError);
    }
    expect(() => writer.uint64(-1n)).toThrow(RangeError);
    expect(() => writer.uint64(2n ** 64n)).toThrow(RangeError);
    expect(writer.bytes()).toHaveLength(0);
  });
});
