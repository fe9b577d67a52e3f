import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, TraceFlags, ROOT_CONTEXT, trace, type Attributes, type HrTime, type Span, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunRowBinary } from '../../../collector/row-binary.js';
import { recordFromSdkSpan, type RunColumns, type SpanRecord } from '../../../collector/span-rows.js';
import { createRecordTracer } from '../../../collector/tracing/record-tracer.js';
import { createRunTracer } from '../../../collector/tracing/run-tracer.js';
import { scenarioWithSwarm } from '../../../cli/commands/sweep-command.js';
import { simulationOptions } from '../../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { simulate } from '../../../simulator/simulate.js';

// The record tracer stands in for the SDK (createRunTracer + recordFromSdkSpan) where runs are
// stored. These tests hold it to the SDK's records: whole simulated runs, and arbitrary calls.

/** The SDK's records and the record tracer's, for the same seed of ids. */
function tracerPair(seed: number): { sdk: Tracer; lean: Tracer; sdkRecords: SpanRecord[]; leanRecords: SpanRecord[] } {
  const sdkRecords: SpanRecord[] = [];
  const leanRecords: SpanRecord[] = [];
  return {
    sdk: createRunTracer(new SeededRandom(seed).stream('ids'), (span) => sdkRecords.push(recordFromSdkSpan(span))),
    lean: createRecordTracer(new SeededRandom(seed).stream('ids'), (record) => leanRecords.push(record)),
    sdkRecords,
    leanRecords,
  };
}

const COLUMNS: RunColumns = { runId: 'r', sweepId: 's', scenario: 'x', seed: 1, recordedDate: '2026-11-21', serviceName: 'baton-sim' };

function rowBytes(records: SpanRecord[]): { spans: number[]; events: number[] } {
  const rows = new RunRowBinary(COLUMNS);
  for (const record of records) rows.add(record);
  return { spans: [...rows.spans.bytes()], events: [...rows.events.bytes()] };
}

const SCENARIOS = join(import.meta.dirname, '..', '..', '..', 'scenarios');

describe('record tracer: whole runs', () => {
  const files = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).sort();

  it('finds the scenario library', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(`records what the SDK records: ${file}, seeds 1–2`, async () => {
      const scenario = scenarioWithSwarm(join(SCENARIOS, file), undefined, undefined);
      for (const seed of [1, 2]) {
        const pair = tracerPair(seed);
        const viaSdk = await simulate(simulationOptions(scenario, seed), pair.sdk);
        const viaLean = await simulate(simulationOptions(scenario, seed), pair.lean);
        expect(pair.leanRecords.length).toBeGreaterThan(0);
        expect(pair.leanRecords).toStrictEqual(pair.sdkRecords);
        expect(rowBytes(pair.leanRecords)).toEqual(rowBytes(pair.sdkRecords));
        expect(viaLean.eventLogHash).toBe(viaSdk.eventLogHash);
        expect(viaLean.violations).toEqual(viaSdk.violations);
      }
    });
  }

  it('records what the SDK records under the default fault swarm (research pipeline, seeds 1–6)', async () => {
    const scenario = scenarioWithSwarm(join(SCENARIOS, 'research-pipeline.yaml'), undefined, 'default');
    let errors = 0;
    let events = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const pair = tracerPair(seed);
      await simulate(simulationOptions(scenario, seed), pair.sdk);
      await simulate(simulationOptions(scenario, seed), pair.lean);
      expect(pair.leanRecords).toStrictEqual(pair.sdkRecords);
      expect(rowBytes(pair.leanRecords)).toEqual(rowBytes(pair.sdkRecords));
      errors += pair.leanRecords.filter((record) => record.statusCode === SpanStatusCode.ERROR).length;
      events += pair.leanRecords.reduce((sum, record) => sum + record.events.length, 0);
    }
    // The runs compared include failed spans and span events, not only the happy path.
    expect(errors).toBeGreaterThan(0);
    expect(events).toBeGreaterThan(0);
  });
});

