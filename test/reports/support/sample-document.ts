import type { ReportDocument } from '../../../reports/render/report-document.js';

/** A small, complete report document for renderer tests. */
export function documentWith(options: { failAssertion?: boolean; violation?: boolean; story?: string }): ReportDocument {
  const zero = { p50: 0, p95: 0, p99: 0, max: 0 };
  const violations = options.violation
    ? [{ checker: 'no-lost-handoff', classification: 'correctness', seed: 7, atMs: 12.5, traceId: 'ab', spanId: 'cd', story: options.story ?? 'handoff h1 orphaned', replayCommand: 'npx baton replay scenarios/sample.yaml --seed 7' }]
    : [];
  const successRate = 0.9;
  return {
    run: { id: 'r1', scenario: 'sample', seed: 7, batonVersion: '0.1.0', configHash: 'c', eventLogHash: 'e' },
    workflows: { total: 2, completed: 2, partial: 0, failed: 0, unfinished: 0, durationMs: { p50: 10, p95: 20, p99: 20, max: 20 }, activeMax: 2, spanMs: 30 },
    handoffs: {
      total: 10, succeeded: 9, failed: 1, successRate, latencyMs: { p50: 5, p95: 9, p99: 9.5, max: 10 },
      byPair: [{ source: 'a', target: 'b', total: 10, succeeded: 9, failed: 1, successRate, latencyMs: { p50: 5, p95: 9, p99: 9.5, max: 10 } }],
      failuresByPhase: { publish: 1 }, attempts: { total: 12, distribution: { '1': 8, '2': 2 } },
    },
    coordination: {
      overheadRatio: 0.2, workflowMs: 30, coordinationMs: 6,
      byKindMs: { routing: 1, handoff: 2, queueing: 3, retry: 0, checkpoint: 0 },
      shareByKind: { routing: 0.033333, handoff: 0.066667, queueing: 0.1, retry: 0, checkpoint: 0 },
      byWorkflow: [], byPair: [{ source: 'a', target: 'b', handoffMs: 50, coordinationMs: 2, byKindMs: { handoff: 2 }, shareByKind: { handoff: 0.04 } }],
    },
    faults: { injected: 1, byKind: { crash: 1 }, precededFailures: [{ fault: 'crash', failure: 'handoff failed', failures: 1 }] },
    invariants: { violations, checkers: [{ checker: 'dag-order', violations: 0 }, { checker: 'no-lost-handoff', violations: violations.length }, { checker: 'liveness', violations: 0 }, { checker: 'limits', violations: 0 }] },
    agents: { invocations: 4, errors: 0, errorRate: 0, byAgent: [] },
    tokens: { contextCarried: 10, contextSent: 12, agentInput: 100, agentOutput: 50, agentWork: 150, contextPerWorkRatio: 0.066667 },
    recovery: { operations: 1, recovered: 1, unrecovered: 0, timeMs: zero },
    checkpoints: { total: 0, lagMsMax: 20, lagMsP99: 20 },
    budgets: { tokensPerWorkflow: { p50: 75, p95: 80, p99: 80, max: 80 }, agentCallsPerWorkflow: { p50: 2, p95: 2, p99: 2, max: 2 } },
    keyMetrics: { workflowDurationP99Ms: 20, handoffSuccessRate: successRate, agentErrorRate: 0, checkpointLagMsMax: 20, recoveryOperations: 1, recoveryOperationsPerMin: 2000, activeWorkflowsMax: 2 },
    verdict: {
      passed: !options.failAssertion && !options.violation,
      exitCode: options.failAssertion || options.violation ? 1 : 0,
      assertions: [
        { expression: 'workflows.completed >= 1', metric: 'workflows.completed', operator: '>=', expected: 1, actual: 2, passed: true },
        ...(options.failAssertion
          ? [{ expression: 'handoffs.successRate >= 0.999', metric: 'handoffs.successRate', operator: '>=' as const, expected: 0.999, actual: successRate, passed: false }]
          : []),
      ],
    },
    wall: { startedAt: '2026-11-21T05:00:00.123Z', host: 'ci-host', simulateMs: 1, storeMs: 1, reportMs: 1, totalMs: 3, spansStored: 10 },
  };
}
