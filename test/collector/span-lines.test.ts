import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunRowLines } from '../../collector/span-lines.js';
import { spanEventRows, spanRow, type RunColumns, type SpanRecord } from '../../collector/span-rows.js';
import type { RawRowFormat } from '../../collector/store/span-store.js';
import { rowsOf } from '../../collector/store/row-text.js';
import { UnrepresentableInTsv } from '../../collector/tsv-text.js';
import { spanRecordArbitrary } from './span-record-arbitrary.js';

const text = fc.string({ unit: 'binary', maxLength: 10 });
/** Every attribute a typed column is taken from (spanRow): each must land in its own column. */
const COLUMN_KEYS = [
  'gen_ai.operation.name',
  'baton.workflow.id',
  'baton.task.id',
  'gen_ai.agent.name',
  'baton.coordination.kind',
  'baton.handoff.id',
  'baton.handoff.source',
  'gen_ai.agent.handoff.source.name',
  'baton.handoff.target',
  'gen_ai.agent.handoff.target.name',
  'baton.handoff.phase',
  'baton.handoff.outcome',
  'error.type',
  'baton.handoff.attempt',
  'baton.handoff.schema_version',
  'baton.handoff.context_bytes',
  'baton.handoff.context_tokens',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
] as const;
const attributeKey = fc.oneof(fc.constantFrom(...COLUMN_KEYS), text);
const attributeValue = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.array(fc.oneof(text, fc.integer(), fc.boolean()), { maxLength: 3 }), fc.constant(undefined));
const attributes = fc.dictionary(attributeKey, attributeValue, { maxKeys: 12 });
const nanos = fc.bigInt({ min: 0n, max: 2n ** 63n });

const record = spanRecordArbitrary({
  text,
  attributes: attributes as fc.Arbitrary<SpanRecord['attributes']>,
  nanos,
  kind: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(-0), fc.double()),
});

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

  it('each attribute a typed column is taken from lands in that column (spanRow, and every builder)', () => {
    // The mapping written out independently of attributeColumns, as the schema's columns name it.
    const COLUMN_OF: Record<(typeof COLUMN_KEYS)[number], [column: string, type: 'text' | 'count']> = {
      'gen_ai.operation.name': ['operation', 'text'],
      'baton.workflow.id': ['workflow_id', 'text'],
      'baton.task.id': ['task_id', 'text'],
      'gen_ai.agent.name': ['agent_name', 'text'],
      'baton.coordination.kind': ['coordination_kind', 'text'],
      'baton.handoff.id': ['handoff_id', 'text'],
      'baton.handoff.source': ['handoff_source', 'text'],
      'gen_ai.agent.handoff.source.name': ['handoff_source', 'text'],
      'baton.handoff.target': ['handoff_target', 'text'],
      'gen_ai.agent.handoff.target.name': ['handoff_target', 'text'],
      'baton.handoff.phase': ['handoff_phase', 'text'],
      'baton.handoff.outcome': ['handoff_outcome', 'text'],
      'error.type': ['error_type', 'text'],
      'baton.handoff.attempt': ['handoff_attempt', 'count'],
      'baton.handoff.schema_version': ['handoff_schema_version', 'count'],
      'baton.handoff.context_bytes': ['context_bytes', 'count'],
      'baton.handoff.context_tokens': ['context_tokens', 'count'],
      'gen_ai.usage.input_tokens': ['input_tokens', 'count'],
      'gen_ai.usage.output_tokens': ['output_tokens', 'count'],
    };
    const run: RunColumns = { runId: 'r', sweepId: 's', scenario: 'x', seed: 1, recordedDate: '2026-01-01', serviceName: 'svc' };
    const base: SpanRecord = { traceId: 't', spanId: 's', parentSpanId: '', name: 'n', kind: 1, startNs: 1n, endNs: 2n, statusCode: 0, statusMessage: '', attributes: {}, events: [] };
    for (const key of COLUMN_KEYS) {
      const span = { ...base, attributes: { 'a.other': 'x', [key]: 7.9, 'z.other': 'y' } };
      const row = spanRow(span, run) as unknown as Record<string, unknown>;
      for (const [column, type] of Object.values(COLUMN_OF)) {
        const expected = column === COLUMN_OF[key][0] ? (type === 'text' ? '7.9' : 7) : type === 'text' ? '' : 0;
        expect(row[column], `${key} → ${column}`).toBe(expected);
      }
      expect(row['attributes.key']).toEqual(['a.other', key, 'z.other'].sort());
      for (const format of ['JSONEachRow', 'JSONCompactEachRow'] as const) expect(new RunRowLines(run, format).span(span), key).toBe(spanLine(span, run, format));
      expect(rowsOf(Buffer.from(new RunRowLines(run, 'TabSeparated').span(span)), 'TabSeparated', 'spans'), key).toEqual([row]);
    }
    const source = (attributes: Record<string, string>): unknown => (spanRow({ ...base, attributes }, run) as unknown as Record<string, unknown>).handoff_source;
    expect(source({ 'baton.handoff.source': 'a', 'gen_ai.agent.handoff.source.name': 'b' })).toBe('a');
    expect(source({ 'baton.handoff.source': '', 'gen_ai.agent.handoff.source.name': 'b' })).toBe('b');
    const counts = (value: unknown): unknown => (spanRow({ ...base, attributes: { 'gen_ai.usage.input_tokens': value as string } }, run) as unknown as Record<string, unknown>).input_tokens;
    expect([counts('12.9'), counts(-3), counts(1e21), counts('x'), counts(true)]).toEqual([12, 0, 0, 0, 1]);
  });

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
