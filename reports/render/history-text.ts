import type { AssertionResult } from '../assertions.js';
import type { HistoryReport } from '../history-report.js';
import type { Percentiles } from '../sql.js';

const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
const ms = (value: number): string => value.toFixed(1);
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
const p3 = (latency: Percentiles): string => `${ms(latency.p50)} / ${ms(latency.p95)} / ${ms(latency.p99)} ms`;

/** What the report covers, e.g. `sweep nightly-42, scenario research-pipeline` or `every stored run`. */
function scope(report: HistoryReport): string {
  const parts = [];
  if (report.filter.sweepId !== undefined) parts.push(`sweep ${report.filter.sweepId}`);
  if (report.filter.scenario !== undefined) parts.push(`scenario ${report.filter.scenario}`);
  return parts.length === 0 ? 'every stored run' : parts.join(', ');
}

function kinds(byKind: Record<string, number>, format: (value: number) => string): string {
  const entries = Object.entries(byKind).filter(([, value]) => value > 0);
  return entries.length === 0 ? '' : `  (${entries.map(([kind, value]) => `${kind} ${format(value)}`).join(', ')})`;
}

/**
 * A stored run's verdict is its invariants' (the checkers), the one thing fixed
 * by the run itself; assertions are judged by the command that checks them (a
 * run's or sweep's exit code, `history --assert`), so the counts say so.
 */
function verdicts(report: HistoryReport): string {
  const entries = Object.entries(report.runs.byVerdict);
  if (entries.length === 0) return '';
  return `invariants ${entries.map(([verdict, runs]) => `${INVARIANT_WORDS[verdict] ?? (verdict || 'none')} ${runs}`).join(', ')}`;
}

const INVARIANT_WORDS: Record<string, string> = { pass: 'held', fail: 'violated' };

/** Terminal summary of a history report and its assertions (if any); ANSI colours only when `colour` is set (a TTY). */
export function renderHistoryTerminal(report: HistoryReport, colour: boolean, assertions?: readonly AssertionResult[]): string {
  const paint = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const row = (label: string, value: string): string => `  ${label.padEnd(30)} ${value}`;
  const { runs, workflows, handoffs, coordination, faults } = report;
  const lines = [paint(1, `baton history  ${scope(report)}`)];
  if (runs.total === 0) {
    lines.push(row('runs', '0: no stored run matches'));
  } else {
    lines.push(
      row('runs', `${runs.total}  (${verdicts(report)}; ${count(runs.sweeps, 'sweep')}, ${count(runs.scenarios, 'scenario')})`),
      row('invariant violations', paint(runs.violations === 0 ? 32 : 31, String(runs.violations))),
      row('workflows completed', `${workflows.completed}/${workflows.total}  (partial ${workflows.partial}, failed ${workflows.failed})`),
      row('workflow duration p50/p95/p99', `${p3(workflows.durationMs)} (virtual)`),
      row('handoffs attempted / succeeded', `${handoffs.total} / ${handoffs.succeeded}`),
      row('handoff success rate', paint(handoffs.failed === 0 ? 32 : 31, pct(handoffs.successRate))),
      row('handoff latency p50/p95/p99', `${p3(handoffs.latencyMs)} (virtual)`),
    );
    for (const pair of handoffs.byPair) {
      lines.push(paint(2, row(`  ${pair.source} -> ${pair.target}`, `${pair.succeeded}/${pair.total}  ${pct(pair.successRate)}  p99 ${ms(pair.latencyMs.p99)} ms`)));
    }
    lines.push(
      row('coordination overhead ratio', `${coordination.overheadRatio.toFixed(4)}${kinds(coordination.shareByKind, (share) => share.toFixed(3))}`),
      row('faults injected', `${faults.injected}${kinds(faults.byKind, String)}`),
    );
    if (report.worstRuns.length > 0) lines.push('  lowest handoff success');
    for (const run of report.worstRuns) {
      lines.push(`    ${run.runId}  ${run.scenario} seed ${run.seed}  ${run.succeeded}/${run.handoffs} (${pct(run.successRate)})  invariants ${INVARIANT_WORDS[run.verdict] ?? run.verdict}`);
    }
  }
  if (runs.collectorRuns > 0) lines.push(paint(2, row('not covered', `${runs.collectorRuns} runs of collector (OTLP) traffic: baton report <run-id> reads them`)));
  if (assertions !== undefined && assertions.length > 0) {
    for (const assertion of assertions) {
      lines.push(`    ${assertion.passed ? paint(32, 'assertion held') : paint(31, 'assertion failed')}: ${assertion.expression} (actual ${assertion.actual})`);
    }
    const passed = assertions.every((assertion) => assertion.passed);
    lines.push(row('verdict', paint(passed ? 32 : 31, passed ? 'PASS' : 'FAIL')));
  }
  return `${lines.join('\n')}\n`;
}

