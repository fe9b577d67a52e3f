import type { Context, Tracer } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { RandomStream } from '../../core/env/random.js';
import { SeededIdGenerator } from './seeded-id-generator.js';

/** Receives every span of a run as it ends. */
export type SpanListener = (span: ReadableSpan) => void;

/** Passes each ended span to a listener; nothing is buffered here. */
class ListenerSpanProcessor implements SpanProcessor {
  constructor(private readonly listener: SpanListener) {}
  onStart(_span: Span, _parentContext: Context): void {}
  onEnd(span: ReadableSpan): void {
    this.listener(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Limits high enough that no simulated span drops attributes or events. */
export const RUN_SPAN_LIMITS = {
  attributeCountLimit: 512,
  attributeValueLengthLimit: 16_384,
  eventCountLimit: 100_000,
  linkCountLimit: 128,
  attributePerEventCountLimit: 128,
  attributePerLinkCountLimit: 128,
};

/**
 * A BasicTracerProvider for one simulated run: ids from `idStream`, every span
 * sampled, fixed limits (not read from OTEL_* variables), and each ended span
 * handed to `listener`.
 */
export function createRunTracer(idStream: RandomStream, listener: SpanListener): Tracer {
  const provider = new BasicTracerProvider({
    idGenerator: new SeededIdGenerator(idStream),
    sampler: new AlwaysOnSampler(),
    spanLimits: RUN_SPAN_LIMITS,
    spanProcessors: [new ListenerSpanProcessor(listener)],
  });
  return provider.getTracer('baton', '0.1.0');
}
