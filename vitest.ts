/**
 * Vitest matchers for baton reports: `import 'baton/vitest'` once (or list it
 * in `setupFiles`), then
 *
 *   const report = await runScenario('scenarios/research-pipeline.yaml', { seed: 42 });
 *   expect(report).toHaveHandoffSuccessRate(0.99);
 *   expect(report).toHaveHandoffLatencyP99Below(800);
 *   expect(report).toHaveNoViolations();
 *   expect(report).toMeet('coordination.overheadRatio < 0.3');
 *
 * Failure messages print the actual values, the worst agent pair and the
 * replay command of the first violation.
 */
import { expect } from 'vitest';
import { checkAssertions } from './reports/assertions.js';
import type { RunReport } from './reports/run-report.js';

interface BatonMatchers<R = unknown> {
  /** handoffs.successRate ≥ `minimum` (a ratio, e.g. 0.99). */
  toHaveHandoffSuccessRate(minimum: number): R;
  /** handoffs.latencyMs.p99 < `ms` (virtual milliseconds). */
  toHaveHandoffLatencyP99Below(ms: number): R;
  /** No invariant checker reported a violation. */
  toHaveNoViolations(): R;
  /** Every assertion holds, e.g. `'workflows.completed >= 10'` (the scenario `assert:` syntax). */
  toMeet(...assertions: string[]): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends BatonMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends BatonMatchers {}
}

function asReport(received: unknown, matcher: string): RunReport {
  const report = received as Partial<RunReport> | null;
  if (!report || typeof report !== 'object' || !report.handoffs || !report.invariants) {
    throw new TypeError(`${matcher} expects a baton report (from runScenario or report.json), got ${typeof received}`);
  }
  return report as RunReport;
}

function worstPair(report: RunReport): string {
  const pairs = [...(report.handoffs.byPair ?? [])].sort((a, b) => a.successRate - b.successRate);
  const worst = pairs[0];
  return worst ? `; worst pair ${worst.source} → ${worst.target}: ${worst.succeeded}/${worst.total} (${(worst.successRate * 100).toFixed(2)}%)` : '';
}

expect.extend({
  toHaveHandoffSuccessRate(received: unknown, minimum: number) {
    const report = asReport(received, 'toHaveHandoffSuccessRate');
    const { successRate, succeeded, total } = report.handoffs;
    return {
      pass: successRate >= minimum,
      message: () =>
        `expected handoff success rate ${this.isNot ? 'below' : 'at least'} ${minimum}, got ${successRate} (${succeeded}/${total} handoffs)${worstPair(report)}`,
      actual: successRate,
      expected: minimum,
    };
  },
  toHaveHandoffLatencyP99Below(received: unknown, ms: number) {
    const report = asReport(received, 'toHaveHandoffLatencyP99Below');
    const { p50, p95, p99 } = report.handoffs.latencyMs;
    return {
      pass: p99 < ms,
      message: () => `expected handoff latency p99 ${this.isNot ? 'not ' : ''}below ${ms} ms, got ${p99} ms (p50 ${p50}, p95 ${p95})`,
      actual: p99,
      expected: ms,
    };
  },
  toHaveNoViolations(received: unknown) {
    const report = asReport(received, 'toHaveNoViolations');
    const violations = report.invariants.violations;
    const first = violations[0];
    return {
      pass: violations.length === 0,
      message: () =>
        violations.length === 0
          ? 'expected invariant violations, got none'
          : `expected no invariant violations, got ${violations.length}: ${violations
              .slice(0, 3)
              .map((violation) => `${violation.checker} at ${violation.atMs} ms: ${violation.story}`)
              .join('; ')}${first ? `\nreplay: ${first.replayCommand}` : ''}`,
    };
  },
  toMeet(received: unknown, ...assertions: string[]) {
    const report = asReport(received, 'toMeet');
    const results = checkAssertions(report, assertions);
    const failed = results.filter((result) => !result.passed);
    return {
      pass: failed.length === 0,
      message: () =>
        failed.length === 0
          ? `expected some of ${assertions.join(', ')} to fail; all held`
          : `expected ${failed.map((result) => `${result.expression} (actual ${result.actual})`).join(', ')}`,
    };
  },
});

export type { BatonMatchers };
