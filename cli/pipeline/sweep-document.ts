import type { SpanStore } from '../../collector/store/span-store.js';
import type { AssertionResult } from '../../reports/assertions.js';
import { replayArguments } from '../../reports/metrics/invariant-metrics.js';
import { finalTable, num, round6 } from '../../reports/sql.js';
import type { Scenario } from '../../scenarios/format/load-scenario.js';
import { BATON_VERSION } from '../version.js';
import { checkRunAssertions, queryByRuns, sweepRunMetrics } from './sweep-metrics.js';
import { formatSeeds } from './sweep-seeds.js';
import { seedRunId } from './sweep-seed.js';

/** A violation as sweep.json lists it. */
export interface SweepViolation {
  checker: string;
  classification: string;
  atMs: number;
  traceId: string;
  spanId: string;
  story: string;
}

/** One seed of a sweep, as stored. */
export interface SweepSeedResult {
  seed: number;
  runId: string;
  verdict: 'pass' | 'fail';
  workflows: { total: number; completed: number };
  handoffs: { total: number; succeeded: number };
  faultsInjected: number;
  violations: SweepViolation[];
  /** Assertions that did not hold (expression and the value seen). */
  failedAssertions: { expression: string; actual: number }[];
  eventLogHash: string;
  /** The command that replays this seed. */
  replay: string;
}

/**
 * sweep.json. Everything outside `wall` comes from storage and depends only on
 * the scenario, the seeds stored and baton's version — never on --jobs or on
 * how the seeds were sharded.
 */
export interface SweepDocument {
  sweep: { id: string; scenario: string; seeds: string; swarm: string | null; batonVersion: string; assertions: string[] };
  aggregate: {
    seedsRequested: number;
    seedsStored: number;
    seedsMissing: number;
    passed: number;
    failed: number;
    failingSeeds: number[];
    violations: { total: number; byChecker: Record<string, number>; byClassification: Record<string, number> };
    faults: { injected: number; byKind: Record<string, number> };
    workflows: { total: number; completed: number };
    handoffs: { total: number; succeeded: number; successRate: number };
  };
  seeds: SweepSeedResult[];
  wall?: Record<string, unknown>;
}

/** What the document is built for. */
export interface SweepDocumentRequest {
  store: SpanStore;
  scenario: Scenario;
  /** How the user names the scenario file in replay commands. */
  scenarioRef: string;
  /** Every seed of the sweep (all shards). */
  seeds: readonly number[];
  sweepId: string;
  /** Every assertion checked on each seed: the scenario's, then the command line's. */
  assertions: readonly string[];
  /** The command line's `--assert` expressions alone (replay commands repeat them). */
  extraAssertions?: readonly string[];
}

