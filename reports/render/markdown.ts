import type { ReportDocument } from './report-document.js';

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;

/** report.md: fits a GitHub step summary. */
export function renderMarkdown(doc: ReportDocument): string {
  const lines: string[] = [];
  const mark = doc.verdict.passed ? 'PASS' : 'FAIL';
  lines.push(`# baton run ${doc.run.id}: ${mark}`);
  lines.push('');
  lines.push(`Scenario \`${doc.run.scenario}\`, seed ${doc.run.seed}, baton ${doc.run.batonVersion}.`);
  lines.push('');
  lines.push('| metric | value |');
  lines.push('|---|---|');
  lines.push(`| workflows completed | ${doc.workflows.completed} / ${doc.workflows.total} (partial ${doc.workflows.partial}, failed ${doc.workflows.failed}) |`);
  lines.push(`| handoffs succeeded | ${doc.handoffs.succeeded} / ${doc.handoffs.total} |`);
  lines.push(`| handoff success rate | ${pct(doc.handoffs.successRate)} |`);
  lines.push(
    `| handoff latency p50 / p95 / p99 | ${fmt(doc.handoffs.latencyMs.p50)} / ${fmt(doc.handoffs.latencyMs.p95)} / ${fmt(doc.handoffs.latencyMs.p99)} ms (virtual) |`,
  );
  lines.push(`| coordination overhead ratio | ${fmt(doc.coordination.overheadRatio, 4)} |`);
  lines.push(`| faults injected | ${doc.faults.injected} ${kinds(doc.faults.byKind)} |`);
  lines.push(`| invariant violations | ${doc.invariants.violations.length} |`);
  if (Object.keys(doc.coordination.byKindMs).length > 0) {
    lines.push('', '## Coordination time by kind', '', '| kind | virtual ms |', '|---|---|');
    for (const [kind, ms] of Object.entries(doc.coordination.byKindMs)) lines.push(`| ${kind} | ${fmt(ms)} |`);
  }
  if (doc.invariants.violations.length > 0) {
    lines.push('', '## Invariant violations', '', '| checker | class | at (virtual ms) | story |', '|---|---|---|---|');
    for (const violation of doc.invariants.violations) {
      lines.push(`| ${violation.checker} | ${violation.classification} | ${fmt(violation.atMs)} | ${escapeCell(violation.story)} |`);
    }
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

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
