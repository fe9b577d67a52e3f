import type { Span } from '@opentelemetry/api';
import type { TaskSpec } from '../workflow/types.js';

/** What the supervisor asks when a task needs an agent. */
export interface RouteRequest {
  workflowId: string;
  task: TaskSpec;
  attempt: number;
  /** Agent to avoid (the one a failed attempt ran on), when others can do the task. */
  exclude?: string;
  /** Span the routing decision is recorded under. */
  parent: Span;
}

/** Picks the agent of a task and learns from outcomes (health). */
export interface TaskRouter {
  /** The agent to run `request.task`. Never throws: escalation falls back to the task's declared agent. */
  choose(request: RouteRequest): string;
  /** An attempt on `agent` ended (ok or not) at `nowUs`, after `latencyMs` when known. */
  observe(agent: string, ok: boolean, nowUs: number, latencyMs?: number): void;
}

/** The task's declared agent, always (no routing). */
export class StaticRouter implements TaskRouter {
  choose(request: RouteRequest): string {
    return request.task.agent;
  }

  observe(): void {}
}
