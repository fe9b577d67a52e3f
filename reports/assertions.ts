import type { RunReport } from './run-report.js';

/** Comparison operators an assertion may use. */
const OPERATORS = ['>=', '<=', '==', '!=', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];

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
 * Every metric an assertion can name: numeric leaves of the report, plus
 * `invariants.violations` (the number of violations).
 */
export function metricNames(report: RunReport): string[] {
  const names: string[] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value === 'number') names.push(prefix);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, prefix ? `${prefix}.${key}` : key);
    }
  };
  const { run: _run, invariants: _invariants, ...metrics } = report;
  walk(metrics, '');
  names.push('invariants.violations');
  return names.sort();
}

function metricValue(report: RunReport, metric: string): number | undefined {
  if (metric === 'invariants.violations') return report.invariants.violations.length;
  let value: unknown = report;
  for (const part of metric.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'number' ? value : undefined;
}

/** Parses `metric op number`, e.g. `handoffs.successRate >= 0.99`. */
export function parseAssertion(expression: string): { metric: string; operator: Operator; expected: number } {
  const match = /^\s*([A-Za-z][\w.]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(expression);
  if (!match) {
    throw new AssertionSyntaxError(`cannot parse assertion "${expression}": expected "<metric> <${OPERATORS.join('|')}> <number>"`);
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
    return { expression: expression.trim(), metric, operator, expected, actual, passed: compare(actual, operator, expected) };
  });
}

function compare(actual: number, operator: Operator, expected: number): boolean {
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
