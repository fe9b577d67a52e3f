import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { computeRunReport, RunNotFoundError, type RunReport } from '../../reports/run-report.js';
import { buildFixture, storeFixture, type SpanFixture } from './support/span-fixture.js';
import { expectedReport } from './support/expected-report.js';
import { INVARIANT_CHECKERS } from '../../reports/metrics/invariant-metrics.js';
import { CHECKER_NAMES } from '../../simulator/checkers/checker-set.js';

// Metric SQL against span sets whose answers are computed in plain JS. Two runs
// share the store so that every query must keep to its own run.
let dir: string;
let store: ChdbStore;
const fixtures: SpanFixture[] = [buildFixture('run-a', 1), buildFixture('run-b', 2, 9)];
const reports: RunReport[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-report-'));
  store = new ChdbStore(join(dir, 'chdb'));
  for (const fixture of fixtures) await storeFixture(store, fixture);
  await storeFixture(store, fixtures[0]); // a re-insert must not double anything
  for (const fixture of fixtures) reports.push(await computeRunReport(store, fixture.runId, { scenarioRef: 'scenarios/fixture.yaml' }));
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([0, 1])('computeRunReport on fixture %i', (index) => {
  const report = () => reports[index];
  const expected = () => expectedReport(fixtures[index]);

  it('counts workflows and their duration percentiles', () => expect(report().workflows).toEqual(expected().workflows));
  it('counts handoffs overall and per pair, by phase and attempts', () => expect(report().handoffs).toEqual(expected().handoffs));
  it('splits coordination overhead by kind, workflow and pair', () => expect(report().coordination).toEqual(expected().coordination));
  it('counts faults and the failures they preceded', () => expect(report().faults).toEqual(expected().faults));
  it('computes agent error rates', () => expect(report().agents).toEqual(expected().agents));
  it('compares context tokens with agent work tokens', () => expect(report().tokens).toEqual(expected().tokens));
  it('measures recovery operations and time', () => expect(report().recovery).toEqual(expected().recovery));
  it('measures checkpoint lag', () => expect(report().checkpoints).toEqual(expected().checkpoints));
  it('measures budget usage per workflow', () => expect(report().budgets).toEqual(expected().budgets));
  it('derives the key metrics', () => {
    const e = expected();
    expect(report().keyMetrics).toEqual({
      workflowDurationP99Ms: e.workflows.durationMs.p99,
      handoffSuccessRate: e.handoffs.successRate,
      agentErrorRate: e.agents.errorRate,
      checkpointLagMsMax: e.checkpoints.lagMsMax,
      recoveryOperations: e.recovery.operations,
      recoveryOperationsPerMin: Math.round((e.recovery.operations / (e.workflows.spanMs / 60_000)) * 1e6) / 1e6,
      activeWorkflowsMax: e.workflows.activeMax,
    });
  });
});

describe('invariants', () => {
  it('lists violations with a replay command and every checker with its count', () => {
    const { invariants } = reports[0];
    expect(invariants.violations).toHaveLength(1);
    expect(invariants.violations[0]).toMatchObject({ checker: 'no-lost-handoff', seed: 1, story: 'handoff h1 | orphaned' });
    expect(invariants.violations[0].replayCommand).toBe('npx baton replay scenarios/fixture.yaml --seed 1');
    expect(invariants.checkers).toContainEqual({ checker: 'no-lost-handoff', violations: 1 });
    expect(invariants.checkers).toContainEqual({ checker: 'liveness', violations: 0 });
  });

  it('knows every checker the simulator runs (so each gets a JUnit test case)', () => {
    expect([...INVARIANT_CHECKERS]).toEqual([...CHECKER_NAMES]);
  });

  it('refuses an unknown run id', async () => {
    await expect(computeRunReport(store, 'no-such-run')).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it('the fixture exercises every metric (non-trivial numbers)', () => {
    const report = reports[0];
    expect(report.handoffs.failed).toBeGreaterThan(0);
    expect(report.recovery.recovered).toBeGreaterThan(0);
    expect(report.checkpoints.total).toBeGreaterThan(0);
    expect(report.faults.precededFailures.length).toBeGreaterThan(1);
    expect(report.workflows.partial + report.workflows.failed).toBeGreaterThan(0);
  });
});
