import type { ReportDocument } from './report-document.js';

/** Terminal summary of a run; ANSI colours only when `colour` is set (a TTY). */
export function renderTerminal(doc: ReportDocument, colour: boolean): string {
  const paint = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string): string => paint(1, text);
  const good = (ok: boolean, text: string): string => paint(ok ? 32 : 31, text);
  const row = (label: string, value: string): string => `  ${label.padEnd(30)} ${value}`;
  const latency = doc.handoffs.latencyMs;
  const lines = [
    bold(`baton run ${doc.run.id}  ${doc.run.scenario}  seed ${doc.run.seed}`),
    row('workflows completed', `${doc.workflows.completed}/${doc.workflows.total}  (partial ${doc.workflows.partial}, failed ${doc.workflows.failed})`),
    row('handoffs attempted / succeeded', `${doc.handoffs.total} / ${doc.handoffs.succeeded}`),
    row('handoff success rate', good(doc.handoffs.failed === 0, `${(doc.handoffs.successRate * 100).toFixed(2)}%`)),
    row('handoff latency p50/p95/p99', `${latency.p50.toFixed(1)} / ${latency.p95.toFixed(1)} / ${latency.p99.toFixed(1)} ms (virtual)`),
    row('coordination overhead ratio', doc.coordination.overheadRatio.toFixed(4)),
    row('faults injected', `${doc.faults.injected}${describeKinds(doc.faults.byKind)}`),
    row('invariant violations', good(doc.invariants.violations.length === 0, String(doc.invariants.violations.length))),
  ];
  for (const violation of doc.invariants.violations) {
    lines.push(`    ${paint(31, violation.checker)} @${violation.atMs.toFixed(1)}ms: ${violation.story}`);
  }
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
