/**
 * Span names and attribute keys core emits. GenAI semantic conventions where
 * they exist; `baton.*` elsewhere. Storage and reports read these names.
 */
export const SPAN = {
  workflow: 'invoke_workflow',
  agent: 'invoke_agent',
  handoff: 'baton.handoff',
  handoffAttempt: 'baton.handoff.attempt',
  backoff: 'baton.backoff',
  route: 'baton.route',
  queue: 'baton.queue',
  checkpoint: 'baton.checkpoint',
  simulation: 'baton.simulation',
} as const;

export const ATTR = {
  operationName: 'gen_ai.operation.name',
  agentName: 'gen_ai.agent.name',
  workflowName: 'gen_ai.workflow.name',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  workflowId: 'baton.workflow.id',
  taskId: 'baton.task.id',
  attempt: 'baton.attempt',
  outcome: 'baton.outcome',
  /** Coordination category of a span: routing, handoff, queueing, retry, checkpoint. */
  coordinationKind: 'baton.coordination.kind',
  handoffId: 'baton.handoff.id',
  handoffSource: 'baton.handoff.source',
  handoffTarget: 'baton.handoff.target',
  handoffPhase: 'baton.handoff.phase',
  handoffAttempt: 'baton.handoff.attempt',
  handoffOutcome: 'baton.handoff.outcome',
  handoffSchemaVersion: 'baton.handoff.schema_version',
  handoffContextBytes: 'baton.handoff.context_bytes',
  handoffContextTokens: 'baton.handoff.context_tokens',
  handoffProtocol: 'baton.handoff.protocol',
  handoffCompressed: 'baton.handoff.compressed',
  handoffAcceptedBy: 'baton.handoff.accepted_by',
  handoffNackReason: 'baton.handoff.nack_reason',
  handoffRecovery: 'baton.handoff.recovery',
  /** Routing decision (span `baton.route`): strategy, candidates, per-candidate scores (JSON), selection, stage counts. */
  routeStrategy: 'baton.route.strategy',
  routeCandidates: 'baton.route.candidates',
  routeScores: 'baton.route.scores',
  routeSelected: 'baton.route.selected',
  routeEscalated: 'baton.route.escalated',
  routeCapable: 'baton.route.capable',
  routeHealthy: 'baton.route.healthy',
  routeAffordable: 'baton.route.affordable',
  routeAgent: 'baton.route.agent',
  routeScore: 'baton.route.score',
  supervisor: 'baton.supervisor',
  workflowConfidence: 'baton.workflow.confidence',
  taskReused: 'baton.task.reused',
  errorClass: 'baton.error.class',
  recoveryStrategy: 'baton.recovery.strategy',
  sagaSteps: 'baton.saga.steps',
  checkpointLabel: 'baton.checkpoint.label',
  faultKind: 'baton.fault.kind',
  faultTarget: 'baton.fault.target',
  errorType: 'error.type',
} as const;

/** Span event names core adds. */
export const EVENT = {
  routeCandidate: 'baton.route.candidate',
  handoffRecovery: 'baton.handoff.recovery',
  handoffTargetUnavailable: 'baton.handoff.target_unavailable',
  recovery: 'baton.recovery',
  sagaCompensated: 'baton.saga.compensated',
} as const;

/** Coordination categories that coordination overhead is made of. */
export type CoordinationKind = 'routing' | 'handoff' | 'queueing' | 'retry' | 'checkpoint';

/** Outcomes of a handoff. */
export type HandoffOutcome = 'accepted' | 'rejected' | 'failed' | 'rolled_back';
