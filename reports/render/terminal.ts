import { unfinishedNote, type ReportDocument } from './report-document.js';

const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
const ms = (value: number): string => value.toFixed(1);

/** Terminal summary of a run; ANSI colours only when `colour` is set (a TTY). */
export function renderTerminal(doc: ReportDocument, colour: boolean): string {
  const paint = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string): string => paint(1, text);
  const dim = (text: string): string => paint(2, text);
  const good = (ok: boolean, text: string): string => paint(ok ? 32 : 31, text);
  const row = (label: string, value: string): string => `  ${label.padEnd(30)} ${value}`;
  const latency = doc.handoffs.latencyMs;
  const duration = doc.workflows.durationMs;
  const lines = [
    bold(`baton run ${doc.run.id}  ${doc.run.scenario}  seed ${doc.run.seed}`),
    row('workflows completed', `${doc.workflows.completed}/${doc.workflows.total}  (partial ${doc.workflows.partial}, failed ${doc.workflows.failed}${unfinishedNote(doc.workflows.unfinished)})`),
    row('workflow duration p50/p99', `${ms(duration.p50)} / ${ms(duration.p99)} ms (virtual)`),
    row('handoffs attempted / succeeded', `${doc.handoffs.total} / ${doc.handoffs.succeeded}`),
    row('handoff success rate', good(doc.handoffs.failed === 0, pct(doc.handoffs.successRate))),
    row('handoff latency p50/p95/p99', `${ms(latency.p50)} / ${ms(latency.p95)} / ${ms(latency.p99)} ms (virtual)`),
  ];
  for (const pair of doc.handoffs.byPair) {
    lines.push(
      dim(row(`  ${pair.source} -> ${pair.target}`, `${pair.succeeded}/${pair.total}  ${pct(pair.successRate)}  p99 ${ms(pair.latencyMs.p99)} ms`)),
    );
  }
  lines.push(row('coordination overhead ratio', `${doc.coordination.overheadRatio.toFixed(4)}${describeShares(doc.coordination.shareByKind)}`));
  lines.push(row('agent error rate', `${pct(doc.agents.errorRate)}  (${doc.agents.errors}/${doc.agents.invocations})`));
  lines.push(row('context / work tokens', `${doc.tokens.contextCarried} / ${doc.tokens.agentWork}  (${doc.tokens.contextPerWorkRatio.toFixed(3)})`));
  lines.push(row('recovery operations', `${doc.recovery.operations}  (recovered ${doc.recovery.recovered}, p95 ${ms(doc.recovery.timeMs.p95)} ms)`));
  lines.push(row('faults injected', `${doc.faults.injected}${describeKinds(doc.faults.byKind)}`));
  lines.push(row('invariant violations', good(doc.invariants.violations.length === 0, String(doc.invariants.violations.length))));
  for (const violation of doc.invariants.violations.slice(0, 10)) {
    lines.push(`    ${paint(31, violation.checker)} @${violation.atMs.toFixed(1)}ms: ${violation.story}`);
  }
  if (doc.invariants.violations.length > 10) lines.push(`    … ${doc.invariants.violations.length - 10} more (see report.md)`);
  if (doc.invariants.violations.length > 0) lines.push(`    replay: ${doc.invariants.violations[0].replayCommand}`);
  for (const assertion of doc.verdict.assertions.filter((item) => !item.passed)) {
    lines.push(`    ${paint(31, 'assertion failed')}: ${assertion.expression} (actual ${assertion.actual})`);
  }
  lines.push(row('verdict', good(doc.verdict.passed, doc.verdict.passed ? 'PASS' : 'FAIL')));
  return `${lines.join('\n')}\n`;
}

function describeKinds(byKind: Record<string, number>): string {
  const entries = Object.entries(byKind);
  return entries.length === 0 ? '' : `  (${entries.map(([kind, count]) => `${kind} ${count}`).join(', ')})`;
}

function describeShares(shares: Record<string, number>): string {
  const entries = Object.entries(shares).filter(([, share]) => share > 0);
  return entries.length === 0 ? '' : `  (${entries.map(([kind, share]) => `${kind} ${share.toFixed(3)}`).join(', ')})`;
}
