import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * The spans of the collector benchmarks' request bodies, as an instrumented
 * agent service exports them: `count` finished SDK spans of one workflow,
 * with agent, handoff and gen_ai attributes and an event each.
 */
export function workflowSpans(count: number, body: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const resource = resourceFromAttributes({ 'service.name': 'bench-agents', 'baton.run.id': `bench-${body}`, 'baton.scenario': 'bench', 'baton.seed': body });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('baton-bench', '1.0.0');
  tracer.startActiveSpan('invoke_workflow triage', { kind: SpanKind.SERVER, attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'baton.workflow.id': `wf-${body}` } }, (root) => {
    for (let index = 1; index < count; index += 1) {
      const agent = `agent-${index % 7}`;
      const child = tracer.startSpan(`invoke_agent ${agent}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': agent,
          'gen_ai.usage.input_tokens': 100 + index,
          'gen_ai.usage.output_tokens': 40 + (index % 13),
          'baton.handoff.id': `h-${body}-${index}`,
          'baton.handoff.source': 'planner',
          'baton.handoff.target': agent,
          'baton.handoff.attempt': 1 + (index % 3),
          'baton.handoff.outcome': index % 10 === 0 ? 'rejected' : 'accepted',
        },
      });
      child.addEvent('baton.handoff.phase', { 'baton.handoff.phase': 'accept' });
      if (index % 10 === 0) child.setStatus({ code: SpanStatusCode.ERROR, message: 'agent failed' });
      child.end();
    }
    root.end();
  });
  return exporter.getFinishedSpans();
}
