import type { SpanStore } from '../../collector/store/span-store.js';
import { sqlNumber } from '../../collector/store/sql.js';
import { num, type RunScope } from '../sql.js';

/**
 * A fault "preceded" a failure when it was injected at most this long before
 * the failed span started, or while it ran. Long enough to cover an ACK timeout
 * plus backoff, short enough not to blame every fault of a long run.
 */
export const FAULT_WINDOW_MS = 10_000;

/** How many failures of one kind had a fault of one kind shortly before them. */
export interface FaultFailureLink {
  /** Fault kind, or `none` when no fault was injected in the window. */
  fault: string;
  /** `handoff failed`, `handoff attempt ack_timeout`, `agent agent_error`, `workflow partial`, … */
  failure: string;
  failures: number;
}

export interface FaultMetrics {
  injected: number;
  byKind: Record<string, number>;
  /** One row per (fault kind, failure kind); a failure counts once under each fault kind in its window. */
  precededFailures: FaultFailureLink[];
}

/** The failure label of a failed span (status ERROR). */
const FAILURE_LABEL =
  `multiIf(handoff_outcome != '', concat('handoff ', handoff_outcome), coordination_kind = 'handoff', concat('handoff attempt ', error_type), ` +
  `operation = 'invoke_agent', concat('agent ', error_type), concat('workflow ', error_type))`;

export const faultSql = {
  byKind: (s: RunScope) =>
    `SELECT attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS kind, count() AS injected ` +
    `FROM ${s.events} WHERE ${s.where} AND name = 'baton.fault' GROUP BY kind ORDER BY kind`,
  precededFailures: (s: RunScope) =>
    `SELECT fault, failure, count() AS failures FROM (` +
    `SELECT failure, arrayJoin(if(empty(kinds), ['none'], kinds)) AS fault FROM (` +
    `SELECT trace_id, span_id, any(failure) AS failure, ` +
    `groupUniqArrayIf(fault_kind, fault_ns <= end_ns AND fault_ns + ${sqlNumber(FAULT_WINDOW_MS * 1_000_000)} >= start_ns) AS kinds FROM ` +
    `(SELECT run_id, trace_id, span_id, start_ns, end_ns, ${FAILURE_LABEL} AS failure FROM ${s.spans} WHERE ${s.where} AND status_code = 2 ` +
    `AND (handoff_outcome != '' OR coordination_kind = 'handoff' OR operation IN ('invoke_agent', 'invoke_workflow'))) AS lhs ALL LEFT JOIN ` +
    `(SELECT run_id, time_ns AS fault_ns, attributes.value[indexOf(attributes.key, 'baton.fault.kind')] AS fault_kind ` +
    `FROM ${s.events} WHERE ${s.where} AND name = 'baton.fault') AS rhs USING (run_id) GROUP BY trace_id, span_id)) ` +
    `GROUP BY fault, failure ORDER BY fault, failure`,
};

export async function faultMetrics(store: SpanStore, scope: RunScope): Promise<FaultMetrics> {
  const [kindRows, linkRows] = await Promise.all([store.query(faultSql.byKind(scope)), store.query(faultSql.precededFailures(scope))]);
  const byKind: Record<string, number> = {};
  for (const row of kindRows) byKind[String(row.kind)] = num(row.injected);
  return {
    injected: Object.values(byKind).reduce((sum, count) => sum + count, 0),
    byKind,
    precededFailures: linkRows.map((row) => ({ fault: String(row.fault), failure: String(row.failure), failures: num(row.failures) })),
  };
}
