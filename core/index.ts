/**
 * The orchestration core on its own: give it an `Env` (clock, random streams,
 * transport, versioned storage, tracer, observer) and it runs workflows. See
 * docs/core.md for each component's contract.
 */
export type * from './env/index.js';
export { sample, chance, integerBetween } from './env/index.js';
export { AgentRuntime, type AgentRuntimeOptions } from './agents/agent-runtime.js';
export type { AgentBehaviour, AgentSpec, WorkRequest, WorkResult } from './agents/types.js';
export { Supervisor, type SupervisorOptions, type WorkflowInstance, type WorkflowOutcome } from './supervisor/supervisor.js';
export type { SupervisorPolicy } from './supervisor/supervisor-policy.js';
export type { BudgetPolicy } from './supervisor/workflow-budget.js';
export type { DegradedResult, FailedAgent } from './supervisor/degradation.js';
export { StaticRouter, type TaskRouter, type RouteRequest } from './supervisor/task-router.js';
export { resolveDesignPolicies, NAIVE_DESIGN_POLICIES, type DesignPolicies, type ResolvedDesignPolicies } from './policies/design-policies.js';
export { AgentRouter, type RoutingDecision, type ScoredCandidate } from './routing/router.js';
export type { RouterPolicy, RoutingStrategy, ScoreWeights } from './routing/router-policy.js';
export { availabilityScore, capabilityScore, costScore, healthScore, totalScore, type PartialScores } from './routing/agent-scoring.js';
export { sealEnvelope, verifyEnvelope, envelopeChecksum, ENVELOPE_SCHEMA_VERSION, type HandoffEnvelope, type UnsealedEnvelope } from './handoff/envelope.js';
export { validateEnvelopeSchema, convertToVersion, ENVELOPE_SCHEMAS } from './handoff/envelope-schemas.js';
export type { HandoffPolicy } from './handoff/handoff-policy.js';
export { SharedMemory, type ReadIntent, type ReadOutcome } from './memory/shared-memory.js';
export { mergeFindings, type Finding, type FindingsCrdt } from './memory/findings-crdt.js';
export { checkAccess, type MemoryFragment, type Visibility } from './memory/memory-fragment.js';
export { TaskStore, type TaskRecord } from './tasks/task-store.js';
export { EventBus, BusSubscriber, type BusEvent, type DeliveryMode } from './bus/event-bus.js';
export { CircuitBreaker, type BreakerState } from './resilience/circuit-breaker.js';
export { classifyError, recoveryFor, type ErrorClass, type RecoveryStrategy } from './resilience/error-classification.js';
export { Saga, type Compensation } from './resilience/saga.js';
export { BudgetLedger, type BudgetLimits } from './resilience/budget-ledger.js';
export { AgentHealth, type HealthSnapshot } from './resilience/agent-health.js';
export { pipeline, parallelWithSync, hierarchical, debate } from './patterns/workflow-patterns.js';
export { progressiveRefinement, type RefinementOutcome, type StageResult } from './patterns/progressive-refinement.js';
export { runDebate, type DebateOutcome, type Verdict } from './patterns/debate-rounds.js';
export { Blackboard, type BlackboardOutcome } from './patterns/blackboard.js';
export { weightedSynthesis, type WeightedResult } from './patterns/confidence-synthesis.js';
export { planBatches, successorsOf } from './workflow/dag.js';
export type { TaskSpec, WorkflowSpec } from './workflow/types.js';
export { CoreError, DagCycleError, DagInvalidError } from './errors/core-errors.js';
export { ATTR, EVENT, SPAN, type CoordinationKind, type HandoffOutcome } from './telemetry/attributes.js';
