import type { RunColumns, SpanRecord } from '../../collector/span-rows.js';
import type { RunRow, ViolationRow } from '../../collector/store/rows.js';
import type { Scenario } from '../../scenarios/format/load-scenario.js';
import type { SimulationResult } from '../../simulator/simulate.js';
import { ATTR } from '../../core/telemetry/attributes.js';
import { BATON_VERSION } from '../version.js';

/** True for a span that counts toward a run's `handoffs_total`: one that carries a handoff outcome. */
export function isHandoffSpan(record: SpanRecord): boolean {
  return record.attributes[ATTR.handoffOutcome] !== undefined;
}

/** The `runs` row of a simulated run; `recordedAt` is `YYYY-MM-DD hh:mm:ss`. */
export function runRow(simulation: SimulationResult, columns: RunColumns, scenario: Scenario, handoffsTotal: number, recordedAt: string): RunRow {
  return {
    recorded_date: columns.recordedDate,
    recorded_at: recordedAt,
    run_id: columns.runId,
    sweep_id: columns.sweepId,
    scenario: columns.scenario,
    seed: columns.seed,
    config_hash: scenario.contentHash.slice(0, 16),
    baton_version: BATON_VERSION,
    verdict: simulation.violations.length === 0 ? 'pass' : 'fail',
    workflows_total: simulation.outcomes.length,
    workflows_completed: simulation.outcomes.filter((outcome) => outcome.status === 'completed').length,
    handoffs_total: handoffsTotal,
    faults_injected: simulation.faultsInjected,
    violations: simulation.violations.length,
    event_log_hash: simulation.eventLogHash,
  };
}

/** The `violations` rows of a simulated run, in the order the checkers reported them. */
export function violationRows(simulation: SimulationResult, columns: RunColumns): ViolationRow[] {
  return simulation.violations.map((violation, index) => ({
    recorded_date: columns.recordedDate,
    run_id: columns.runId,
    violation_index: index,
    checker: violation.checker,
    classification: violation.classification,
    seed: violation.seed,
    at_ms: violation.atMs,
    trace_id: violation.traceId ?? '',
    span_id: violation.spanId ?? '',
    story: violation.story,
  }));
}
