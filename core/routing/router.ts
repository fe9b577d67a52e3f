import type { Span } from '@opentelemetry/api';
import type { AgentSpec } from '../agents/types.js';
import type { Env } from '../env/env.js';
import { AgentHealth } from '../resilience/agent-health.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { RouteRequest, TaskRouter } from '../supervisor/task-router.js';
import { ATTR, EVENT, SPAN } from '../telemetry/attributes.js';
import { SpanClock } from '../telemetry/virtual-spans.js';
import { availabilityScore, capabilityScore, costScore, DEFAULT_COST_PER_KILO_TOKEN_USD, DEFAULT_EXPECTED_TOKENS, healthScore, totalScore, type PartialScores } from './agent-scoring.js';
import { DEFAULT_HEALTH_MIN_RATIO, DEFAULT_TASK_BUDGET_TOKENS, type RouterPolicy } from './router-policy.js';

/** One candidate of a routing decision with its scores. */
export interface ScoredCandidate {
  agent: string;
  scores: PartialScores;
  total: number;
}

/** A routing decision: the selected agent (or escalation) and how it was reached. */
export interface RoutingDecision {
  selected: string;
  escalated: boolean;
  /** Candidates left after each stage: capability, health, cost. */
  stages: { capable: number; healthy: number; affordable: number };
  candidates: ScoredCandidate[];
}

/**
 * The router of seed 000: capability matching → health filtering (circuit
 * breaker, success ratio) → cost filtering → load balancing by strategy →
 * multi-objective score → selection. No capable agent: escalate to the
 * supervisor (the task's declared agent). No healthy agent: the capable ones
 * are used (wait-for-available is the supervisor's retry). Nothing affordable:
 * the cheapest viable. Every decision is a `baton.route` span with the
 * candidates and their scores.
 */
