/**
 * Structured facts core reports about what it did, for invariant checkers and
 * the event log. They never change core's behaviour.
 */
export type CoreEvent =
  | { type: 'workflow.started'; workflowId: string; traceId: string }
  | { type: 'workflow.finished'; workflowId: string; status: WorkflowStatus }
  | { type: 'dag.rejected'; workflowId: string; reason: string }
  | { type: 'task.started'; workflowId: string; taskId: string; agent: string; attempt: number; spanId: string }
  | { type: 'task.completed'; workflowId: string; taskId: string; agent: string; attempt: number }
  | { type: 'task.failed'; workflowId: string; taskId: string; agent: string; attempt: number; reason: string }
  | { type: 'handoff.prepared'; workflowId: string; handoffId: string; source: string; target: string; spanId: string }
  | { type: 'handoff.accepted'; workflowId: string; handoffId: string; checksumOk: boolean; schemaVersion: number }
  | { type: 'handoff.failed'; workflowId: string; handoffId: string; reason: string };

/** Terminal and non-terminal states of a workflow. */
export type WorkflowStatus = 'running' | 'completed' | 'partial' | 'failed';

/** Receives core events; the default observer ignores them. */
export interface Observer {
  record(event: CoreEvent): void;
}
