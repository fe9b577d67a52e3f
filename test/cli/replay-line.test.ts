import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride, SET_HELP } from '../../cli/scenario-overrides.js';
import { UsageError } from '../../cli/exit-codes.js';
import { replayArguments, replayCommand } from '../../reports/metrics/invariant-metrics.js';
import { loadScenarioFile } from '../../scenarios/format/load-scenario.js';
import type { ScenarioError } from '../../scenarios/format/scenario-error.js';
import { repoRoot } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-replay-line-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(repoRoot, 'scenarios', 'research-pipeline.yaml');

describe('replay commands name what made the run', () => {
  it('a scenario remembers its --set overrides in order, --swarm last', () => {
    const once = applyOverrides(loadScenarioFile(file), ['workload.instances=4']);
    const twice = applyOverrides(once, ['network.lossRatio=0.3', 'swarm=harsh']);
    expect(twice.overrides).toEqual(['workload.instances=4', 'network.lossRatio=0.3', 'swarm=harsh']);
    expect(loadScenarioFile(file).overrides).toBeUndefined();
  });

  it('prints --set in order, the last swarm= as --swarm, command-line assertions, quoted for a shell', () => {
    const target = { scenarioRef: 'my scenarios/a.yaml', overrides: ['network.lossRatio=0.3', 'swarm=harsh'], assertions: ["handoffs.successRate >= 0.99"] };
    expect(replayCommand(target, 7)).toBe("npx baton replay 'my scenarios/a.yaml' --seed 7 --set network.lossRatio=0.3 --swarm harsh --assert 'handoffs.successRate >= 0.99'");
    // A swarm set before other overrides stays a --set: --swarm is applied after every --set.
    expect(replayArguments({ scenarioRef: 'a.yaml', overrides: ['swarm=lite', 'workload.instances=2'] }, 1)).toBe('a.yaml --seed 1 --set swarm=lite --set workload.instances=2');
    expect(replayArguments({ scenarioRef: 'a.yaml', overrides: ["workflow.name=it's"] }, 1)).toBe(`a.yaml --seed 1 --set 'workflow.name=it'\\''s'`);
    expect(replayCommand('scenarios/a.yaml', 3)).toBe('npx baton replay scenarios/a.yaml --seed 3');
  });
});

describe('--set', () => {
  it('the help names a path that exists (policies.router.weights)', () => {
    expect(SET_HELP).toContain('policies.router.weights=weights.yaml');
    const weights = join(dir, 'weights.yaml');
    writeFileSync(weights, 'capability: 0.5\nhealth: 0.2\navailability: 0.2\ncost: 0.1\n');
    expect(() => applyOverrides(loadScenarioFile(file), [`policies.router.weights=${weights}`])).not.toThrow();
  });

  it("a problem an override makes names that --set, not a line of the rewritten text", () => {
    let issues: { path: string; message: string; line?: number }[] = [];
    try {
      applyOverrides(loadScenarioFile(file), ['network.lossRatio=abc', 'nosuch.path=3']);
    } catch (error) {
      issues = (error as ScenarioError).issues;
    }
    expect(issues.map(({ path, message, line }) => ({ path, message, line }))).toEqual([
      { path: 'nosuch', message: 'unknown field (from --set nosuch.path=3)', line: undefined },
      { path: 'network.lossRatio', message: 'must be number (from --set network.lossRatio=abc)', line: undefined },
    ]);
  });

  it('a value naming a .yaml/.json file that does not exist says so', () => {
    expect(() => parseOverride('policies.router.weights=missing.yaml')).toThrow(UsageError);
    expect(() => parseOverride('policies.router.weights=missing.yaml')).toThrow('--set policies.router.weights: file "missing.yaml" not found');
  });
});

describe('assertion syntax errors', () => {
  it('name the operators one by one and give an example', async () => {
    const { parseAssertion } = await import('../../reports/assertions.js');
    expect(() => parseAssertion('handoffs.successRate about 1')).toThrow(
      'cannot parse assertion "handoffs.successRate about 1": expected "<metric> <operator> <number>", the operator one of >= <= == != > <, e.g. "handoffs.successRate >= 0.99"',
    );
  });
});
