import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../../collector/run-metrics.js';
import { attributeColumns, type SpanRecord } from '../../collector/span-rows.js';
import { spanRecordArbitrary } from './span-record-arbitrary.js';

// The sweep's RowBinary path hands RunMetrics the attribute columns its encoder
// computed; every other path lets RunMetrics read the attributes itself. Both
// must count the same spans the same way. (What the counts mean, against SQL
// over the stored spans: test/collector/store/run-metrics-engines.test.ts.)
const value = fc.oneof(
  fc.constantFrom('invoke_workflow', 'invoke_agent', 'accepted', 'nacked', 'partial', '', 'handoff', 'queueing', 'a', 'b'),
  fc.integer({ min: -2, max: 3 }),
  fc.boolean(),
);
const keys = [
  'gen_ai.operation.name', 'error.type', 'baton.handoff.outcome', 'baton.handoff.source', 'baton.handoff.target',
  'gen_ai.agent.handoff.source.name', 'gen_ai.agent.handoff.target.name', 'baton.coordination.kind', 'baton.fault.kind', 'other',
]; // prettier-ignore
const attributes = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 });
const nanos = fc.bigInt({ min: 0n, max: 10n ** 12n });
const record = spanRecordArbitrary({ text: fc.constantFrom('baton.fault', 'x', ''), attributes, nanos });
const run = { runId: 'run-1', recordedDate: '2026-11-21' };

function rowsOf(spans: SpanRecord[], withColumns: boolean) {
  const metrics = new RunMetrics();
  for (const span of spans) metrics.add(span, withColumns ? attributeColumns(span.attributes) : undefined);
  return metrics.rows(run);
}

describe('RunMetrics', () => {
  it('gives the same rows whether it reads the attributes or is handed their columns', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (spans) => {
        expect(rowsOf(spans, true)).toEqual(rowsOf(spans, false));
      }),
      { numRuns: 300 },
    );
  });

  it('sums, maxima and sorted durations per group; a negative duration counts as 0', () => {
    const span = (startNs: bigint, endNs: bigint, attributes: SpanRecord['attributes'], events: SpanRecord['events'] = []): SpanRecord => ({
      traceId: 't', spanId: 's', parentSpanId: '', name: 'n', kind: 0, startNs, endNs, statusCode: 0, statusMessage: '', attributes, events,
    });
    const spans = [
      span(0n, 30n, { 'baton.handoff.outcome': 'accepted', 'baton.handoff.source': 'a', 'baton.handoff.target': 'b' }),
      span(10n, 5n, { 'baton.handoff.outcome': 'nacked', 'gen_ai.agent.handoff.source.name': 'a', 'gen_ai.agent.handoff.target.name': 'b' }),
      span(0n, 2n ** 60n + 1n, { 'baton.coordination.kind': 'queueing' }),
      span(0n, 2n ** 52n, { 'baton.coordination.kind': 'queueing' }),
      span(0n, 2n ** 53n - 1n, { 'baton.coordination.kind': 'retry' }),
      span(0n, 2n ** 53n - 1n, { 'baton.coordination.kind': 'retry' }),
      span(0n, 2n ** 60n + 3n, { 'gen_ai.operation.name': 'invoke_workflow' }),
      span(0n, 100n, { 'gen_ai.operation.name': 'invoke_workflow', 'error.type': 'partial' }, [
        { name: 'baton.fault', timeNs: 1n, attributes: { 'baton.fault.kind': 'loss' } },
        { name: 'baton.fault', timeNs: 2n, attributes: { 'baton.fault.kind': 'loss' } },
      ]),
    ];
    const base = { recorded_date: '2026-11-21', run_id: 'run-1', kind: '', source: '', target: '', succeeded: 0, partial: 0 };
    expect(rowsOf(spans, false)).toEqual([
      // Past 2^53 ns, one span's duration or a sum of safe ones, still exact.
      { ...base, family: 'coordination', kind: 'queueing', count: 2, sum_ns: String(2n ** 60n + 1n + 2n ** 52n), max_ns: String(2n ** 60n + 1n), durations: [] },
      { ...base, family: 'coordination', kind: 'retry', count: 2, sum_ns: String(2n ** 54n - 2n), max_ns: String(2n ** 53n - 1n), durations: [] },
      { ...base, family: 'fault', kind: 'loss', count: 2, sum_ns: '0', max_ns: '0', durations: [] },
      { ...base, family: 'handoff', source: 'a', target: 'b', count: 2, succeeded: 1, sum_ns: '30', max_ns: '30', durations: ['0', '30'] },
      { ...base, family: 'workflow', count: 2, succeeded: 1, partial: 1, sum_ns: String(2n ** 60n + 103n), max_ns: String(2n ** 60n + 3n), durations: ['100', String(2n ** 60n + 3n)] },
    ]);
  });
});