/** The history report as Markdown, with its assertions (if any). */
export function renderHistoryMarkdown(report: HistoryReport, assertions?: readonly AssertionResult[]): string {
  const { runs, workflows, handoffs, coordination, faults } = report;
  const lines = [
    `# baton history: ${scope(report)}`,
    '',
    '| metric | value |',
    '|---|---|',
    `| runs | ${runs.total} (${verdicts(report) || 'none'}) |`,
    `| sweeps / scenarios | ${runs.sweeps} / ${runs.scenarios} |`,
    `| invariant violations | ${runs.violations} |`,
    `| workflows completed | ${workflows.completed}/${workflows.total} (partial ${workflows.partial}, failed ${workflows.failed}) |`,
    `| workflow duration p50 / p95 / p99 | ${p3(workflows.durationMs)} (virtual) |`,
    `| handoffs attempted / succeeded | ${handoffs.total} / ${handoffs.succeeded} |`,
    `| handoff success rate | ${pct(handoffs.successRate)} |`,
    `| handoff latency p50 / p95 / p99 | ${p3(handoffs.latencyMs)} (virtual) |`,
    `| coordination overhead ratio | ${coordination.overheadRatio.toFixed(4)} |`,
    `| faults injected | ${faults.injected} |`,
  ];
  if (runs.collectorRuns > 0) lines.push(`| collector (OTLP) runs, not covered | ${runs.collectorRuns} |`);
  lines.push('', '## Handoffs by pair', '', '| source | target | succeeded / total | success rate | p50 / p95 / p99 | max |', '|---|---|---|---|---|---|');
  for (const pair of handoffs.byPair) {
    lines.push(`| ${pair.source} | ${pair.target} | ${pair.succeeded}/${pair.total} | ${pct(pair.successRate)} | ${p3(pair.latencyMs)} | ${ms(pair.latencyMs.max)} ms |`);
  }
  lines.push('', '## Coordination by kind', '', '| kind | ms (virtual) | share of workflow time |', '|---|---|---|');
  for (const [kind, value] of Object.entries(coordination.byKindMs)) lines.push(`| ${kind} | ${ms(value)} | ${(coordination.shareByKind[kind] ?? 0).toFixed(4)} |`);
  lines.push('', '## Faults by kind', '', '| kind | injected |', '|---|---|');
  for (const [kind, count] of Object.entries(faults.byKind)) lines.push(`| ${kind} | ${count} |`);
  lines.push('', '## Lowest handoff success', '', '| run | scenario | seed | sweep | handoffs | success rate | invariants |', '|---|---|---|---|---|---|---|');
  for (const run of report.worstRuns) {
    lines.push(`| ${run.runId} | ${run.scenario} | ${run.seed} | ${run.sweepId} | ${run.succeeded}/${run.handoffs} | ${pct(run.successRate)} | ${INVARIANT_WORDS[run.verdict] ?? run.verdict} |`);
  }
  if (assertions !== undefined && assertions.length > 0) {
    lines.push('', '## Assertions', '', '| assertion | actual | result |', '|---|---|---|');
    for (const assertion of assertions) lines.push(`| \`${assertion.expression}\` | ${assertion.actual} | ${assertion.passed ? 'held' : '**failed**'} |`);
  }
  return `${lines.join('\n')}\n`;
}
