import fc from 'fast-check';
import type { Attributes } from '@opentelemetry/api';
import type { SpanRecord } from '../../collector/span-rows.js';

/** What a generated span is made of; each test picks the texts, attributes, times and kinds it needs. */
export interface SpanRecordParts {
  text: fc.Arbitrary<string>;
  attributes: fc.Arbitrary<Attributes>;
  nanos: fc.Arbitrary<bigint>;
  /** Default: an integer 0–5 (the SDK's span kinds and one past them). */
  kind?: fc.Arbitrary<number>;
}

/** SpanRecords with every field drawn from `parts`, status codes 0–2 and up to 3 events. */
export function spanRecordArbitrary({ text, attributes, nanos, kind = fc.integer({ min: 0, max: 5 }) }: SpanRecordParts): fc.Arbitrary<SpanRecord> {
  return fc.record({
    traceId: text,
    spanId: text,
    parentSpanId: text,
    name: text,
    kind,
    startNs: nanos,
    endNs: nanos,
    statusCode: fc.integer({ min: 0, max: 2 }),
    statusMessage: text,
    attributes,
    events: fc.array(fc.record({ name: text, timeNs: nanos, attributes }), { maxLength: 3 }),
  });
}