export class AgentRouter implements TaskRouter {
  private readonly spans: SpanClock;
  private readonly health = new AgentHealth();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly load = new Map<string, number>();
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly env: Env,
    private readonly agents: readonly AgentSpec[],
    private readonly policy: RouterPolicy = {},
  ) {
    this.spans = new SpanClock(env.tracer, env.clock);
  }

  choose(request: RouteRequest): string {
    const decision = this.decide(request);
    this.load.set(decision.selected, (this.load.get(decision.selected) ?? 0) + 1);
    this.recordDecision(request, decision);
    return decision.selected;
  }

  observe(agent: string, ok: boolean, nowUs: number, latencyMs = 0): void {
    this.health.record(agent, ok, latencyMs);
    this.breaker(agent).record(ok, nowUs);
    this.load.set(agent, Math.max(0, (this.load.get(agent) ?? 0) - 1));
  }

  /** The decision for a request, without recording it. */
  decide(request: RouteRequest): RoutingDecision {
    const required = [request.task.capability ?? request.task.id];
    const nowUs = this.env.clock.nowUs();
    const capable = this.agents.filter((agent) => capabilityScore(agent, required) > 0);
    if (capable.length === 0) return { selected: request.task.agent, escalated: true, stages: { capable: 0, healthy: 0, affordable: 0 }, candidates: [] };
    const minRatio = this.policy.healthMinRatio ?? DEFAULT_HEALTH_MIN_RATIO;
    let healthy = capable.filter((agent) => this.breaker(agent.name).allows(nowUs) && this.health.of(agent.name).successRatio >= minRatio);
    if (request.exclude !== undefined && healthy.length > 1) healthy = healthy.filter((agent) => agent.name !== request.exclude);
    const pool = healthy.length > 0 ? healthy : capable;
    const budget = this.policy.taskBudgetTokens ?? DEFAULT_TASK_BUDGET_TOKENS;
    const affordable = pool.filter((agent) => (agent.expectedTokens ?? DEFAULT_EXPECTED_TOKENS) <= budget);
    const viable = affordable.length > 0 ? affordable : [cheapest(pool)];
    const candidates = viable.map((agent) => this.score(agent, required, request.task, budget));
    const selected = this.select(request, viable, candidates);
    return { selected, escalated: false, stages: { capable: capable.length, healthy: healthy.length, affordable: affordable.length }, candidates };
  }

  private score(agent: AgentSpec, required: string[], task: RouteRequest['task'], budget: number): ScoredCandidate {
    const scores: PartialScores = {
      capability: capabilityScore(agent, required),
      health: healthScore(this.health.of(agent.name)),
      cost: costScore(agent.expectedTokens ?? DEFAULT_EXPECTED_TOKENS, budget),
      availability: availabilityScore(this.load.get(agent.name) ?? 0, agent.maxConcurrent ?? 1),
      affinity: agent.name === task.agent ? 1 : 0,
    };
    const defaultTotal = totalScore(scores, this.policy.weights);
    const custom = this.policy.score;
    const total = custom ? custom({ agent, task: { id: task.id, agent: task.agent, capability: task.capability }, scores, defaultTotal }) : defaultTotal;
    return { agent: agent.name, scores, total: Number.isFinite(total) ? total : -Infinity };
  }

  /** Load balancing by strategy; `scored` (default) takes the best total, ties in declaration order. */
  private select(request: RouteRequest, viable: AgentSpec[], candidates: ScoredCandidate[]): string {
    const first = <T>(items: T[], key: (item: T) => number): T => items.reduce((best, item) => (key(item) < key(best) ? item : best));
    switch (this.policy.strategy ?? 'scored') {
      case 'static':
        return viable.some((agent) => agent.name === request.task.agent) ? request.task.agent : first(candidates, (c) => -c.total).agent;
      case 'round-robin': {
        const key = request.task.capability ?? request.task.id;
        const turn = this.turns.get(key) ?? 0;
        this.turns.set(key, turn + 1);
        return viable[turn % viable.length]!.name;
      }
      case 'least-connections':
        return first(viable, (agent) => this.load.get(agent.name) ?? 0).name;
      case 'weighted': {
        const capacity = viable.reduce((sum, agent) => sum + (agent.maxConcurrent ?? 1), 0);
        let draw = this.env.random.stream('router/weighted').next() * capacity;
        for (const agent of viable) {
          draw -= agent.maxConcurrent ?? 1;
          if (draw < 0) return agent.name;
        }
        return viable[viable.length - 1]!.name;
      }
      case 'cost-aware':
        return cheapest(viable).name;
      case 'latency-aware':
        return first(viable, (agent) => this.health.of(agent.name).latencyMs).name;
      case 'scored':
        return first(candidates, (c) => -c.total).agent;
    }
  }

  private breaker(agent: string): CircuitBreaker {
    let breaker = this.breakers.get(agent);
    if (!breaker) this.breakers.set(agent, (breaker = new CircuitBreaker(this.policy.breakerFailuresMax, this.policy.breakerResetMs ?? 30_000)));
    return breaker;
  }

  private recordDecision(request: RouteRequest, decision: RoutingDecision): void {
    const span = this.spans.start(SPAN.route, request.parent, {
      [ATTR.coordinationKind]: 'routing',
      [ATTR.taskId]: request.task.id,
      [ATTR.routeStrategy]: this.policy.strategy ?? 'scored',
      [ATTR.routeSelected]: decision.selected,
      [ATTR.routeEscalated]: decision.escalated,
      [ATTR.routeCapable]: decision.stages.capable,
      [ATTR.routeHealthy]: decision.stages.healthy,
      [ATTR.routeAffordable]: decision.stages.affordable,
    });
    // The candidates' names, rounded scores (JSON) and events cost more than the rest of a
    // decision: built only when the span records (a run without tracing keeps none of them).
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR.routeCandidates]: decision.candidates.map((c) => c.agent).join(','),
        [ATTR.routeScores]: JSON.stringify(decision.candidates.map((c) => ({ agent: c.agent, total: round(c.total), ...roundAll(c.scores) }))),
      });
      for (const candidate of decision.candidates) {
        this.spans.event(span, EVENT.routeCandidate, { [ATTR.routeAgent]: candidate.agent, [ATTR.routeScore]: round(candidate.total) });
      }
    }
    this.spans.end(span);
  }
}

function cheapest(agents: AgentSpec[]): AgentSpec {
  const cost = (agent: AgentSpec): number => (agent.expectedTokens ?? DEFAULT_EXPECTED_TOKENS) * (agent.costPerKiloTokenUsd ?? DEFAULT_COST_PER_KILO_TOKEN_USD);
  return agents.reduce((best, agent) => (cost(agent) < cost(best) ? agent : best));
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
const roundAll = (scores: PartialScores): PartialScores =>
  Object.fromEntries(Object.entries(scores).map(([key, value]) => [key, round(value)])) as unknown as PartialScores;
