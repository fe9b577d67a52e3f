import type { RunReport } from './run-report.js';
import { COORDINATION_KINDS } from './metrics/coordination-metrics.js';

/** Comparison operators an assertion may use. */
const OPERATORS = ['>=', '<=', '==', '!=', '>', '<'] as const;
export type Operator = (typeof OPERATORS)[number];

/** One checked assertion and the value it saw. */
export interface AssertionResult {
  expression: string;
  metric: string;
  operator: Operator;
  expected: number;
  actual: number;
  passed: boolean;
}

/** An assertion that does not parse or names an unknown metric (exit code 2). */
export class AssertionSyntaxError extends Error {
  readonly code = 'BATON_ERR_ASSERTION';
  constructor(message: string) {
    super(message);
    this.name = 'AssertionSyntaxError';
  }
}

/**
 * Report fields whose keys depend on the run (fault kinds, phases, attempt
 * counts): any key is a valid metric, and a key the run lacks reads as 0.
 */
const OPEN_RECORDS = ['faults.byKind', 'handoffs.failuresByPhase', 'handoffs.attempts.distribution', 'coordination.byKindMs', 'coordination.shareByKind'];

/** The dotted names of the numeric leaves of `report` (arrays left out). */
export function leafNames(report: object): string[] {
  const names: string[] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value === 'number') names.push(prefix);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, prefix ? `${prefix}.${key}` : key);
    }
  };
  walk(report, '');
  return names;
}

/** Every metric an assertion can name in `report`. */
export function metricNames(report: RunReport): string[] {
  // A report.json document also has verdict and wall: neither is a metric.
  const { run: _run, invariants: _invariants, verdict: _verdict, wall: _wall, ...metrics } = report as RunReport & { verdict?: unknown; wall?: unknown };
  return [...new Set([...leafNames(metrics), ...STATIC_METRICS])].sort();
}

const zero = { p50: 0, p95: 0, p99: 0, max: 0 };
/** The metric names every report has, from an empty report's shape. */
const STATIC_METRICS: readonly string[] = [
  ...leafNames({
    workflows: { total: 0, completed: 0, partial: 0, failed: 0, unfinished: 0, durationMs: zero, activeMax: 0, spanMs: 0 },
    handoffs: { total: 0, succeeded: 0, failed: 0, successRate: 0, latencyMs: zero, byPair: [], failuresByPhase: {}, attempts: { total: 0, distribution: {} } },
    coordination: {
      overheadRatio: 0, workflowMs: 0, coordinationMs: 0,
      byKindMs: Object.fromEntries(COORDINATION_KINDS.map((kind) => [kind, 0])),
      shareByKind: Object.fromEntries(COORDINATION_KINDS.map((kind) => [kind, 0])),
      byWorkflow: [], byPair: [],
    },
    faults: { injected: 0, byKind: {}, precededFailures: [] },
    agents: { invocations: 0, errors: 0, errorRate: 0, byAgent: [] },
    tokens: { contextCarried: 0, contextSent: 0, agentInput: 0, agentOutput: 0, agentWork: 0, contextPerWorkRatio: 0 },
    recovery: { operations: 0, recovered: 0, unrecovered: 0, timeMs: zero },
    checkpoints: { total: 0, lagMsMax: 0, lagMsP99: 0 },
    budgets: { tokensPerWorkflow: zero, agentCallsPerWorkflow: zero },
    keyMetrics: { workflowDurationP99Ms: 0, handoffSuccessRate: 0, agentErrorRate: 0, checkpointLagMsMax: 0, recoveryOperations: 0, recoveryOperationsPerMin: 0, activeWorkflowsMax: 0 },
  }),
  'invariants.violations',
];

/**
 * Why `metric` can never be a metric (a message listing the valid ones), or
 * undefined when it is one. Needs no report: used by `baton check`.
 */
export function metricProblem(metric: string): string | undefined {
  if (STATIC_METRICS.includes(metric)) return undefined;
  if (OPEN_RECORDS.some((prefix) => metric.startsWith(`${prefix}.`) && metric.length > prefix.length + 1)) return undefined;
  return `unknown metric "${metric}"; valid metrics: ${[...STATIC_METRICS].sort().join(', ')}, and ${OPEN_RECORDS.map((prefix) => `${prefix}.<key>`).join(', ')}`;
}

/**
 * Why `expression` can never be checked — it does not parse, or names no
 * metric — or undefined when it can. Needs no report: for checks before a run.
 */
export function assertionProblem(expression: string): string | undefined {
  try {
    return metricProblem(parseAssertion(expression).metric);
  } catch (error) {
    if (!(error instanceof AssertionSyntaxError)) throw error;
    return error.message;
  }
}

/** Parts of a report (document) that are not metrics. */
const NOT_METRICS = ['run', 'invariants', 'verdict', 'wall'];

function metricValue(report: RunReport, metric: string): number | undefined {
  if (metric === 'invariants.violations') return report.invariants.violations.length;
  if (NOT_METRICS.includes(metric.split('.')[0])) return undefined;
  let value: unknown = report;
  for (const part of metric.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'number') return value;
  if (value === undefined && metricProblem(metric) === undefined && OPEN_RECORDS.some((prefix) => metric.startsWith(`${prefix}.`))) return 0;
  return undefined;
}

/** The value of `metric` in `report`; an unknown metric throws, listing the valid ones. */
export function readMetric(report: RunReport, metric: string): number {
  const value = metricValue(report, metric);
  if (value === undefined) throw new AssertionSyntaxError(`unknown metric "${metric}"; valid metrics: ${metricNames(report).join(', ')}`);
  return value;
}

/** Parses `metric op number`, e.g. `handoffs.successRate >= 0.99`. */
export function parseAssertion(expression: string): { metric: string; operator: Operator; expected: number } {
  const match = /^\s*([A-Za-z][\w.-]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(expression);
  if (!match) {
    throw new AssertionSyntaxError(`cannot parse assertion "${expression}": expected "<metric> <operator> <number>", the operator one of ${OPERATORS.join(' ')}, e.g. "handoffs.successRate >= 0.99"`);
  }
  return { metric: match[1], operator: match[2] as Operator, expected: Number(match[3]) };
}

/** Checks each assertion against the report; unknown metrics throw, listing the valid ones. */
export function checkAssertions(report: RunReport, expressions: readonly string[]): AssertionResult[] {
  return expressions.map((expression) => {
    const { metric, operator, expected } = parseAssertion(expression);
    const actual = metricValue(report, metric);
    if (actual === undefined) {
      throw new AssertionSyntaxError(`unknown metric "${metric}" in assertion "${expression}"; valid metrics: ${metricNames(report).join(', ')}`);
    }
    return { expression: expression.trim(), metric, operator, expected, actual, passed: compareMetric(actual, operator, expected) };
  });
}

/** `actual operator expected`, the comparison every assertion makes. */
export function compareMetric(actual: number, operator: Operator, expected: number): boolean {
  switch (operator) {
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > expected;
    case '<':
      return actual < expected;
  }
}
