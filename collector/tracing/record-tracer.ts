import {
  context as apiContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanAttributes,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import { hrTimeDuration, isAttributeValue, isTimeInput, isTimeInputHrTime, isTracingSuppressed, millisToHrTime, sanitizeAttributes } from '@opentelemetry/core';
import type { RandomStream } from '../../core/env/random.js';
import { hrTimeToNs, type SpanRecord } from '../span-rows.js';
import { RUN_SPAN_LIMITS } from './run-tracer.js';
import { SeededIdGenerator } from './seeded-id-generator.js';

/** Receives every span of a run as a SpanRecord as it ends. */
export type RecordListener = (record: SpanRecord) => void;

/**
 * A Tracer for simulated runs that turns each ended span straight into the
 * SpanRecord storage takes, without the SDK's span objects in between.
 *
 * It records exactly what `createRunTracer` (the SDK's BasicTracerProvider
 * with the same ids, sampler and limits) and `recordFromSdkSpan` give, for
 * every call core can make: ids drawn in the SDK's order (span id, then a
 * trace id for a root), attributes kept, dropped and truncated by the SDK's
 * rules, status changes as the SDK allows them, and nothing after `end`.
 * A property test holds the two to the same records and the same rows.
 *
 * What it does not do: sampling (every span is recorded), links (a record
 * has none), and times from the host's clock. Start, event and end times
 * must be given: simulated spans carry virtual time, and a missing time is a
 * programming error here, not "now". An HrTime is taken as it is (all core
 * gives); a number or a Date is read as epoch milliseconds (the SDK reads a
 * number below `performance.now()` as a time since the process started).
 */
export function createRecordTracer(idStream: RandomStream, listener: RecordListener): Tracer {
  return new RecordTracer(new SeededIdGenerator(idStream), listener);
}

class RecordTracer implements Tracer {
  constructor(
    private readonly ids: SeededIdGenerator,
    private readonly listener: RecordListener,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, context: Context = apiContext.active()): Span {
    if (isTracingSuppressed(context)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    // `root` ignores the context's span (the SDK deletes it from the context first).
    const parentSpan = options.root ? undefined : trace.getSpan(context);
    const parent = parentSpan?.spanContext();
    const startTime = timeOf(options.startTime, 'startSpan');
    const spanId = this.ids.generateSpanId();
    // A record span's ids are valid by construction; any other parent is checked as the SDK does.
    const child = parent !== undefined && (parentSpan instanceof RecordSpan || trace.isSpanContextValid(parent));
    const traceId = child ? parent.traceId : this.ids.generateTraceId();
    const span = new RecordSpan(
      { traceId, spanId, traceFlags: TraceFlags.SAMPLED, traceState: child ? parent.traceState : undefined },
      child ? parent.spanId : '',
      name,
      options.kind ?? SpanKind.INTERNAL,
      startTime,
      this.listener,
    );
    if (options.attributes !== undefined) span.setStartAttributes(options.attributes);
    return span;
  }

  /** The SDK's argument handling: (name, fn), (name, options, fn) or (name, options, context, fn). */
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    if (rest.length === 0) return undefined as ReturnType<F>;
    const fn = (rest.length === 1 ? rest[0] : rest.length === 2 ? rest[1] : rest[2]) as (span: Span) => ReturnType<F>;
    const options = (rest.length >= 2 ? rest[0] : undefined) as SpanOptions | undefined;
    const parentContext = ((rest.length >= 3 ? rest[1] : undefined) as Context | undefined) ?? apiContext.active();
    const span = this.startSpan(name, options, parentContext);
    return apiContext.with(trace.setSpan(parentContext, span), fn, undefined, span);
  }
}

const INVALID_SPAN_CONTEXT: SpanContext = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: TraceFlags.NONE };

interface RecordedEvent {
  name: string;
  time: HrTime;
  attributes: Attributes;
}

/** A recording span: the SDK SpanImpl's rules for what is kept, with the record built at `end`. */
class RecordSpan implements Span {
  private readonly attributes: Attributes = {};
  private attributeCount = 0;
  private readonly events: RecordedEvent[] = [];
  private status: SpanStatus = { code: SpanStatusCode.UNSET };
  private ended = false;

