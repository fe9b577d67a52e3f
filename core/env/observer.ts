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
  | {
      type: 'handoff.accepted';
      workflowId: string;
      handoffId: string;
      checksumOk: boolean;
      schemaVersion: number;
      /** Schema versions the receiver accepts (integrity: schemaVersion must be one of them). */
      acceptedVersions?: number[];
      target?: string;
    }
  | { type: 'handoff.failed'; workflowId: string; handoffId: string; reason: string }
  | { type: 'handoff.phase'; workflowId: string; handoffId: string; phase: HandoffPhase; source: string; target: string }
  | { type: 'handoff.rolled_back'; workflowId: string; handoffId: string; reason: string }
  | { type: 'task.assigned'; workflowId: string; taskId: string; attempt: number; agent: string; supervisor: string; locked: boolean }
  | { type: 'task.effect.committed'; workflowId: string; taskId: string; attempt: number; agent: string; version: number }
  | {
      type: 'memory.read';
      workflowId: string;
      taskId: string;
      agent: string;
      key: string;
      versionRead: number;
      epochRequired: number;
      source: 'primary' | 'replica';
      outcome: 'acted-on' | 'refused';
    }
  | { type: 'context.overflow'; workflowId: string; taskId: string; agent: string; contextTokens: number; windowTokens: number }
  | {
      type: 'budget.charged';
      workflowId: string;
      scope: 'workflow' | 'agent';
      owner: string;
      resource: BudgetResource;
      amount: number;
      total: number;
      limit: number;
    }
  | {
      type: 'budget.exceeded';
      workflowId: string;
      scope: 'workflow' | 'agent';
      owner: string;
      resource: BudgetResource;
      requested: number;
      remaining: number;
    };

/** Source-side phases of a two-phase handoff, in order. */
export type HandoffPhase = 'checkpointed' | 'context-written' | 'published' | 'ack-received';

/** What a budget counts. */
export type BudgetResource = 'tokens' | 'calls' | 'costUsd' | 'timeMs';

/** Terminal and non-terminal states of a workflow. */
export type WorkflowStatus = 'running' | 'completed' | 'partial' | 'failed';

/** Receives core events; the default observer ignores them. */
export interface Observer {
  record(event: CoreEvent): void;
}
