import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compare, loadScenario, runScenario, ScenarioError, sweep, type AgentBehaviour, type WorkRequest } from '../../index.js';
import '../../vitest.js';
import { repoRoot } from '../support/cli.js';

// The API a team imports: run a scenario with its own agent code in
// TypeScript, sweep, compare, and assert on the report with the matchers.
const work = mkdtempSync(join(tmpdir(), 'baton-api-'));
const file = join(repoRoot, 'scenarios', 'research-pipeline.yaml');
const store = { dataDir: join(work, 'chdb') };
const small = { 'workload.instances': 4 };

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A reviewer written in TypeScript that rejects every draft. */
class StrictReviewer implements AgentBehaviour {
  readonly seen: string[] = [];
  async perform(request: WorkRequest) {
    this.seen.push(`${request.workflowId}/${request.taskId}`);
    return { ok: false as const, error: 'review_rejected', inputTokens: 100, outputTokens: 5 };
  }
}

describe('runScenario', () => {
  it('runs a file and returns report.json content; matchers read it', async () => {
    const report = await runScenario(file, { seed: 42, set: small, ...store, outDir: join(work, 'out'), formats: ['junit'] });
    expect(report.run.scenario).toBe('research-pipeline');
    expect(report.workflows.total).toBe(4);
    expect(report).toHaveNoViolations();
    expect(report).toHaveHandoffSuccessRate(0.5);
    expect(report).toHaveHandoffLatencyP99Below(60_000);
    expect(report).toMeet('workflows.total == 4', 'invariants.violations == 0');
    expect(existsSync(join(work, 'out', 'junit.xml'))).toBe(true);
    expect(JSON.parse(readFileSync(join(work, 'out', 'report.json'), 'utf8')).run.id).toBe(report.run.id);
  });

  it('accepts agent behaviours written in TypeScript; they change the run and its id', async () => {
    const plain = await runScenario(file, { seed: 7, set: small, ...store });
    const reviewer = new StrictReviewer();
    const custom = await runScenario(file, { seed: 7, set: small, ...store, behaviours: { reviewer } });
    expect(reviewer.seen.length).toBeGreaterThan(0);
    expect(custom.run.id).not.toBe(plain.run.id);
    const reviewerStats = custom.agents.byAgent.find((agent) => agent.agent === 'reviewer');
    expect(reviewerStats?.errorRate).toBe(1);
    expect(custom.workflows.completed).toBe(0);
    expect(plain.workflows.completed).toBeGreaterThan(0);
  });

  it('loads scenarios from a path, text or an object, and reports located errors', () => {
    const text = readFileSync(file, 'utf8');
    expect(loadScenario(file).spec.name).toBe('research-pipeline');
    expect(loadScenario(text).spec.name).toBe('research-pipeline');
    expect(loadScenario(parse(text)).spec.name).toBe('research-pipeline');
    expect(() => loadScenario({ ...parse(text), network: { lossRatio: 3 } })).toThrow(ScenarioError);
  });
});

describe('sweep and compare', () => {
  it('sweep runs every seed and returns the sweep document', async () => {
    const outcome = await sweep(file, { seeds: [1, 2, 3], set: small, ...store });
    expect(outcome.exitCode).toBe(0);
    expect(JSON.stringify(outcome.document)).toContain('research-pipeline');
  });

  it('compare returns per-metric differences with intervals', async () => {
    const a = loadScenario(file);
    const b = parse(readFileSync(file, 'utf8'));
    b.network.lossRatio = 0.3;
    b.workload.instances = 4;
    const aSmall = { ...parse(a.text), workload: { ...parse(a.text).workload, instances: 4 } };
    const comparison = await compare(aSmall, b, { seeds: [1, 2, 3, 4, 5, 6], metrics: ['recovery.operations'], ...store });
    const recovery = comparison.metrics[0];
    expect(recovery.metric).toBe('recovery.operations');
    expect(recovery.difference).toBeGreaterThan(0);
    expect(recovery.low).toBeLessThanOrEqual(recovery.difference);
  });
});