  constructor(
    private readonly context: SpanContext,
    private readonly parentSpanId: string,
    private name: string,
    private readonly kind: SpanKind,
    private readonly startTime: HrTime,
    private readonly listener: RecordListener,
  ) {}

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: SpanAttributes[string]): this {
    if (value === null || value === undefined || this.ended) return this;
    const type = typeof value;
    if (key.length === 0 || (type !== 'string' && type !== 'number' && type !== 'boolean' && !isAttributeValue(value))) return this;
    const isNewKey = !Object.prototype.hasOwnProperty.call(this.attributes, key);
    if (isNewKey && this.attributeCount >= RUN_SPAN_LIMITS.attributeCountLimit) return this;
    this.attributes[key] = truncated(value);
    if (isNewKey) this.attributeCount++;
    return this;
  }

  /**
   * A new span's attributes. The SDK sanitizes them into a fresh object first, then sets them
   * one by one: setAttribute's own checks drop the same keys, except `__proto__`, which the
   * copy loses (an assignment to it sets no property) before it counts towards the limit.
   */
  setStartAttributes(attributes: SpanAttributes): void {
    for (const key in attributes) {
      if (key !== '__proto__' && Object.prototype.hasOwnProperty.call(attributes, key)) this.setAttribute(key, attributes[key]);
    }
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.setAttribute(key, attributes[key]);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    let attributes: unknown = attributesOrTime;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributes = undefined;
    }
    const eventTime = timeOf(time, 'addEvent');
    if (this.events.length >= RUN_SPAN_LIMITS.eventCountLimit) this.events.shift();
    // The SDK keeps an event's null and undefined values (sanitizeAttributes does).
    const sanitized = sanitizeAttributes(attributes);
    const kept: Attributes = {};
    let count = 0;
    for (const key in sanitized) {
      if (!Object.prototype.hasOwnProperty.call(sanitized, key)) continue;
      if (count >= RUN_SPAN_LIMITS.attributePerEventCountLimit) continue;
      kept[key] = truncated(sanitized[key]);
      count++;
    }
    this.events.push({ name, time: eventTime, attributes: kept });
    return this;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status = status.code === SpanStatusCode.ERROR && typeof status.message === 'string' ? { code: status.code, message: status.message } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    let end = timeOf(endTime, 'end');
    // As the SDK: an end before the start is moved to the start.
    if (hrTimeDuration(this.startTime, end)[0] < 0) end = this.startTime;
    this.ended = true;
    this.listener({
      traceId: this.context.traceId,
      spanId: this.context.spanId,
      parentSpanId: this.parentSpanId,
      name: this.name,
      kind: this.kind,
      startNs: hrTimeToNs(this.startTime),
      endNs: hrTimeToNs(end),
      statusCode: this.status.code,
      statusMessage: this.status.message ?? '',
      attributes: this.attributes,
      events: this.events.map((event) => ({ name: event.name, timeNs: hrTimeToNs(event.time), attributes: event.attributes })),
    });
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) this.addEvent('exception', attributes, time);
  }
}

/** Strings (and strings in arrays) cut to the limit, as the SDK's `_truncateToSize`. */
function truncated(value: AttributeValue | undefined): AttributeValue | undefined {
  const limit = RUN_SPAN_LIMITS.attributeValueLengthLimit;
  if (typeof value === 'string') return value.length <= limit ? value : value.substring(0, limit);
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' && item.length > limit ? item.substring(0, limit) : item)) as AttributeValue;
  return value;
}

/** The time a span, event or end is given: HrTime as it is, a number or Date as epoch milliseconds. */
function timeOf(time: TimeInput | undefined, where: string): HrTime {
  if (isTimeInputHrTime(time)) return time;
  if (typeof time === 'number') return millisToHrTime(time);
  if (time instanceof Date) return millisToHrTime(time.getTime());
  throw new TypeError(`the record tracer takes no host time: ${where} needs an explicit time (simulated spans carry virtual time)`);
}
