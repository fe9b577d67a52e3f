import type { SpanStore } from '../../collector/store/span-store.js';
import { num, percentilesOf, percentilesSql, ratio, type Percentiles, type RunScope } from '../sql.js';

/** Invocations of one agent (`invoke_agent` spans). */
export interface AgentInvocations {
  agent: string;
  invocations: number;
  /** Spans with status ERROR. */
  errors: number;
  errorRate: number;
  latencyMs: Percentiles;
}

export interface AgentMetrics {
  invocations: number;
  errors: number;
  errorRate: number;
  byAgent: AgentInvocations[];
}

/** Tokens: context carried by handoffs vs tokens the agents worked on. */
export interface TokenMetrics {
  /** Σ context tokens of handoffs, once per handoff. */
  contextCarried: number;
  /** Σ context tokens × attempts: what went over the wire, resends included. */
  contextSent: number;
  agentInput: number;
  agentOutput: number;
  /** agentInput + agentOutput. */
  agentWork: number;
  /** contextCarried ÷ agentWork. */
  contextPerWorkRatio: number;
}

/** Recoveries: a failed handoff attempt or agent invocation followed by a success of the same handoff or task. */
export interface RecoveryMetrics {
  /** Retry/backoff spans: each is one re-send of a handoff or re-assignment of a task. */
  operations: number;
  /** Handoffs and tasks that failed at least once and later succeeded. */
  recovered: number;
  /** … that failed and never succeeded. */
  unrecovered: number;
  /** From the end of the first failure to the end of the first later success. */
  timeMs: Percentiles;
}

export const agentSql = {
  byAgent: (s: RunScope) =>
    `SELECT agent_name AS agent, count() AS invocations, countIf(status_code = 2) AS errors, ${percentilesSql('duration_ns')} ` +
    `FROM ${s.spans} WHERE ${s.where} AND operation = 'invoke_agent' GROUP BY agent_name ORDER BY agent`,
  tokens: (s: RunScope) =>
    `SELECT sumIf(context_tokens, handoff_outcome != '') AS context_carried, ` +
    `sumIf(context_tokens * handoff_attempt, handoff_outcome != '') AS context_sent, ` +
    `sumIf(input_tokens, operation = 'invoke_agent') AS agent_input, sumIf(output_tokens, operation = 'invoke_agent') AS agent_output ` +
    `FROM ${s.spans} WHERE ${s.where}`,
  recoveryOperations: (s: RunScope) => `SELECT count() AS operations FROM ${s.spans} WHERE ${s.where} AND coordination_kind = 'retry'`,
  recoveryTime: (s: RunScope) =>
    `SELECT countIf(notEmpty(later_ns)) AS recovered, countIf(empty(later_ns)) AS unrecovered, ` +
    `${percentilesSql('recovery_ns', 'notEmpty(later_ns)')} FROM (` +
    `SELECT later_ns, if(empty(later_ns), 0, arrayReduce('min', later_ns) - failed_end_ns) AS recovery_ns FROM (` +
    `SELECT failed_end_ns, arrayFilter(x -> x > failed_end_ns, success_ends) AS later_ns FROM (` +
    `SELECT unit, minIf(end_ns, status_code = 2) AS failed_end_ns, groupArrayIf(end_ns, status_code != 2) AS success_ends FROM (` +
    `SELECT concat('handoff/', handoff_id) AS unit, status_code, end_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND coordination_kind = 'handoff' AND handoff_id != '' UNION ALL ` +
    `SELECT concat('task/', trace_id, '/', task_id) AS unit, status_code, end_ns FROM ${s.spans} ` +
    `WHERE ${s.where} AND operation = 'invoke_agent') GROUP BY unit HAVING countIf(status_code = 2) > 0)))`,
};

export async function agentMetrics(
  store: SpanStore,
  scope: RunScope,
): Promise<{ agents: AgentMetrics; tokens: TokenMetrics; recovery: RecoveryMetrics }> {
  const [agentRows, tokenRows, operationRows, recoveryRows] = await Promise.all([
    store.query(agentSql.byAgent(scope)),
    store.query(agentSql.tokens(scope)),
    store.query(agentSql.recoveryOperations(scope)),
    store.query(agentSql.recoveryTime(scope)),
  ]);
  const byAgent = agentRows.map((row) => {
    const invocations = num(row.invocations);
    const errors = num(row.errors);
    return { agent: String(row.agent), invocations, errors, errorRate: ratio(errors, invocations), latencyMs: percentilesOf(row, invocations) };
  });
  const invocations = byAgent.reduce((sum, agent) => sum + agent.invocations, 0);
  const errors = byAgent.reduce((sum, agent) => sum + agent.errors, 0);
  const token = tokenRows[0] ?? {};
  const agentWork = num(token.agent_input) + num(token.agent_output);
  const recovery = recoveryRows[0] ?? {};
  const recovered = num(recovery.recovered);
  return {
    agents: { invocations, errors, errorRate: ratio(errors, invocations), byAgent },
    tokens: {
      contextCarried: num(token.context_carried),
      contextSent: num(token.context_sent),
      agentInput: num(token.agent_input),
      agentOutput: num(token.agent_output),
      agentWork,
      contextPerWorkRatio: ratio(num(token.context_carried), agentWork),
    },
    recovery: {
      operations: num(operationRows[0]?.operations),
      recovered,
      unrecovered: num(recovery.unrecovered),
      timeMs: percentilesOf(recovery, recovered),
    },
  };
}
