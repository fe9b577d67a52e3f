import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunRowLines } from '../../collector/span-lines.js';
import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../../collector/span-rows.js';
import type { RawRowFormat } from '../../collector/store/span-store.js';
import { rowsOf } from '../../collector/store/row-text.js';
import { UnrepresentableInTsv } from '../../collector/tsv-text.js';

const text = fc.string({ unit: 'binary', maxLength: 10 });
const attributeKey = fc.oneof(
  fc.constantFrom('gen_ai.operation.name', 'baton.workflow.id', 'baton.handoff.source', 'gen_ai.agent.handoff.source.name', 'baton.handoff.attempt', 'gen_ai.usage.input_tokens', 'error.type'),
  text,
);
const attributeValue = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.array(fc.oneof(text, fc.integer(), fc.boolean()), { maxLength: 3 }), fc.constant(undefined));
const attributes = fc.dictionary(attributeKey, attributeValue, { maxKeys: 8 });
const nanos = fc.bigInt({ min: 0n, max: 2n ** 63n });

const record = fc.record({
  traceId: text,
  spanId: text,
  parentSpanId: text,
  name: text,
  kind: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(-0), fc.double()),
  startNs: nanos,
  endNs: nanos,
  statusCode: fc.integer({ min: 0, max: 2 }),
  statusMessage: text,
  attributes,
  events: fc.array(fc.record({ name: text, timeNs: nanos, attributes }), { maxLength: 3 }),
}) as fc.Arbitrary<SpanRecord>;

const columns: fc.Arbitrary<RunColumns> = fc.record({ runId: text, sweepId: text, scenario: text, seed: fc.oneof(fc.nat(), fc.double()), recordedDate: text, serviceName: text });

/** The reference: JSON.stringify of the row object (JSONEachRow) or of its values in column order (JSONCompactEachRow). */
const rowText = (row: object, format: RawRowFormat): string => `${JSON.stringify(format === 'JSONEachRow' ? row : Object.values(row))}\n`;
const spanLine = (span: SpanRecord, run: RunColumns, format: RawRowFormat = 'JSONEachRow'): string => rowText(spanRow(span, run), format);
const eventLines = (span: SpanRecord, run: RunColumns, format: RawRowFormat = 'JSONEachRow'): string =>
  spanEventRows(span, run)
    .map((row) => rowText(row, format))
    .join('');

describe('RunRowLines: lines built directly equal JSON.stringify of the row objects', () => {
  for (const format of ['JSONEachRow', 'JSONCompactEachRow'] as const) {
    it(`${format}: for any span and run, byte for byte`, () => {
      fc.assert(
        fc.property(record, columns, (span, run) => {
          const lines = new RunRowLines(run, format);
          expect(lines.span(span)).toBe(spanLine(span, run, format));
          expect(lines.events(span)).toBe(eventLines(span, run, format));
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('TabSeparated: for any span and run, the line parses back to the row object, or the span is refused as unrepresentable', () => {
    let written = 0;
    let refused = 0;
    fc.assert(
      fc.property(record, columns, (span, run) => {
        const lines = new RunRowLines(run, 'TabSeparated');
        let spanText: string;
        let eventText: string;
        try {
          spanText = lines.span(span);
          eventText = lines.events(span);
        } catch (error) {
          expect(error).toBeInstanceOf(UnrepresentableInTsv);
          refused++;
          return;
        }
        written++;
        // As JSON text stores them (-0 is 0 there).
        const stored = (rows: object[]): unknown => JSON.parse(JSON.stringify(rows));
        expect(rowsOf(Buffer.from(spanText), 'TabSeparated', 'spans')).toEqual(stored([spanRow(span, run)]));
        expect(rowsOf(Buffer.from(eventText), 'TabSeparated', 'span_events')).toEqual(stored(spanEventRows(span, run)));
      }),
      { numRuns: 1000 },
    );
    expect(written).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('TabSeparated refuses exactly what it cannot carry: lone surrogates, numbers that are not safe non-negative integers', () => {
    const [span] = fc.sample(record, { seed: 3, numRuns: 1 });
    const run: RunColumns = { runId: 'r', sweepId: 's', scenario: 'x', seed: 1, recordedDate: '2026-01-01', serviceName: 'svc' };
    const plain = { ...span!, kind: 1, statusCode: 0, name: 'n', attributes: { a: 'tab\there', b: "it's \\ [x]", c: '😀' }, events: [] };
    expect(rowsOf(Buffer.from(new RunRowLines(run, 'TabSeparated').span(plain)), 'TabSeparated', 'spans')).toEqual([spanRow(plain, run)]);
    for (const [what, broken, brokenRun] of [
      ['lone surrogate in a name', { ...plain, name: 'a\ud800b' }, run],
      ['lone surrogate in an attribute value', { ...plain, attributes: { a: '\udc00' } }, run],
      ['fractional kind', { ...plain, kind: 1.5 }, run],
      ['negative count attribute… is 0, so fine; a fractional seed is not', plain, { ...run, seed: 2.5 }],
      ['unsafe seed', plain, { ...run, seed: 2 ** 60 }],
    ] as const) {
      expect(() => new RunRowLines(brokenRun, 'TabSeparated').span(broken as SpanRecord), what).toThrow(UnrepresentableInTsv);
    }
  });

  it('JSONCompactEachRow lines parse to the JSONEachRow rows\' values, in column order', () => {
    const [span] = fc.sample(record, { seed: 11, numRuns: 1 });
    const [run] = fc.sample(columns, { seed: 11, numRuns: 1 });
    const keyed = JSON.parse(new RunRowLines(run).span(span!)) as object;
    expect(JSON.parse(new RunRowLines(run, 'JSONCompactEachRow').span(span!))).toEqual(Object.values(keyed));
  });

  it('fields of the wrong type take the row-object path, with the same output', () => {
    const span = fc.sample(record, { seed: 5, numRuns: 1 })[0];
    const run = fc.sample(columns, { seed: 5, numRuns: 1 })[0];
    for (const format of ['JSONEachRow', 'JSONCompactEachRow'] as const) {
    for (const broken of [
      { ...span, kind: undefined },
      { ...span, statusCode: Number.NaN },
      { ...span, name: 7 },
      { ...span, events: [{ name: undefined, timeNs: 1n, attributes: {} }] },
    ] as unknown as SpanRecord[]) {
      expect(new RunRowLines(run, format).span(broken)).toBe(spanLine(broken, run, format));
      expect(new RunRowLines(run, format).events(broken)).toBe(eventLines(broken, run, format));
    }
    for (const oddRun of [{ ...run, seed: Number.NaN }, { ...run, runId: undefined }] as unknown as RunColumns[]) {
      expect(new RunRowLines(oddRun, format).span(span)).toBe(spanLine(span, oddRun, format));
    }
    }
  });
});
