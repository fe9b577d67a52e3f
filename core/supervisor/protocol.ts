import type { HandoffEnvelope, TaskContext } from '../handoff/envelope.js';
import type { HandoffOutcome } from '../telemetry/attributes.js';

/** Trace context carried in messages so the receiver's spans join the trace. */
export interface CarriedSpanContext {
  traceId: string;
  spanId: string;
}

/** Where the output of a task goes next: the successor task and its agent. */
export interface HandoffRoute {
  targetTaskId: string;
  targetAgent: string;
  /** Envelope schema versions the target accepts (for the fallback schema). Default [1]. */
  acceptsSchemaVersions?: number[];
  /** Agents with the same capability to try when the target stays silent (single-input targets only). */
  backupAgents?: string[];
}

/** supervisor → agent: run this task attempt. */
export interface TaskAssign {
  workflowId: string;
  workflowName: string;
  taskId: string;
  attempt: number;
  task: TaskContext;
  /** Tasks this one depends on (their handoffs are in the agent's inbox). */
  dependsOn: string[];
  routes: HandoffRoute[];
  parent: CarriedSpanContext;
  /** Version of the workflow state the task must not read older than (0: any). */
  epochRequired: number;
  /** Tokens the attempt may use (input + output); absent = no budget. */
  tokensMax?: number;
}

/** agent → supervisor: outcome of a task attempt and of its handoffs. */
export interface TaskResult {
  workflowId: string;
  taskId: string;
  attempt: number;
  agent: string;
  status: 'completed' | 'failed';
  error?: string;
  handoffs: { targetTaskId: string; handoffId: string; outcome: HandoffOutcome; acceptedBy?: string }[];
  /** Workflow-state version at which the task's effect is committed. */
  effectVersion?: number;
  usage: { inputTokens: number; outputTokens: number };
}

/** supervisor → agent: the result of (workflowId, taskId, attempt) arrived. */
export interface TaskResultAck {
  workflowId: string;
  taskId: string;
  attempt: number;
}

/** agent → agent: offer of a handoff. */
export interface HandoffOffer {
  envelope: HandoffEnvelope;
  protocol: 'direct' | 'two-phase';
}

/** agent → agent: the handoff was accepted or refused. */
export interface HandoffReply {
  handoffId: string;
  accepted: boolean;
  reason?: string;
}

/** Message kinds of the protocol. */
export const MSG = {
  taskAssign: 'task.assign',
  taskResult: 'task.result',
  taskResultAck: 'task.result.ack',
  handoffOffer: 'handoff.offer',
  handoffReply: 'handoff.reply',
} as const;
