import { AssertionSyntaxError, compareMetric, leafNames, parseAssertion, type AssertionResult } from './assertions.js';
import type { HistoryReport } from './history-report.js';

/**
 * History report fields whose keys depend on the runs (verdicts, coordination
 * and fault kinds): any key is a valid metric, and a key the runs lack reads as 0.
 */
const OPEN_RECORDS = ['runs.byVerdict', 'coordination.byKindMs', 'coordination.shareByKind', 'faults.byKind'];

const zero = { p50: 0, p95: 0, p99: 0, max: 0 };
/** The metric names every history report has, from an empty report's shape (lists and the filter are not metrics). */
const STATIC_METRICS: readonly string[] = leafNames({
  runs: { total: 0, violations: 0, sweeps: 0, scenarios: 0, collectorRuns: 0 },
  workflows: { total: 0, completed: 0, partial: 0, failed: 0, durationMs: zero },
  handoffs: { total: 0, succeeded: 0, failed: 0, successRate: 0, latencyMs: zero },
  coordination: { workflowMs: 0, coordinationMs: 0, overheadRatio: 0 },
  faults: { injected: 0 },
} satisfies { [Part in keyof Omit<HistoryReport, 'filter' | 'worstRuns'>]: Partial<HistoryReport[Part]> });

/** Every metric an assertion on `baton history` can name, `<record>.<key>` for the open ones. */
export function historyMetricNames(): string[] {
  return [...STATIC_METRICS, ...OPEN_RECORDS.map((prefix) => `${prefix}.<key>`)].sort();
}

/** Why `metric` is not a history metric (a message listing the valid ones), or undefined when it is one. */
export function historyMetricProblem(metric: string): string | undefined {
  if (STATIC_METRICS.includes(metric)) return undefined;
  if (OPEN_RECORDS.some((prefix) => metric.startsWith(`${prefix}.`) && metric.length > prefix.length + 1)) return undefined;
  return `unknown history metric "${metric}"; valid metrics: ${historyMetricNames().join(', ')}`;
}

/**
 * Parses every assertion and checks that it names a history metric, before
 * any store is opened: a bad assertion is bad input (exit 2) and reads nothing.
 */
export function parseHistoryAssertions(expressions: readonly string[]): void {
  for (const expression of expressions) parseHistoryAssertion(expression);
}

/** Checks each assertion against the history report. */
export function checkHistoryAssertions(report: HistoryReport, expressions: readonly string[]): AssertionResult[] {
  return expressions.map((expression) => {
    const { metric, operator, expected } = parseHistoryAssertion(expression);
    const actual = historyMetricValue(report, metric);
    return { expression: expression.trim(), metric, operator, expected, actual, passed: compareMetric(actual, operator, expected) };
  });
}

/** `expression` parsed, once its metric is known to be a history metric. */
function parseHistoryAssertion(expression: string): ReturnType<typeof parseAssertion> {
  const parsed = parseAssertion(expression);
  const problem = historyMetricProblem(parsed.metric);
  if (problem !== undefined) throw new AssertionSyntaxError(`${problem} (in assertion "${expression.trim()}")`);
  return parsed;
}

function historyMetricValue(report: HistoryReport, metric: string): number {
  let value: unknown = report;
  for (const part of metric.split('.')) {
    if (value === null || typeof value !== 'object') return 0;
    value = (value as Record<string, unknown>)[part];
  }
  // Only an open record's missing key gets here without a number (names are checked first).
  return typeof value === 'number' ? value : 0;
}
