import type { SpanRow } from '../../../collector/store/rows.js';
import type { SpanFixture } from './span-fixture.js';

// Plain-JS reference implementations of the report metrics, written from the
// definitions in docs/reports.md, not from the SQL.

/** ClickHouse quantileExact: the element at floor(level·n), clamped to the last. */
export function quantileExact(values: readonly number[], level: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))];
}

const r6 = (value: number): number => Math.round(value * 1e6) / 1e6;
const ms = (ns: number): number => r6(ns / 1e6);
const dur = (span: SpanRow): number => Number(span.duration_ns);
const percentiles = (values: number[]) =>
  values.length === 0
    ? { p50: 0, p95: 0, p99: 0, max: 0 }
    : { p50: ms(quantileExact(values, 0.5)), p95: ms(quantileExact(values, 0.95)), p99: ms(quantileExact(values, 0.99)), max: ms(Math.max(...values)) };
const counts = (values: number[]) =>
  values.length === 0
    ? { p50: 0, p95: 0, p99: 0, max: 0 }
    : { p50: quantileExact(values, 0.5), p95: quantileExact(values, 0.95), p99: quantileExact(values, 0.99), max: Math.max(...values) };
const rate = (part: number, whole: number, empty = 0) => (whole === 0 ? empty : r6(part / whole));

