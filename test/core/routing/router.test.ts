import fc from 'fast-check';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../../core/agents/types.js';
import { availabilityScore, capabilityScore, costScore, healthScore, totalScore } from '../../../core/routing/agent-scoring.js';
import { AgentRouter } from '../../../core/routing/router.js';
import type { RoutingStrategy } from '../../../core/routing/router-policy.js';
import { createCoreTestEnv } from '../support/core-test-env.js';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const scores = fc.record({ capability: unit, health: unit, cost: unit, availability: unit, affinity: unit });
const weights = fc.record({ capability: unit, health: unit, cost: unit, availability: unit, affinity: unit });
const parent = trace.wrapSpanContext({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 });
const task = (agent: string, capability = 'research') => ({ id: 't', agent, capability, dependsOn: [] });

describe('multi-objective score (seed 000 formulas and weights)', () => {
  it('uses the seed formulas', () => {
    const agent: AgentSpec = { name: 'a', capabilities: ['x', 'y'], proficiency: { x: 0.8, y: 0.6 } };
    expect(capabilityScore(agent, ['x', 'y'])).toBeCloseTo(0.7);
    expect(capabilityScore(agent, ['x', 'z'])).toBeCloseTo(0.4);
    expect(healthScore({ successRatio: 0.9, latencyMs: 1000, attempts: 10 })).toBeCloseTo(0.6 * 0.9 + 0.4 * 0.8);
    expect(costScore(2000, 8000)).toBeCloseTo(0.75);
    expect(availabilityScore(1, 4)).toBeCloseTo(0.75);
    expect(totalScore({ capability: 1, health: 1, cost: 1, availability: 1, affinity: 1 })).toBeCloseTo(1);
  });

  it('is monotone in each weight: raising w_i never lowers the score', () => {
    for (const key of ['capability', 'health', 'cost', 'availability', 'affinity'] as const) {
      fc.assert(
        fc.property(scores, weights, unit, (s, w, extra) => totalScore(s, { ...w, [key]: w[key] + extra }) >= totalScore(s, w) - 1e-12),
      );
    }
  });

  it('is monotone in each partial score for non-negative weights', () => {
    for (const key of ['capability', 'health', 'cost', 'availability', 'affinity'] as const) {
      fc.assert(fc.property(scores, weights, unit, (s, w, extra) => totalScore({ ...s, [key]: Math.min(1, s[key] + extra) }, w) >= totalScore(s, w) - 1e-12));
    }
  });
});

describe('router', () => {
  const agents: AgentSpec[] = [
    { name: 'cheap', capabilities: ['research'], proficiency: { research: 0.6 }, maxConcurrent: 2, expectedTokens: 1000, costPerKiloTokenUsd: 0.001 },
    { name: 'expert', capabilities: ['research'], proficiency: { research: 1 }, maxConcurrent: 2, expectedTokens: 3000, costPerKiloTokenUsd: 0.01 },
    { name: 'writer', capabilities: ['writing'] },
  ];

  it('selects by multi-objective score and records candidates and scores', () => {
    const { env } = createCoreTestEnv();
    const router = new AgentRouter(env, agents);
    const decision = router.decide({ workflowId: 'w', task: task('cheap'), attempt: 1, parent });
    expect(decision.candidates.map((c) => c.agent)).toEqual(['cheap', 'expert']);
    expect(decision.selected).toBe('expert');
  });

  it('capability weight 0 and cost weight high prefers the cheaper agent', () => {
    const { env } = createCoreTestEnv();
    const router = new AgentRouter(env, agents, { weights: { capability: 0, cost: 1 } });
    expect(router.decide({ workflowId: 'w', task: task('expert'), attempt: 1, parent }).selected).toBe('cheap');
  });

  it('escalates to the declared agent when no agent has the capability', () => {
    const { env } = createCoreTestEnv();
    const decision = new AgentRouter(env, agents).decide({ workflowId: 'w', task: task('writer', 'law'), attempt: 1, parent });
    expect(decision).toMatchObject({ escalated: true, selected: 'writer' });
  });

  it('filters out agents whose breaker opened after failures', () => {
    const { env } = createCoreTestEnv();
    const router = new AgentRouter(env, agents, { breakerFailuresMax: 2 });
    router.observe('expert', false, 0);
    router.observe('expert', false, 0);
    expect(router.decide({ workflowId: 'w', task: task('expert'), attempt: 1, parent }).selected).toBe('cheap');
  });

  it('strategies: round-robin rotates, cost-aware picks the cheapest, least-connections the idlest', () => {
    const pick = (strategy: RoutingStrategy, times: number): string[] => {
      const { env } = createCoreTestEnv();
      const router = new AgentRouter(env, agents, { strategy });
      return Array.from({ length: times }, () => router.choose({ workflowId: 'w', task: task('expert'), attempt: 1, parent }));
    };
    expect(pick('round-robin', 3)).toEqual(['cheap', 'expert', 'cheap']);
    expect(pick('cost-aware', 2)).toEqual(['cheap', 'cheap']);
    expect(pick('least-connections', 2)).toEqual(['cheap', 'expert']);
    expect(pick('static', 1)).toEqual(['expert']);
    expect(pick('weighted', 4).every((name) => name === 'cheap' || name === 'expert')).toBe(true);
  });
});

describe('routing decisions as spans', async () => {
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  it('records strategy, candidates, per-candidate scores and the selection on a routing span', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const { env } = createCoreTestEnv();
    const router = new AgentRouter({ ...env, tracer: provider.getTracer('t') }, [
      { name: 'cheap', capabilities: ['research'], proficiency: { research: 0.6 } },
      { name: 'expert', capabilities: ['research'] },
    ]);
    router.choose({ workflowId: 'w', task: task('cheap'), attempt: 1, parent });
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('baton.route');
    expect(span?.attributes['baton.coordination.kind']).toBe('routing');
    expect(span?.attributes['baton.route.candidates']).toBe('cheap,expert');
    const scores = JSON.parse(String(span?.attributes['baton.route.scores'])) as { agent: string; total: number; capability: number }[];
    expect(scores.map((s) => [s.agent, s.capability])).toEqual([['cheap', 0.6], ['expert', 1]]);
    expect(span?.attributes['baton.route.selected']).toBe('expert');
    expect(span?.events.map((e) => e.name)).toEqual(['baton.route.candidate', 'baton.route.candidate']);
  });
});
