import type { Span } from '@opentelemetry/api';
import type { Env } from '../env/env.js';
import type { WorkflowStatus } from '../env/observer.js';
import type { Message } from '../env/transport.js';
import type { AgentSpec } from '../agents/types.js';
import type { TaskContext } from '../handoff/envelope.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import { ATTR, SPAN } from '../telemetry/attributes.js';
import { SpanClock } from '../telemetry/virtual-spans.js';
import { planBatches, successorsOf } from '../workflow/dag.js';
import type { WorkflowSpec } from '../workflow/types.js';
import { CoreError } from '../errors/core-errors.js';
import { MSG, type TaskAssign, type TaskResult } from './protocol.js';
import { DEFAULT_TASK_ATTEMPTS_MAX, DEFAULT_TASK_TIMEOUT_MS, type SupervisorPolicy } from './supervisor-policy.js';
import { WorkflowState } from './workflow-state.js';

/** One run of a workflow: its id, its DAG, and the request that started it. */
export interface WorkflowInstance {
  workflowId: string;
  spec: WorkflowSpec;
  query: string;
}

/** How a workflow instance ended. */
export interface WorkflowOutcome {
  workflowId: string;
  status: WorkflowStatus;
  completedTasks: string[];
  failedTasks: { taskId: string; reason: string }[];
}

interface ActiveWorkflow {
  instance: WorkflowInstance;
  state: WorkflowState;
  span: Span;
  finish: (outcome: WorkflowOutcome) => void;
  timers: Map<string, { cancel(): void }>;
}

/**
 * The supervisor node: validates each workflow's DAG before anything runs,
 * assigns ready tasks to agents (in dependency order, independent tasks in
 * parallel), times out and retries attempts with backoff, and ends the workflow
 * when every task is completed or failed.
 */
export class Supervisor {
  private readonly spans: SpanClock;
  private readonly active = new Map<string, ActiveWorkflow>();

  constructor(
    private readonly env: Env,
    private readonly agents: readonly AgentSpec[],
    private readonly policy: SupervisorPolicy = {},
    readonly node = 'supervisor',
  ) {
    this.spans = new SpanClock(env.tracer, env.clock);
    env.transport.listen(node, (message) => this.onMessage(message));
  }

  /**
   * Starts `instance` now and resolves when it is terminal. A DAG with a cycle
   * or an unknown dependency is refused before any task runs (status 'failed').
   */
  runWorkflow(instance: WorkflowInstance): Promise<WorkflowOutcome> {
    const span = this.spans.start(`${SPAN.workflow} ${instance.spec.name}`, undefined, {
      [ATTR.operationName]: 'invoke_workflow',
      [ATTR.workflowName]: instance.spec.name,
      [ATTR.workflowId]: instance.workflowId,
    });
    this.env.observer.record({ type: 'workflow.started', workflowId: instance.workflowId, traceId: span.spanContext().traceId });
    try {
      planBatches(instance.spec.tasks);
    } catch (error) {
      const reason = error instanceof CoreError ? error.message : String(error);
      this.env.observer.record({ type: 'dag.rejected', workflowId: instance.workflowId, reason });
      this.env.observer.record({ type: 'workflow.finished', workflowId: instance.workflowId, status: 'failed' });
      this.spans.end(span, { [ATTR.outcome]: 'failed' }, 'dag_invalid');
      return Promise.resolve({ workflowId: instance.workflowId, status: 'failed', completedTasks: [], failedTasks: [] });
    }
    return new Promise((resolve) => {
      const workflow: ActiveWorkflow = {
        instance,
        state: new WorkflowState(instance.workflowId, instance.spec.tasks),
        span,
        finish: resolve,
        timers: new Map(),
      };
      this.active.set(instance.workflowId, workflow);
      this.advance(workflow);
    });
  }

  private onMessage(message: Message): void {
    if (message.kind !== MSG.taskResult) return;
    const result = message.body as TaskResult;
    this.env.transport.send({
      from: this.node,
      to: message.from,
      kind: MSG.taskResultAck,
      body: { workflowId: result.workflowId, taskId: result.taskId, attempt: result.attempt },
    });
    const workflow = this.active.get(result.workflowId);
    if (!workflow) return;
    const state = workflow.state.tasks.get(result.taskId);
    if (!state || state.status === 'completed' || state.status === 'failed') return;
    if (result.status === 'completed') {
      this.cancelTimer(workflow, result.taskId);
      workflow.state.tasks.set(result.taskId, { status: 'completed', attempt: result.attempt, agent: result.agent });
      for (const handoff of result.handoffs) {
        const key = `${result.taskId}->${handoff.targetTaskId}`;
        if (handoff.outcome === 'accepted') workflow.state.acceptedHandoffs.add(key);
        else workflow.state.failedHandoffs.add(key);
      }
      this.env.observer.record({ type: 'task.completed', workflowId: result.workflowId, taskId: result.taskId, agent: result.agent, attempt: result.attempt });
      this.advance(workflow);
    } else if (state.status === 'assigned' && state.attempt === result.attempt) {
      this.cancelTimer(workflow, result.taskId);
      void this.attemptFailed(workflow, result.taskId, result.attempt, result.agent, result.error ?? 'agent_error');
    }
  }