// Arbitrary calls, made on an SDK span and a record span alike.
const LONG = 'x'.repeat(16_390);
const key = fc.oneof(fc.constantFrom('a', 'b', 'baton.handoff.outcome', 'error.type', '', '7', LONG.slice(0, 3)), fc.string({ maxLength: 4 }));
const attributeValue = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.constant(LONG),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), fc.constant(LONG)), { maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant([1, 'mixed']),
  fc.constant({ nested: 1 }),
);
const attributes = fc.dictionary(key, attributeValue, { maxKeys: 5 }) as fc.Arbitrary<Attributes>;
const time = fc.tuple(fc.integer({ min: 1_700_000_000, max: 1_700_000_005 }), fc.integer({ min: 0, max: 999_999_999 })) as fc.Arbitrary<HrTime>;
const operation = fc.oneof(
  fc.record({ op: fc.constant('setAttribute' as const), key, value: attributeValue }),
  fc.record({ op: fc.constant('setAttributes' as const), attributes }),
  fc.record({ op: fc.constant('addEvent' as const), name: fc.string({ maxLength: 4 }), attributes: fc.option(attributes, { nil: undefined }), time }),
  fc.record({ op: fc.constant('addEventAt' as const), name: fc.string({ maxLength: 4 }), time }),
  fc.record({
    op: fc.constant('setStatus' as const),
    code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
    message: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(undefined), fc.constant(7 as unknown as string)),
  }),
  fc.record({ op: fc.constant('updateName' as const), name: fc.string({ maxLength: 4 }) }),
  fc.record({ op: fc.constant('recordException' as const), message: fc.string({ maxLength: 4 }), named: fc.boolean(), time }),
  fc.record({ op: fc.constant('end' as const), time }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;
const parentKind = fc.constantFrom('root', 'previous', 'remote', 'invalid-remote', 'root-option-with-parent');
const spanPlan = fc.record({ name: fc.string({ maxLength: 6 }), parent: parentKind, attributes: fc.option(attributes, { nil: undefined }), start: time, operations: fc.array(operation, { maxLength: 8 }), end: time });

function apply(span: Span, operation: Operation): void {
  switch (operation.op) {
    case 'setAttribute':
      span.setAttribute(operation.key, operation.value as never);
      return;
    case 'setAttributes':
      span.setAttributes(operation.attributes);
      return;
    case 'addEvent':
      span.addEvent(operation.name, operation.attributes, operation.time);
      return;
    case 'addEventAt':
      span.addEvent(operation.name, operation.time);
      return;
    case 'setStatus':
      span.setStatus({ code: operation.code, message: operation.message });
      return;
    case 'updateName':
      span.updateName(operation.name);
      return;
    case 'recordException':
      span.recordException(operation.named ? { name: 'Oops', message: operation.message } : operation.message, operation.time);
      return;
    case 'end':
      span.end(operation.time);
      return;
  }
}

type SpanPlan = typeof spanPlan extends fc.Arbitrary<infer T> ? T : never;

function play(tracer: Tracer, plans: SpanPlan[]): string[] {
  const contexts: string[] = [];
  let previous: Span | undefined;
  for (const plan of plans) {
    let context = ROOT_CONTEXT;
    if (plan.parent === 'previous' && previous) context = trace.setSpan(ROOT_CONTEXT, previous);
    if (plan.parent === 'remote') context = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: TraceFlags.SAMPLED, isRemote: true }));
    if (plan.parent === 'invalid-remote') context = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: TraceFlags.NONE }));
    if (plan.parent === 'root-option-with-parent' && previous) context = trace.setSpan(ROOT_CONTEXT, previous);
    const span = tracer.startSpan(plan.name, { attributes: plan.attributes, startTime: plan.start, root: plan.parent === 'root-option-with-parent' }, context);
    for (const operation of plan.operations) apply(span, operation);
    span.end(plan.end);
    apply(span, { op: 'setAttribute', key: 'after.end', value: 1 });
    span.end(plan.end);
    const { traceId, spanId, traceFlags } = span.spanContext();
    contexts.push(`${traceId}/${spanId}/${traceFlags}/${span.isRecording()}`);
    previous = span;
  }
  return contexts;
}

