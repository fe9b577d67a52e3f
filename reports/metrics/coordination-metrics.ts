import type { SpanStore } from '../../collector/store/span-store.js';
import { nsToMs, num, ratio, type RunScope } from '../sql.js';

/** The categories coordination overhead is made of (`baton.coordination.kind`). */
export const COORDINATION_KINDS = ['routing', 'handoff', 'queueing', 'retry', 'checkpoint'] as const;
export type CoordinationKindName = (typeof COORDINATION_KINDS)[number];

/** Coordination overhead of one workflow instance (one trace). */
export interface WorkflowOverhead {
  workflowId: string;
  /** '' when completed, else the workflow span's `error.type` (partial, failed, …). */
  outcome: string;
  durationMs: number;
  coordinationMs: number;
  overheadRatio: number;
  byKindMs: Record<string, number>;
}

/** Coordination spent inside the handoffs of one agent pair. */
export interface PairOverhead {
  source: string;
  target: string;
  /** Σ duration of the pair's `baton.handoff` spans. */
  handoffMs: number;
  /** Σ duration of the coordination spans directly under them (attempts, backoff). */
  coordinationMs: number;
  byKindMs: Record<string, number>;
  /** byKindMs ÷ handoffMs. */
  shareByKind: Record<string, number>;
}

export interface CoordinationMetrics {
  /** coordinationMs ÷ workflowMs. */
  overheadRatio: number;
  /** Σ workflow span durations. */
  workflowMs: number;
  /** Σ durations of spans with a coordination kind. */
  coordinationMs: number;
  byKindMs: Record<string, number>;
  /** byKindMs ÷ workflowMs; the shares add up to overheadRatio. */
  shareByKind: Record<string, number>;
  byWorkflow: WorkflowOverhead[];
  byPair: PairOverhead[];
}

export const coordinationSql = {
  workflowTime: (s: RunScope) =>
    `SELECT count() AS workflows, sum(duration_ns) AS duration_ns FROM ${s.spans} WHERE ${s.where} AND operation = 'invoke_workflow'`,
  byKind: (s: RunScope) =>
    `SELECT coordination_kind AS kind, sum(duration_ns) AS duration_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND coordination_kind != '' GROUP BY coordination_kind ORDER BY kind`,
  byWorkflow: (s: RunScope) =>
    `SELECT workflow_id, outcome, workflow_ns, kind, kind_ns FROM ` +
    `(SELECT trace_id, workflow_id, error_type AS outcome, duration_ns AS workflow_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND operation = 'invoke_workflow') AS lhs ALL LEFT JOIN ` +
    `(SELECT trace_id, coordination_kind AS kind, sum(duration_ns) AS kind_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND coordination_kind != '' GROUP BY trace_id, coordination_kind) AS rhs USING (trace_id) ` +
    `ORDER BY workflow_id, trace_id, kind`,
  byPair: (s: RunScope) =>
    `SELECT source, target, handoff_ns, kind, kind_ns FROM ` +
    `(SELECT handoff_source AS source, handoff_target AS target, sum(duration_ns) AS handoff_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND handoff_outcome != '' GROUP BY handoff_source, handoff_target) AS lhs ALL LEFT JOIN ` +
    `(SELECT source, target, kind, sum(child_ns) AS kind_ns FROM ` +
    `(SELECT trace_id, parent_span_id AS span_id, coordination_kind AS kind, duration_ns AS child_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND coordination_kind != '') AS lhs ALL INNER JOIN ` +
    `(SELECT trace_id, span_id, handoff_source AS source, handoff_target AS target FROM ${s.spans} ` +
    `WHERE ${s.where} AND handoff_outcome != '') AS rhs USING (trace_id, span_id) GROUP BY source, target, kind) ` +
    `AS rhs USING (source, target) ORDER BY source, target, kind`,
};

