import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runScenario, type AgentBehaviour, type RouterScoreFunction } from '../../index.js';
import '../../vitest.js';

// The README's API example, as written there (plus a private data directory).
const dataDir = mkdtempSync(join(tmpdir(), 'baton-readme-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const reviewer: AgentBehaviour = {
  async perform(request) {
    return { ok: true, summary: 'approved', findings: [], decisions: [], inputTokens: 800, outputTokens: 40 };
  },
};
const preferCheap: RouterScoreFunction = ({ defaultTotal, scores }) => defaultTotal + 0.2 * scores.cost;

test('research pipeline holds under faults', async () => {
  const report = await runScenario('scenarios/research-pipeline.yaml', { seed: 42, behaviours: { reviewer }, routerScore: preferCheap, dataDir });
  expect(report).toHaveNoViolations();
  expect(report).toHaveHandoffSuccessRate(0.9);
  expect(report).toHaveHandoffLatencyP99Below(2000);
  expect(report).toMeet('workflows.completed >= 15', 'keyMetrics.agentErrorRate <= 0.1');
});