export function expectedReport(fixture: SpanFixture) {
  const spans = fixture.spans;
  const workflows = spans.filter((s) => s.operation === 'invoke_workflow');
  const handoffs = spans.filter((s) => s.handoff_outcome !== '');
  const accepted = handoffs.filter((s) => s.handoff_outcome === 'accepted');
  const agents = spans.filter((s) => s.operation === 'invoke_agent');
  const coordination = spans.filter((s) => s.coordination_kind !== '');
  const workflowNs = workflows.reduce((sum, s) => sum + dur(s), 0);
  const kindNs = (list: SpanRow[], kind: string) => list.filter((s) => s.coordination_kind === kind).reduce((sum, s) => sum + dur(s), 0);
  const kinds = ['routing', 'handoff', 'queueing', 'retry', 'checkpoint'];

  const pairs = [...new Set(handoffs.map((s) => `${s.handoff_source}|${s.handoff_target}`))].sort();
  const byPair = pairs.map((pair) => {
    const [source, target] = pair.split('|');
    const list = handoffs.filter((s) => s.handoff_source === source && s.handoff_target === target);
    const ok = list.filter((s) => s.handoff_outcome === 'accepted').length;
    return { source, target, total: list.length, succeeded: ok, failed: list.length - ok, successRate: rate(ok, list.length, 1), latencyMs: percentiles(list.map(dur)) };
  });
  const overheadByPair = pairs.map((pair) => {
    const [source, target] = pair.split('|');
    const list = handoffs.filter((s) => s.handoff_source === source && s.handoff_target === target);
    const ids = new Set(list.map((s) => s.span_id));
    const children = coordination.filter((s) => ids.has(s.parent_span_id));
    const handoffNs = list.reduce((sum, s) => sum + dur(s), 0);
    const present = kinds.filter((kind) => children.some((s) => s.coordination_kind === kind)).sort();
    return {
      source,
      target,
      handoffMs: ms(handoffNs),
      coordinationMs: ms(children.reduce((sum, s) => sum + dur(s), 0)),
      byKindMs: Object.fromEntries(present.map((kind) => [kind, ms(kindNs(children, kind))])),
      shareByKind: Object.fromEntries(present.map((kind) => [kind, rate(kindNs(children, kind), handoffNs)])),
    };
  });
  const byWorkflow = [...workflows]
    .sort((a, b) => (a.workflow_id < b.workflow_id ? -1 : 1))
    .map((workflow) => {
      const inTrace = coordination.filter((s) => s.trace_id === workflow.trace_id);
      const total = inTrace.reduce((sum, s) => sum + dur(s), 0);
      return {
        workflowId: workflow.workflow_id,
        outcome: workflow.error_type,
        durationMs: ms(dur(workflow)),
        coordinationMs: ms(total),
        overheadRatio: rate(total, dur(workflow)),
        byKindMs: Object.fromEntries(kinds.map((kind) => [kind, ms(kindNs(inTrace, kind))])),
      };
    });

  const failuresByPhase: Record<string, number> = {};
  for (const s of handoffs.filter((h) => h.handoff_outcome !== 'accepted')) failuresByPhase[s.handoff_phase] = (failuresByPhase[s.handoff_phase] ?? 0) + 1;
  const distribution: Record<string, number> = {};
  for (const s of handoffs) distribution[String(s.handoff_attempt)] = (distribution[String(s.handoff_attempt)] ?? 0) + 1;

  // Checkpoint lag: largest gap in {start, checkpoint ends, end} per workflow.
  const lags = workflows.map((workflow) => {
    const points = [BigInt(workflow.start_ns), BigInt(workflow.end_ns)];
    for (const s of spans) if (s.trace_id === workflow.trace_id && s.coordination_kind === 'checkpoint') points.push(BigInt(s.end_ns));
    points.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let gap = 0n;
    for (let i = 1; i < points.length; i++) if (points[i] - points[i - 1] > gap) gap = points[i] - points[i - 1];
    return Number(gap);
  });
  const activeMax = Math.max(
    ...workflows.map((w) => workflows.filter((o) => BigInt(o.start_ns) <= BigInt(w.start_ns) && BigInt(o.end_ns) > BigInt(w.start_ns)).length),
  );

  // Recovery: per handoff id (attempt spans) and per trace/task (agent spans).
  const units = new Map<string, SpanRow[]>();
  for (const s of spans) {
    const key = s.coordination_kind === 'handoff' && s.handoff_id !== '' ? `h/${s.handoff_id}` : s.operation === 'invoke_agent' ? `t/${s.trace_id}/${s.task_id}` : '';
    if (key) units.set(key, [...(units.get(key) ?? []), s]);
  }
  const recoveryNs: number[] = [];
  let unrecovered = 0;
  for (const list of units.values()) {
    const min = (values: bigint[]) => values.reduce((a, b) => (b < a ? b : a));
    const failures = list.filter((s) => s.status_code === 2).map((s) => BigInt(s.end_ns));
    if (failures.length === 0) continue;
    const firstFailure = min(failures);
    const later = list.filter((s) => s.status_code !== 2 && BigInt(s.end_ns) > firstFailure).map((s) => BigInt(s.end_ns));
    if (later.length === 0) unrecovered++;
    else recoveryNs.push(Number(min(later) - firstFailure));
  }

  const faults = fixture.events.filter((e) => e.name === 'baton.fault').map((e) => ({ kind: e['attributes.value'][0], ns: BigInt(e.time_ns) }));
  const byKind: Record<string, number> = {};
  for (const fault of faults) byKind[fault.kind] = (byKind[fault.kind] ?? 0) + 1;
  const links = new Map<string, number>();
  for (const s of spans) {
    const failed = s.status_code === 2 && (s.handoff_outcome !== '' || s.coordination_kind === 'handoff' || ['invoke_agent', 'invoke_workflow'].includes(s.operation));
    if (!failed) continue;
    const label =
      s.handoff_outcome !== '' ? `handoff ${s.handoff_outcome}` : s.coordination_kind === 'handoff' ? `handoff attempt ${s.error_type}` : s.operation === 'invoke_agent' ? `agent ${s.error_type}` : `workflow ${s.error_type}`;
    const preceding = new Set(faults.filter((f) => f.ns <= BigInt(s.end_ns) && f.ns + 10_000_000_000n >= BigInt(s.start_ns)).map((f) => f.kind));
    for (const kind of preceding.size === 0 ? ['none'] : preceding) links.set(`${kind}|${label}`, (links.get(`${kind}|${label}`) ?? 0) + 1);
  }
  const agentNames = [...new Set(agents.map((s) => s.agent_name))].sort();
  const errors = agents.filter((s) => s.status_code === 2).length;
  const contextCarried = handoffs.reduce((sum, s) => sum + s.context_tokens, 0);
  const agentWork = agents.reduce((sum, s) => sum + s.input_tokens + s.output_tokens, 0);
  const coordinationNs = coordination.reduce((sum, s) => sum + dur(s), 0);

  return {
    workflows: {
      total: workflows.length,
      completed: workflows.filter((s) => s.error_type === '').length,
      partial: workflows.filter((s) => s.error_type === 'partial').length,
      failed: workflows.filter((s) => s.error_type !== '' && s.error_type !== 'partial').length,
      unfinished: workflows.filter((s) => s.error_type === 'unfinished').length,
      durationMs: percentiles(workflows.map(dur)),
      activeMax,
      spanMs: ms(Number(workflows.map((w) => BigInt(w.end_ns)).reduce((a, b) => (b > a ? b : a)) - workflows.map((w) => BigInt(w.start_ns)).reduce((a, b) => (b < a ? b : a)))),
    },
    handoffs: {
      total: handoffs.length,
      succeeded: accepted.length,
      failed: handoffs.length - accepted.length,
      successRate: rate(accepted.length, handoffs.length, 1),
      latencyMs: percentiles(handoffs.map(dur)),
      byPair,
      failuresByPhase,
      attempts: { total: handoffs.reduce((sum, s) => sum + s.handoff_attempt, 0), distribution },
    },
    coordination: {
      overheadRatio: rate(coordinationNs, workflowNs),
      workflowMs: ms(workflowNs),
      coordinationMs: ms(coordinationNs),
      byKindMs: Object.fromEntries(kinds.map((kind) => [kind, ms(kindNs(coordination, kind))])),
      shareByKind: Object.fromEntries(kinds.map((kind) => [kind, rate(kindNs(coordination, kind), workflowNs)])),
      byWorkflow,
      byPair: overheadByPair,
    },
    faults: {
      injected: faults.length,
      byKind,
      precededFailures: [...links].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, failures]) => ({ fault: key.split('|')[0], failure: key.split('|')[1], failures })),
    },
    agents: {
      invocations: agents.length,
      errors,
      errorRate: rate(errors, agents.length),
      byAgent: agentNames.map((agent) => {
        const list = agents.filter((s) => s.agent_name === agent);
        const failed = list.filter((s) => s.status_code === 2).length;
        return { agent, invocations: list.length, errors: failed, errorRate: rate(failed, list.length), latencyMs: percentiles(list.map(dur)) };
      }),
    },
    tokens: {
      contextCarried,
      contextSent: handoffs.reduce((sum, s) => sum + s.context_tokens * s.handoff_attempt, 0),
      agentInput: agents.reduce((sum, s) => sum + s.input_tokens, 0),
      agentOutput: agents.reduce((sum, s) => sum + s.output_tokens, 0),
      agentWork,
      contextPerWorkRatio: rate(contextCarried, agentWork),
    },
    recovery: { operations: spans.filter((s) => s.coordination_kind === 'retry').length, recovered: recoveryNs.length, unrecovered, timeMs: percentiles(recoveryNs) },
    budgets: {
      tokensPerWorkflow: counts(workflows.map((w) => agents.filter((s) => s.trace_id === w.trace_id).reduce((sum, s) => sum + s.input_tokens + s.output_tokens, 0))),
      agentCallsPerWorkflow: counts(workflows.map((w) => agents.filter((s) => s.trace_id === w.trace_id).length)),
    },
    checkpoints: { total: spans.filter((s) => s.coordination_kind === 'checkpoint').length, lagMsMax: ms(Math.max(...lags)), lagMsP99: ms(quantileExact(lags, 0.99)) },
  };
}
