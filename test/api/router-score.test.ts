import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, type RouterScoreFunction, type ScenarioFile } from '../../index.js';
import { ChdbStore } from '../../collector/store/chdb-store.js';

// A team's own router scoring, written in TypeScript, decides who runs a task.
const dir = mkdtempSync(join(tmpdir(), 'baton-router-score-'));
const store = new ChdbStore(dir);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const scenario: ScenarioFile = {
  name: 'two-researchers',
  agents: {
    alpha: { capabilities: ['research'], maxConcurrent: 4, latencyMs: { dist: 'fixed', value: 100 } },
    beta: { capabilities: ['research'], maxConcurrent: 4, latencyMs: { dist: 'fixed', value: 100 } },
    writer: { capabilities: ['writing'], maxConcurrent: 4, latencyMs: { dist: 'fixed', value: 100 } },
  },
  workflow: {
    name: 'w',
    tasks: {
      research: { agent: 'alpha', capability: 'research' },
      write: { agent: 'writer', capability: 'writing', dependsOn: ['research'] },
    },
  },
  workload: { instances: 6, interArrivalMs: { dist: 'fixed', value: 50 } },
  policies: { router: { strategy: 'scored' } },
} as ScenarioFile;

async function researchersUsed(runId: string): Promise<string[]> {
  const rows = await store.query<{ agent: string }>(
    `SELECT DISTINCT agent_name AS agent FROM baton.spans FINAL WHERE run_id = '${runId}' AND operation = 'invoke_agent' AND task_id = 'research' ORDER BY agent`,
  );
  return rows.map((row) => row.agent);
}

describe('router scoring written in TypeScript', () => {
  it('the default score uses the declared agent alpha; a custom score moves every research task to beta', async () => {
    const plain = await runScenario(scenario, { seed: 3, store });
    expect(await researchersUsed(plain.run.id)).toContain('alpha');

    const seen: string[] = [];
    const preferBeta: RouterScoreFunction = ({ agent, defaultTotal }) => {
      seen.push(agent.name);
      return agent.name === 'beta' ? 10 : defaultTotal;
    };
    const custom = await runScenario(scenario, { seed: 3, store, routerScore: preferBeta });
    expect(custom.run.id).not.toBe(plain.run.id);
    expect(await researchersUsed(custom.run.id)).toEqual(['beta']);
    expect(seen).toContain('alpha');
    expect(custom.workflows.completed).toBe(6);
  });
});
