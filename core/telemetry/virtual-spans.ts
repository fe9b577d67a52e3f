import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type HrTime, type Span, type Tracer } from '@opentelemetry/api';
import type { Clock } from '../env/clock.js';

/** Microseconds since the epoch → OpenTelemetry HrTime [seconds, nanoseconds]. */
export function hrTimeFromUs(us: number): HrTime {
  const seconds = Math.floor(us / 1_000_000);
  return [seconds, (us - seconds * 1_000_000) * 1000];
}

/**
 * Starts and ends spans at the clock's time, never the host's: every time a
 * span, event or end carries is given explicitly.
 */
export class SpanClock {
  constructor(
    private readonly tracer: Tracer,
    private readonly clock: Clock,
  ) {}

  /** Starts `name` as a child of `parent` (or a new trace when absent). */
  start(name: string, parent: Span | undefined, attributes: Attributes = {}): Span {
    const context = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    return this.tracer.startSpan(name, { startTime: hrTimeFromUs(this.clock.nowUs()), attributes, root: !parent }, context);
  }

  /** Adds an event at the current time. */
  event(span: Span, name: string, attributes: Attributes = {}): void {
    span.addEvent(name, attributes, hrTimeFromUs(this.clock.nowUs()));
  }

  /** Ends `span` now; `error` marks it failed with that error type. */
  end(span: Span, attributes: Attributes = {}, error?: string): void {
    span.setAttributes(attributes);
    if (error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      span.setAttribute('error.type', error);
    }
    span.end(hrTimeFromUs(this.clock.nowUs()));
  }
}
