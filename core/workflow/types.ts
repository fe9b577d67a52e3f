/** One task of a workflow: what to do, who can do it, what it waits for. */
export interface TaskSpec {
  id: string;
  /** Agent that runs the task (a routing policy may pick another with the capability). */
  agent: string;
  /** Capability the task needs; defaults to the task id. */
  capability?: string;
  /** Ids of tasks whose handoffs this task needs before it starts. */
  dependsOn: string[];
  /** Schema version of the handoff this task's agent accepts. */
  acceptsSchemaVersion?: number;
}

/** A workflow: a DAG of tasks. */
export interface WorkflowSpec {
  name: string;
  tasks: TaskSpec[];
}
