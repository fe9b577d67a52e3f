import { unfinishedNote, type ReportDocument } from './report-document.js';

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;

/** At most this many rows of a per-workflow or violation table; the rest is in report.json. */
const TABLE_ROWS_MAX = 50;

/** report.md: fits a GitHub step summary. */
export function renderMarkdown(doc: ReportDocument): string {
  const lines: string[] = [];
  const mark = doc.verdict.passed ? 'PASS' : 'FAIL';
  const latency = doc.handoffs.latencyMs;
  lines.push(`# baton run ${doc.run.id}: ${mark}`, '');
  lines.push(`Scenario \`${doc.run.scenario}\`, seed ${doc.run.seed}, baton ${doc.run.batonVersion}. Times are virtual milliseconds.`, '');
  lines.push('| metric | value |', '|---|---|');
  lines.push(`| workflows completed | ${doc.workflows.completed} / ${doc.workflows.total} (partial ${doc.workflows.partial}, failed ${doc.workflows.failed}${unfinishedNote(doc.workflows.unfinished)}) |`);
  lines.push(`| workflow duration p50 / p95 / p99 | ${fmt(doc.workflows.durationMs.p50)} / ${fmt(doc.workflows.durationMs.p95)} / ${fmt(doc.workflows.durationMs.p99)} ms |`);
  lines.push(`| handoffs succeeded | ${doc.handoffs.succeeded} / ${doc.handoffs.total} |`);
  lines.push(`| handoff success rate | ${pct(doc.handoffs.successRate)} |`);
  lines.push(`| handoff latency p50 / p95 / p99 | ${fmt(latency.p50)} / ${fmt(latency.p95)} / ${fmt(latency.p99)} ms (virtual) |`);
  lines.push(`| coordination overhead ratio | ${fmt(doc.coordination.overheadRatio, 4)} |`);
  lines.push(`| agent error rate | ${pct(doc.agents.errorRate)} (${doc.agents.errors} / ${doc.agents.invocations}) |`);
  lines.push(`| context tokens carried / agent work tokens | ${doc.tokens.contextCarried} / ${doc.tokens.agentWork} (${fmt(doc.tokens.contextPerWorkRatio, 3)}) |`);
  const tokens = doc.budgets.tokensPerWorkflow;
  lines.push(`| tokens per workflow p50 / p95 / max | ${tokens.p50} / ${tokens.p95} / ${tokens.max} (agent calls max ${doc.budgets.agentCallsPerWorkflow.max}) |`);
  lines.push(`| recovery operations | ${doc.recovery.operations} (recovered ${doc.recovery.recovered}, unrecovered ${doc.recovery.unrecovered}) |`);
  lines.push(`| faults injected | ${doc.faults.injected} ${kinds(doc.faults.byKind)} |`);
  lines.push(`| invariant violations | ${doc.invariants.violations.length} |`);

  lines.push('', '## Key metrics', '', '| metric | value |', '|---|---|');
  const key = doc.keyMetrics;
  lines.push(`| workflow_duration_p99 | ${fmt(key.workflowDurationP99Ms)} ms |`);
  lines.push(`| handoff_success_rate | ${pct(key.handoffSuccessRate)} |`);
  lines.push(`| agent_error_rate | ${pct(key.agentErrorRate)} |`);
  lines.push(`| checkpoint_lag (max) | ${fmt(key.checkpointLagMsMax)} ms (${doc.checkpoints.total} checkpoints) |`);
  lines.push(`| recovery_operations | ${key.recoveryOperations} (${fmt(key.recoveryOperationsPerMin, 2)} per virtual minute) |`);
  lines.push(`| active_workflows (max) | ${key.activeWorkflowsMax} |`);

  if (doc.handoffs.byPair.length > 0) {
    lines.push('', '## Handoffs by agent pair', '', '| source → target | succeeded / total | success rate | p50 / p95 / p99 / max ms |', '|---|---|---|---|');
    for (const pair of doc.handoffs.byPair) {
      const l = pair.latencyMs;
      lines.push(`| ${cell(pair.source)} → ${cell(pair.target)} | ${pair.succeeded} / ${pair.total} | ${pct(pair.successRate)} | ${fmt(l.p50)} / ${fmt(l.p95)} / ${fmt(l.p99)} / ${fmt(l.max)} |`);
    }
  }
  lines.push('', '## Coordination time by kind', '', '| kind | virtual ms | share of workflow time |', '|---|---|---|');
  for (const [kind, value] of Object.entries(doc.coordination.byKindMs)) {
    lines.push(`| ${kind} | ${fmt(value)} | ${fmt(doc.coordination.shareByKind[kind] ?? 0, 4)} |`);
  }
  if (doc.faults.precededFailures.length > 0) {
    lines.push('', `## Failures and the faults before them`, '', '| fault | failure | failures |', '|---|---|---|');
    for (const link of doc.faults.precededFailures) lines.push(`| ${cell(link.fault)} | ${cell(link.failure)} | ${link.failures} |`);
  }
  if (doc.invariants.violations.length > 0) {
    lines.push('', '## Invariant violations', '', '| checker | class | at (virtual ms) | story | replay |', '|---|---|---|---|---|');
    for (const violation of doc.invariants.violations.slice(0, TABLE_ROWS_MAX)) {
      lines.push(`| ${violation.checker} | ${violation.classification} | ${fmt(violation.atMs)} | ${cell(violation.story)} | \`${violation.replayCommand}\` |`);
    }
    if (doc.invariants.violations.length > TABLE_ROWS_MAX) lines.push('', `… and ${doc.invariants.violations.length - TABLE_ROWS_MAX} more in report.json.`);
  }
  if (doc.verdict.assertions.length > 0) {
    lines.push('', '## Assertions', '', '| assertion | actual | result |', '|---|---|---|');
    for (const assertion of doc.verdict.assertions) {
      lines.push(`| \`${assertion.expression}\` | ${assertion.actual} | ${assertion.passed ? 'pass' : '**fail**'} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

function kinds(byKind: Record<string, number>): string {
  const entries = Object.entries(byKind);
  return entries.length === 0 ? '' : `(${entries.map(([kind, count]) => `${kind} ${count}`).join(', ')})`;
}

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