  /** Assigns every ready task, fails unreachable ones, ends the workflow when terminal. */
  private advance(workflow: ActiveWorkflow): void {
    for (const taskId of workflow.state.readyTasks()) this.assign(workflow, taskId, 1);
    workflow.state.failUnreachable();
    const status = workflow.state.status();
    if (status === 'running') return;
    this.active.delete(workflow.instance.workflowId);
    const completedTasks: string[] = [];
    const failedTasks: { taskId: string; reason: string }[] = [];
    for (const [taskId, state] of workflow.state.tasks) {
      if (state.status === 'completed') completedTasks.push(taskId);
      if (state.status === 'failed') failedTasks.push({ taskId, reason: state.reason });
    }
    this.env.observer.record({ type: 'workflow.finished', workflowId: workflow.instance.workflowId, status });
    this.spans.end(workflow.span, { [ATTR.outcome]: status }, status === 'completed' ? undefined : status);
    workflow.finish({ workflowId: workflow.instance.workflowId, status, completedTasks, failedTasks });
  }

  private assign(workflow: ActiveWorkflow, taskId: string, attempt: number): void {
    const spec = workflow.state.spec(taskId);
    const agent = this.route(workflow, taskId);
    workflow.state.tasks.set(taskId, { status: 'assigned', attempt, agent });
    const routes = successorsOf(workflow.instance.spec.tasks, taskId).map((targetTaskId) => ({
      targetTaskId,
      targetAgent: workflow.state.spec(targetTaskId).agent,
    }));
    const parent = workflow.span.spanContext();
    const assignment: TaskAssign = {
      workflowId: workflow.instance.workflowId,
      workflowName: workflow.instance.spec.name,
      taskId,
      attempt,
      task: this.taskContext(workflow, taskId),
      dependsOn: spec.dependsOn,
      routes,
      parent: { traceId: parent.traceId, spanId: parent.spanId },
    };
    this.env.transport.send({ from: this.node, to: agent, kind: MSG.taskAssign, body: assignment });
    const timeoutMs = this.policy.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    workflow.timers.set(
      taskId,
      this.env.clock.setTimer(timeoutMs, () => {
        workflow.timers.delete(taskId);
        void this.attemptFailed(workflow, taskId, attempt, agent, 'task_timeout');
      }),
    );
  }

  /** Picks the agent of a task and records the decision as a span. */
  private route(workflow: ActiveWorkflow, taskId: string): string {
    const spec = workflow.state.spec(taskId);
    const capability = spec.capability ?? taskId;
    const candidates = this.agents.filter((agent) => agent.capabilities.includes(capability)).map((agent) => agent.name);
    const span = this.spans.start(SPAN.route, workflow.span, {
      [ATTR.coordinationKind]: 'routing',
      [ATTR.taskId]: taskId,
      'baton.route.candidates': candidates.join(','),
      'baton.route.selected': spec.agent,
      'baton.route.strategy': 'static',
    });
    this.spans.end(span);
    return spec.agent;
  }

  private async attemptFailed(workflow: ActiveWorkflow, taskId: string, attempt: number, agent: string, reason: string): Promise<void> {
    const state = workflow.state.tasks.get(taskId);
    if (!state || state.status !== 'assigned' || state.attempt !== attempt) return;
    this.env.observer.record({ type: 'task.failed', workflowId: workflow.instance.workflowId, taskId, agent, attempt, reason });
    const attemptsMax = this.policy.taskAttemptsMax ?? DEFAULT_TASK_ATTEMPTS_MAX;
    if (attempt >= attemptsMax) {
      workflow.state.tasks.set(taskId, { status: 'failed', reason: `${reason} after ${attempt} attempts` });
      this.advance(workflow);
      return;
    }
    workflow.state.tasks.set(taskId, { status: 'backing-off', attempt });
    const span = this.spans.start(SPAN.backoff, workflow.span, { [ATTR.coordinationKind]: 'retry', [ATTR.taskId]: taskId, [ATTR.attempt]: attempt });
    await this.env.clock.sleepMs(backoffDelayMs(this.policy.backoff ?? {}, attempt, this.env.random.stream(`backoff/${this.node}`)));
    this.spans.end(span);
    const current = workflow.state.tasks.get(taskId);
    if (current?.status !== 'backing-off') return;
    this.assign(workflow, taskId, attempt + 1);
  }

  private cancelTimer(workflow: ActiveWorkflow, taskId: string): void {
    workflow.timers.get(taskId)?.cancel();
    workflow.timers.delete(taskId);
  }

  private taskContext(workflow: ActiveWorkflow, taskId: string): TaskContext {
    return {
      originalQuery: workflow.instance.query,
      taskDescription: `${workflow.instance.spec.name}: ${taskId}`,
      constraints: [],
    };
  }
}
