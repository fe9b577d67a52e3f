import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SeededIdGenerator } from '../../../collector/tracing/seeded-id-generator.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';

describe('SeededIdGenerator', () => {
  it('gives the same valid ids for the same seed', () => {
    const a = new SeededIdGenerator(new SeededRandom(9).stream('ids'));
    const b = new SeededIdGenerator(new SeededRandom(9).stream('ids'));
    for (let index = 0; index < 50; index++) {
      const traceId = a.generateTraceId();
      const spanId = a.generateSpanId();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(trace.isSpanContextValid({ traceId, spanId, traceFlags: 1 })).toBe(true);
      expect([b.generateTraceId(), b.generateSpanId()]).toEqual([traceId, spanId]);
    }
  });

  it('never gives the all-zero (invalid) id', () => {
    const zeros = new SeededIdGenerator({ next: () => 0 });
    expect(zeros.generateTraceId()).toBe(`${'0'.repeat(31)}1`);
    expect(zeros.generateSpanId()).toBe(`${'0'.repeat(15)}1`);
    const ones = new SeededIdGenerator({ next: () => 0.999_999_999_9 });
    expect(ones.generateSpanId()).toBe('ffffffffffffffff');
  });
});
