import { describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createRealEnv } from '../../../simulator/real/real-env.js';
import { createCoreNodes } from '../../../simulator/core-nodes.js';
import { createRunTracer } from '../../../collector/tracing/run-tracer.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import type { AgentBehaviour } from '../../../core/agents/types.js';
import type { CoreEvent } from '../../../core/env/observer.js';

// Outside simulation: the same core drives real async agent functions on real timers.
describe('real Env', () => {
  it('runs a two-agent workflow with real async behaviours, handing off the researcher’s findings', async () => {
    const spans: ReadableSpan[] = [];
    const events: CoreEvent[] = [];
    const env = createRealEnv({ tracer: createRunTracer(new SeededRandom(1).stream('ids'), (span) => spans.push(span)), onEvent: (event) => events.push(event) });
    const seenInputs: string[][] = [];
    const researcher: AgentBehaviour = {
      async perform(request) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ok: true, summary: `sources for ${request.task.originalQuery}`, findings: ['three competitors'], decisions: ['B2B only'], inputTokens: 100, outputTokens: 300 };
      },
    };
    const writer: AgentBehaviour = {
      async perform(request) {
        seenInputs.push(request.inputs.flatMap((input) => input.reasoning.keyFindings));
        return { ok: true, summary: 'draft', findings: [], decisions: [], inputTokens: 400, outputTokens: 200 };
      },
    };
    const { supervisor } = createCoreNodes(env, env.clock, env.random, {
      seed: 1,
      agents: [
        { name: 'researcher', capabilities: ['research'] },
        { name: 'writer', capabilities: ['writing'] },
      ],
      workflow: {
        name: 'real',
        tasks: [
          { id: 'research', agent: 'researcher', capability: 'research', dependsOn: [] },
          { id: 'write', agent: 'writer', capability: 'writing', dependsOn: ['research'] },
        ],
      },
      behaviours: { researcher, writer },
      policies: { handoff: { ackTimeoutMs: 2_000 }, supervisor: { taskTimeoutMs: 5_000 } },
    });
    const outcome = await supervisor.runWorkflow({
      workflowId: 'real-1',
      spec: {
        name: 'real',
        tasks: [
          { id: 'research', agent: 'researcher', capability: 'research', dependsOn: [] },
          { id: 'write', agent: 'writer', capability: 'writing', dependsOn: ['research'] },
        ],
      },
      query: 'Compare SaaS pricing',
    });
    expect(outcome.status).toBe('completed');
    expect(seenInputs).toEqual([['three competitors']]);
    expect(events.some((event) => event.type === 'handoff.accepted')).toBe(true);
    const handoff = spans.find((span) => span.attributes['baton.handoff.outcome'] !== undefined);
    expect(handoff?.attributes['baton.handoff.outcome']).toBe('accepted');
    const workflow = spans.find((span) => span.name.startsWith('invoke_workflow'))!;
    const durationMs = (workflow.endTime[0] - workflow.startTime[0]) * 1000 + (workflow.endTime[1] - workflow.startTime[1]) / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(4);
  });
});
