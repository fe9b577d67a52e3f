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
  faultKind: 'baton.fault.kind',
  faultTarget: 'baton.fault.target',
  errorType: 'error.type',
} as const;

/** Coordination categories that coordination overhead is made of. */
export type CoordinationKind = 'routing' | 'handoff' | 'queueing' | 'retry' | 'checkpoint';

/** Outcomes of a handoff. */
export type HandoffOutcome = 'accepted' | 'rejected' | 'failed' | 'rolled_back';
