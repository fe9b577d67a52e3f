import { describe, expect, it } from 'vitest';
import '../../vitest.js';
import { documentWith } from './support/sample-document.js';

// The matchers of `baton/vitest`: pass and fail on the right side of the
// threshold, and say why with the values.
describe('baton/vitest matchers', () => {
  it('toHaveHandoffSuccessRate', () => {
    const report = documentWith({});
    expect(report).toHaveHandoffSuccessRate(0.9);
    expect(report).not.toHaveHandoffSuccessRate(0.95);
    expect(() => expect(report).toHaveHandoffSuccessRate(0.99)).toThrow(/at least 0\.99, got 0\.9 \(9\/10 handoffs\); worst pair a → b: 9\/10/);
  });

  it('toHaveHandoffLatencyP99Below', () => {
    const report = documentWith({});
    expect(report).toHaveHandoffLatencyP99Below(10);
    expect(() => expect(report).toHaveHandoffLatencyP99Below(9.5)).toThrow(/below 9\.5 ms, got 9\.5 ms/);
  });

  it('toHaveNoViolations prints the violation and its replay command', () => {
    expect(documentWith({})).toHaveNoViolations();
    expect(() => expect(documentWith({ violation: true })).toHaveNoViolations()).toThrow(
      /1: no-lost-handoff at 12\.5 ms: handoff h1 orphaned\nreplay: npx baton replay scenarios\/sample\.yaml --seed 7/,
    );
  });

  it('toMeet checks assertions in the scenario syntax', () => {
    const report = documentWith({});
    expect(report).toMeet('workflows.completed >= 2', 'coordination.overheadRatio < 0.3');
    expect(() => expect(report).toMeet('handoffs.latencyMs.p99 < 5')).toThrow(/handoffs\.latencyMs\.p99 < 5 \(actual 9\.5\)/);
    expect(() => expect(report).toMeet('nope > 1')).toThrow(/unknown metric "nope"/);
  });

  it('refuses things that are not reports', () => {
    expect(() => expect({}).toHaveNoViolations()).toThrow(/expects a baton report/);
  });
});