/** Builds sweep.json (without `wall`) from what storage holds for the sweep's seeds. */
export async function buildSweepDocument(request: SweepDocumentRequest): Promise<SweepDocument> {
  const { store, scenario } = request;
  const seedOf = new Map(request.seeds.map((seed) => [seedRunId(scenario, seed), seed]));
  const runIds = [...seedOf.keys()];
  const runs = await queryByRuns(store, runIds, (where) =>
    `SELECT run_id, seed, workflows_total, workflows_completed, handoffs_total, faults_injected, event_log_hash ` +
    `FROM ${finalTable(store, 'runs')} WHERE ${where}`,
  );
  const violationRows = await queryByRuns(store, runIds, (where) =>
    `SELECT run_id, violation_index, checker, classification, at_ms, trace_id, span_id, story FROM ${finalTable(store, 'violations')} WHERE ${where}`,
  );
  const faultRows = await queryByRuns(store, runIds, (where) =>
    `SELECT kind, sum(count) AS injected FROM ${finalTable(store, 'run_metrics')} WHERE ${where} AND family = 'fault' GROUP BY kind`,
  );
  const storedIds = runs.map((row) => String(row.run_id));
  const metrics = await sweepRunMetrics(store, storedIds);
  const violationsByRun = new Map<string, { index: number; violation: SweepViolation }[]>();
  for (const row of violationRows) {
    const list = violationsByRun.get(String(row.run_id)) ?? [];
    list.push({
      index: num(row.violation_index),
      violation: {
        checker: String(row.checker),
        classification: String(row.classification),
        atMs: num(row.at_ms),
        traceId: String(row.trace_id),
        spanId: String(row.span_id),
        story: String(row.story),
      },
    });
    violationsByRun.set(String(row.run_id), list);
  }
  const swarm = scenario.spec.swarm ?? null;
  const seeds: SweepSeedResult[] = [];
  for (const row of runs) {
    const runId = String(row.run_id);
    const seed = seedOf.get(runId) ?? num(row.seed);
    const violations = (violationsByRun.get(runId) ?? []).sort((a, b) => a.index - b.index).map((entry) => entry.violation);
    const results: AssertionResult[] = await checkRunAssertions(store, runId, metrics.get(runId), request.assertions);
    const failedAssertions = results.filter((result) => !result.passed).map((result) => ({ expression: result.expression, actual: result.actual }));
    // Rounded as the failing-seeds table prints the time (`@1475ms`).
    const around = violations[0] === undefined ? '' : ` --around ${Math.round(violations[0].atMs)}`;
    seeds.push({
      seed,
      runId,
      verdict: violations.length === 0 && failedAssertions.length === 0 ? 'pass' : 'fail',
      workflows: { total: num(row.workflows_total), completed: num(row.workflows_completed) },
      handoffs: { total: num(row.handoffs_total), succeeded: metrics.get(runId)?.['handoffs.succeeded'] ?? 0 },
      faultsInjected: num(row.faults_injected),
      violations,
      failedAssertions,
      eventLogHash: String(row.event_log_hash),
      replay: `baton replay ${replayArguments({ scenarioRef: request.scenarioRef, overrides: scenario.overrides, assertions: request.extraAssertions }, seed)}${around}`,
    });
  }
  seeds.sort((a, b) => a.seed - b.seed);
  return { sweep: sweepHeader(request, swarm), aggregate: aggregate(request.seeds.length, seeds, faultRows), seeds };
}

function sweepHeader(request: SweepDocumentRequest, swarm: string | null): SweepDocument['sweep'] {
  return {
    id: request.sweepId,
    scenario: request.scenario.spec.name,
    seeds: formatSeeds(request.seeds),
    swarm,
    batonVersion: BATON_VERSION,
    assertions: [...request.assertions],
  };
}

function aggregate(requested: number, seeds: SweepSeedResult[], faultRows: Record<string, unknown>[]): SweepDocument['aggregate'] {
  const byChecker: Record<string, number> = {};
  const byClassification: Record<string, number> = {};
  let violations = 0;
  for (const seed of seeds) {
    for (const violation of seed.violations) {
      violations++;
      byChecker[violation.checker] = (byChecker[violation.checker] ?? 0) + 1;
      byClassification[violation.classification] = (byClassification[violation.classification] ?? 0) + 1;
    }
  }
  const byKind: Record<string, number> = {};
  // One row per kind and chunk of run ids (queryByRuns): a sweep of more than 1,000 seeds has several.
  for (const row of [...faultRows].sort((a, b) => String(a.kind).localeCompare(String(b.kind)))) {
    byKind[String(row.kind)] = (byKind[String(row.kind)] ?? 0) + num(row.injected);
  }
  const handoffsTotal = seeds.reduce((sum, seed) => sum + seed.handoffs.total, 0);
  const handoffsSucceeded = seeds.reduce((sum, seed) => sum + seed.handoffs.succeeded, 0);
  const failing = seeds.filter((seed) => seed.verdict === 'fail').map((seed) => seed.seed);
  return {
    seedsRequested: requested,
    seedsStored: seeds.length,
    seedsMissing: requested - seeds.length,
    passed: seeds.length - failing.length,
    failed: failing.length,
    failingSeeds: failing,
    violations: { total: violations, byChecker: sortKeys(byChecker), byClassification: sortKeys(byClassification) },
    faults: { injected: Object.values(byKind).reduce((sum, count) => sum + count, 0), byKind },
    workflows: {
      total: seeds.reduce((sum, seed) => sum + seed.workflows.total, 0),
      completed: seeds.reduce((sum, seed) => sum + seed.workflows.completed, 0),
    },
    handoffs: { total: handoffsTotal, succeeded: handoffsSucceeded, successRate: handoffsTotal === 0 ? 1 : round6(handoffsSucceeded / handoffsTotal) },
  };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
