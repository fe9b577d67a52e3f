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
}

/** agent → supervisor: outcome of a task attempt and of its handoffs. */
export interface TaskResult {
  workflowId: string;
  taskId: string;
  attempt: number;
  agent: string;
  status: 'completed' | 'failed';
  error?: string;
  handoffs: { targetTaskId: string; handoffId: string; outcome: HandoffOutcome }[];
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
