import type { Attributes } from '@opentelemetry/api';
import { attributeText, countValue, type RunColumns, type SpanRecord } from '../../collector/span-rows.js';

/**
 * A span's JSONCompactEachRow line as `RunRowLines` built it before
 * `attributeColumns`: the Nested arrays from the sorted keys, then one
 * lookup by name per typed column. Kept as the baseline of the hot-paths
 * benchmark; it must give the same bytes (the benchmark checks).
 */
export function lookupSpanLine(span: SpanRecord, run: RunColumns): string {
  const a = span.attributes;
  const keys = Object.keys(a).sort();
  const values = keys.map((key) => attributeText(a[key]));
  const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
  return `${JSON.stringify([
    run.recordedDate,
    run.runId,
    run.sweepId,
    run.scenario,
    run.seed,
    run.serviceName,
    span.traceId,
    span.spanId,
    span.parentSpanId,
    span.name,
    span.kind,
    span.startNs.toString(),
    span.endNs.toString(),
    durationNs.toString(),
    span.statusCode,
    span.statusMessage,
    text(a, 'gen_ai.operation.name'),
    text(a, 'baton.workflow.id'),
    text(a, 'baton.task.id'),
    text(a, 'gen_ai.agent.name'),
    text(a, 'baton.coordination.kind'),
    text(a, 'baton.handoff.id'),
    text(a, 'baton.handoff.source') || text(a, 'gen_ai.agent.handoff.source.name'),
    text(a, 'baton.handoff.target') || text(a, 'gen_ai.agent.handoff.target.name'),
    text(a, 'baton.handoff.phase'),
    text(a, 'baton.handoff.outcome'),
    count(a, 'baton.handoff.attempt'),
    count(a, 'baton.handoff.schema_version'),
    count(a, 'baton.handoff.context_bytes'),
    count(a, 'baton.handoff.context_tokens'),
    count(a, 'gen_ai.usage.input_tokens'),
    count(a, 'gen_ai.usage.output_tokens'),
    text(a, 'error.type'),
    keys,
    values,
  ])}\n`;
}

function text(attributes: Attributes, key: string): string {
  return attributeText(attributes[key]);
}

function count(attributes: Attributes, key: string): number {
  return countValue(attributes[key]);
}
