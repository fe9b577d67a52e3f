import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/format/load-scenario.js';
import { ScenarioError } from '../../scenarios/format/scenario-error.js';

const good = readFileSync('scenarios/research-pipeline.yaml', 'utf8');

function issuesOf(text: string) {
  try {
    parseScenario(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues;
  }
  throw new Error('expected the scenario to be refused');
}

describe('scenario loader', () => {
  it('accepts the research pipeline', () => {
    const scenario = parseScenario(good, 'research-pipeline.yaml');
    expect(Object.keys(scenario.spec.agents)).toEqual(['researcher', 'analyst', 'writer', 'reviewer']);
    expect(scenario.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the path, line and column of a value out of range', () => {
    const issues = issuesOf(good.replace('errorRatio: 0.02', 'errorRatio: 1.5'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'agents.researcher.errorRatio', message: 'must be <= 1', line: 13 });
  });

  it('names an unknown field', () => {
    const issues = issuesOf(good.replace('maxConcurrent: 3', 'maxConcurent: 3'));
    expect(issues[0]).toMatchObject({ path: 'agents.researcher.maxConcurent', message: 'unknown field' });
  });

  it('checks a distribution against its own kind only', () => {
    const issues = issuesOf(good.replace('{ dist: lognormal, median: 1200, sigma: 0.4 }', '{ dist: lognormal, median: -5, sigma: 0.4 }'));
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual(['agents.researcher.latencyMs.median: must be > 0']);
    const unknown = issuesOf(good.replace('{ dist: lognormal, median: 1200, sigma: 0.4 }', '{ dist: gamma, median: 5 }'));
    expect(unknown[0].path).toBe('agents.researcher.latencyMs.dist');
  });

  it('checks a fault against its own kind only', () => {
    const crash = '{ kind: crash, atMs: 9000, forMs: 3000, targets: [writer] }';
    const negative = issuesOf(good.replace(crash, '{ kind: crash, atMs: 9000, forMs: -3000, targets: [writer] }'));
    expect(negative.map((issue) => `${issue.path}: ${issue.message}`)).toEqual(['faults.1.forMs: must be >= 0']);
    const misplaced = issuesOf(good.replace(crash, '{ kind: crash, atMs: 9000, forMs: 3000, targets: [writer], lossRatio: 0.5 }'));
    expect(misplaced.map((issue) => `${issue.path}: ${issue.message}`)).toEqual(['faults.1.lossRatio: unknown field']);
    const unknown = issuesOf(good.replace(crash, '{ kind: crush, atMs: 9000, forMs: 3000, targets: [writer] }'));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ path: 'faults.1.kind' });
    expect(unknown[0]!.message).toContain('must be one of "partition", "hold"');
  });

  it('refuses a uniform distribution whose max is below its min', () => {
    const issues = issuesOf(good.replace('{ dist: lognormal, median: 1200, sigma: 0.4 }', '{ dist: uniform, min: 4000, max: 1500 }'));
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual(['agents.researcher.latencyMs.max: must be >= min (4000)']);
    expect(issues[0]!.line).toBe(12);
  });

  it('refuses references to unknown agents, tasks and nodes', () => {
    const issues = issuesOf(
      good
        .replace('write: { agent: writer,', 'write: { agent: scribe,')
        .replace('dependsOn: [write]', 'dependsOn: [draft]')
        .replace('targets: [writer]', 'targets: [ghost]'),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['workflow.tasks.write.agent', 'workflow.tasks.review.dependsOn.0', 'faults.1']);
    expect(issues[0].message).toContain('unknown agent "scribe"');
    expect(issues.every((issue) => typeof issue.line === 'number')).toBe(true);
  });

  it('refuses an agent named like a built-in node (supervisor, supervisor-N, store), with its line', () => {
    for (const name of ['supervisor', 'supervisor-2', 'store']) {
      const text = good.replace(/\bresearcher\b/g, name);
      const issues = issuesOf(text).filter((issue) => issue.path === `agents.${name}`);
      expect(issues, name).toHaveLength(1);
      expect(issues[0].message).toContain(`agent name "${name}" is reserved for a built-in node`);
      // Located as every issue is, at the start of the field's value: the line after `  <name>:`.
      expect(issues[0].line).toBe(text.split('\n').findIndex((line) => line.startsWith(`  ${name}:`)) + 2);
    }
    expect(() => parseScenario(good.replace(/\bresearcher\b/g, 'supervisor-lead'), 'test.yaml')).not.toThrow();
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(issuesOf('name: x\nagents: [\n')[0].message).toMatch(/^YAML:/);
    const duplicate = issuesOf('name: a\nname: b\n');
    expect(duplicate[0]).toMatchObject({ line: 2 });
  });

  it('lists every problem, not only the first', () => {
    const issues = issuesOf(good.replace('errorRatio: 0.02', 'errorRatio: -1').replace('instances: 20', 'instances: 0'));
    expect(issues.map((issue) => issue.path).sort()).toEqual(['agents.researcher.errorRatio', 'workload.instances']);
  });
});