/** Every coordination kind with 0 ms, so that metric names are stable. */
function zeroKinds(): Record<string, number> {
  return Object.fromEntries(COORDINATION_KINDS.map((kind) => [kind, 0]));
}

/** Milliseconds and shares of `wholeNs` per kind, from nanoseconds per kind. */
export function kindBreakdown(kindNs: Map<string, number>, wholeNs: number, allKinds: boolean) {
  const byKindMs: Record<string, number> = allKinds ? zeroKinds() : {};
  const shareByKind: Record<string, number> = allKinds ? zeroKinds() : {};
  let coordinationNs = 0;
  for (const [kind, ns] of [...kindNs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    byKindMs[kind] = nsToMs(ns);
    shareByKind[kind] = ratio(ns, wholeNs);
    coordinationNs += ns;
  }
  return { byKindMs, shareByKind, coordinationNs };
}

/** Computes coordination overhead overall, per workflow and per agent pair. */
export async function coordinationMetrics(store: SpanStore, scope: RunScope): Promise<CoordinationMetrics> {
  const [timeRows, kindRows, workflowRows, pairRows] = await Promise.all([
    store.query(coordinationSql.workflowTime(scope)),
    store.query(coordinationSql.byKind(scope)),
    store.query(coordinationSql.byWorkflow(scope)),
    store.query(coordinationSql.byPair(scope)),
  ]);
  const workflowNs = num(timeRows[0]?.duration_ns);
  const kindNs = new Map(kindRows.map((row) => [String(row.kind), num(row.duration_ns)]));
  const { byKindMs, shareByKind, coordinationNs } = kindBreakdown(kindNs, workflowNs, true);
  return {
    overheadRatio: ratio(coordinationNs, workflowNs),
    workflowMs: nsToMs(workflowNs),
    coordinationMs: nsToMs(coordinationNs),
    byKindMs,
    shareByKind,
    byWorkflow: workflowOverheads(workflowRows),
    byPair: pairOverheads(pairRows),
  };
}

function workflowOverheads(rows: Record<string, unknown>[]): WorkflowOverhead[] {
  const byId = new Map<string, { outcome: string; workflowNs: number; kindNs: Map<string, number> }>();
  for (const row of rows) {
    const id = String(row.workflow_id);
    let entry = byId.get(id);
    if (!entry) byId.set(id, (entry = { outcome: String(row.outcome), workflowNs: num(row.workflow_ns), kindNs: new Map() }));
    if (String(row.kind) !== '') entry.kindNs.set(String(row.kind), num(row.kind_ns));
  }
  return [...byId].map(([workflowId, entry]) => {
    const { byKindMs, coordinationNs } = kindBreakdown(entry.kindNs, entry.workflowNs, true);
    return {
      workflowId,
      outcome: entry.outcome,
      durationMs: nsToMs(entry.workflowNs),
      coordinationMs: nsToMs(coordinationNs),
      overheadRatio: ratio(coordinationNs, entry.workflowNs),
      byKindMs,
    };
  });
}

function pairOverheads(rows: Record<string, unknown>[]): PairOverhead[] {
  const byPair = new Map<string, { source: string; target: string; handoffNs: number; kindNs: Map<string, number> }>();
  for (const row of rows) {
    const key = `${String(row.source)}\u0000${String(row.target)}`;
    let entry = byPair.get(key);
    if (!entry) {
      entry = { source: String(row.source), target: String(row.target), handoffNs: num(row.handoff_ns), kindNs: new Map() };
      byPair.set(key, entry);
    }
    if (String(row.kind) !== '') entry.kindNs.set(String(row.kind), num(row.kind_ns));
  }
  return [...byPair.values()].map(({ source, target, handoffNs, kindNs }) => {
    const { byKindMs, shareByKind, coordinationNs } = kindBreakdown(kindNs, handoffNs, false);
    return { source, target, handoffMs: nsToMs(handoffNs), coordinationMs: nsToMs(coordinationNs), byKindMs, shareByKind };
  });
}