describe('record tracer: arbitrary calls', () => {
  it('keeps, drops, truncates and orders what the SDK does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.array(spanPlan, { minLength: 1, maxLength: 6 }), (seed, plans) => {
        const pair = tracerPair(seed);
        const sdkContexts = play(pair.sdk, plans);
        const leanContexts = play(pair.lean, plans);
        expect(leanContexts).toEqual(sdkContexts);
        expect(pair.leanRecords).toStrictEqual(pair.sdkRecords);
        expect(rowBytes(pair.leanRecords)).toEqual(rowBytes(pair.sdkRecords));
      }),
      { numRuns: 400 },
    );
  });

  it('truncates long strings at the limit and keeps an event’s undefined values as the SDK does', () => {
    const pair = tracerPair(3);
    for (const tracer of [pair.sdk, pair.lean]) {
      const span = tracer.startSpan('s', { startTime: [1_700_000_000, 5], attributes: { long: LONG, gone: undefined, list: [LONG, null] } });
      span.addEvent('e', { kept: undefined, nulled: null } as unknown as Attributes, [1_700_000_000, 6]);
      span.end([1_700_000_000, 1]);
    }
    expect(pair.leanRecords).toStrictEqual(pair.sdkRecords);
    const [record] = pair.leanRecords;
    expect((record!.attributes.long as string).length).toBe(16_384);
    expect(Object.keys(record!.attributes)).not.toContain('gone');
    expect(Object.keys(record!.events[0]!.attributes).sort()).toEqual(['kept', 'nulled']);
    // An end before the start moves to the start.
    expect(record!.endNs).toBe(record!.startNs);
  });

  it('handles what core never calls as the SDK does: limits, epoch times, kinds, exceptions, active spans, suppression, __proto__', () => {
    const pair = tracerPair(11);
    const ends: unknown[][] = [];
    for (const tracer of [pair.sdk, pair.lean]) {
      const returned: unknown[] = [];
      // Past the 512-attribute limit; an event past 128 attributes; past 100,000 events.
      const many = Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`k${index}`, index]));
      const span = tracer.startSpan('limits', { startTime: 1_700_000_000_123.5, kind: SpanKind.CLIENT, attributes: { ...JSON.parse('{"__proto__":"x"}'), ...many } });
      span.setAttribute('k1', 'changed');
      span.setAttribute('late', 1);
      for (let index = 0; index < 100_002; index++) span.addEvent(`n${index % 3}`, [1_700_000_001, index]);
      span.addEvent('wide', Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`e${index}`, index])), new Date(1_700_000_000_500));
      span.recordException({ code: 42, name: 'Ignored', message: 'boom', stack: 'at here' }, [1_700_000_002, 0]);
      span.recordException({} as Error, [1_700_000_002, 1]);
      span.end(1_700_000_003_000);
      returned.push(tracer.startActiveSpan('three', { startTime: [1_700_000_005, 0] }, (active: Span) => (active.end([1_700_000_006, 0]), 'fn-3')));
      returned.push(tracer.startActiveSpan('four', { startTime: [1_700_000_007, 0] }, trace.setSpan(ROOT_CONTEXT, span), (active: Span) => (active.end([1_700_000_008, 0]), 'fn-4')));
      returned.push((tracer.startActiveSpan as (...args: unknown[]) => unknown)('five', { startTime: [1_700_000_009, 0] }, ROOT_CONTEXT, (active: Span) => (active.end([1_700_000_010, 0]), 'fn-5'), 'extra'));
      returned.push((tracer.startActiveSpan as (name: string) => unknown)('none'));
      const suppressed = tracer.startSpan('suppressed', { startTime: [1, 0] }, suppressTracing(ROOT_CONTEXT));
      returned.push(suppressed.isRecording(), suppressed.spanContext().spanId);
      suppressed.end([2, 0]);
      ends.push(returned);
    }
    expect(ends[1]).toStrictEqual(ends[0]);
    expect(pair.leanRecords).toStrictEqual(pair.sdkRecords);
    expect(rowBytes(pair.leanRecords)).toEqual(rowBytes(pair.sdkRecords));
    const [limits] = pair.leanRecords;
    expect(Object.keys(limits!.attributes)).toHaveLength(512);
    expect(limits!.kind).toBe(SpanKind.CLIENT);
    expect(limits!.events).toHaveLength(100_000);
    expect(Object.keys(limits!.events.find((event) => event.name === 'wide')!.attributes)).toHaveLength(128);
    expect(pair.leanRecords.map((record) => record.name)).toEqual(['limits', 'three', 'four', 'five']);
    // (name, fn) gives no start time: the SDK would take the host's clock, the record tracer refuses.
    expect(() => pair.lean.startActiveSpan('two', (active: Span) => active.end([1, 0]))).toThrow(/startSpan needs an explicit time/);
  });

  it('refuses a span without an explicit (virtual) time', () => {
    const tracer = createRecordTracer(new SeededRandom(1).stream('ids'), () => {});
    const ids = new SeededRandom(1).stream('ids');
    const drawn: number[] = [];
    const tracer2 = createRecordTracer({ next: () => (drawn.push(0), ids.next()) }, () => {});
    expect(() => tracer2.startSpan('s')).toThrow(/startSpan needs an explicit time/);
    expect(drawn).toEqual([]); // no id drawn for a span that was refused
    const span = tracer.startSpan('s', { startTime: [1, 0] });
    expect(() => span.addEvent('e')).toThrow(/addEvent needs an explicit time/);
    expect(() => span.end()).toThrow(/end needs an explicit time/);
  });
});
