import type { Span } from '@opentelemetry/api';
import { nodeClock, type Env } from '../env/env.js';
import type { WorkflowStatus } from '../env/observer.js';
import type { Message } from '../env/transport.js';
import type { AgentSpec } from '../agents/types.js';
import { CheckpointStore } from '../handoff/checkpoint-store.js';
import { resolveDesignPolicies, type DesignPolicies, type ResolvedDesignPolicies } from '../policies/design-policies.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import { TaskStore } from '../tasks/task-store.js';
import { ATTR, EVENT, SPAN } from '../telemetry/attributes.js';
import { SpanClock } from '../telemetry/virtual-spans.js';
import { planBatches, successorsOf } from '../workflow/dag.js';
import type { WorkflowSpec } from '../workflow/types.js';
import { CoreError } from '../errors/core-errors.js';
import { checkpointFinishedPhases, rejectedOutcome, workflowOutcome, type DegradedResult } from './degradation.js';
import { MSG, type TaskAssign, type TaskResult } from './protocol.js';
import { StaticRouter, type TaskRouter } from './task-router.js';
import { CLAIM_ROUNDS_MAX, DEFAULT_FOLLOW_POLL_MS, DEFAULT_TASK_ATTEMPTS_MAX, DEFAULT_TASK_TIMEOUT_MS, FOLLOW_POLLS_MAX, type SupervisorPolicy } from './supervisor-policy.js';
import { inspectTimedOutTask } from './timeout-recovery.js';
import { decideRecovery, removeTaskEffect } from './failure-recovery.js';
import { Saga } from '../resilience/saga.js';
import { SharedMemory } from '../memory/shared-memory.js';
import { handoffRoutes } from './handoff-routes.js';
import { WorkflowBudget } from './workflow-budget.js';
import type { BudgetLedger } from '../resilience/budget-ledger.js';
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
  /** Graceful degradation summary (seed 002). */
  result: DegradedResult;
}

interface ActiveWorkflow {
  instance: WorkflowInstance;
  state: WorkflowState;
  span: Span;
  finish: (outcome: WorkflowOutcome) => void;
  timers: Map<string, { cancel(): void }>;
  batches: string[][];
  phasesCheckpointed: number;
  /** Agent chosen per task, decided once (successors are routed when their source is assigned). */
  agents: Map<string, string>;
  budget: WorkflowBudget;
}

/** What a completed task's handoffs came to, as the task store keeps it. */
type HandoffNote = { targetTaskId: string; outcome: string; acceptedBy?: string };

/** Options of a supervisor node beyond its policy. */
export interface SupervisorOptions {
  node?: string;
  design?: DesignPolicies;
  router?: TaskRouter;
}

/**
 * The supervisor node: validates each workflow's DAG before anything runs
 * (unless DAG validation is off), claims ready tasks in the task store with
 * optimistic locking (unless off) and assigns them to the agents the router
 * picks, times out and retries attempts with backoff after checking the store,
 * checkpoints after each phase, and ends the workflow with a graceful
 * degradation summary. Several instances may race for the same workflow.
 */
/** `baton.outcome` and `error.type` of a workflow span ended by `endUnfinished` (the host stopped first). */
export const UNFINISHED = 'unfinished';

export class Supervisor {
  readonly node: string;
  private readonly spans: SpanClock;
  private readonly design: ResolvedDesignPolicies;
  private readonly tasks: TaskStore;
  private readonly checkpoints: CheckpointStore;
  private readonly router: TaskRouter;
  private readonly active = new Map<string, ActiveWorkflow>();
  private readonly agentBudgets = new Map<string, BudgetLedger>();
  private readonly memory: SharedMemory;

  constructor(
    private readonly env: Env,
    private readonly agents: readonly AgentSpec[],
    private readonly policy: SupervisorPolicy = {},
    options: SupervisorOptions = {},
  ) {
    this.node = options.node ?? 'supervisor';
    this.spans = new SpanClock(env.tracer, env.clock);
    this.design = resolveDesignPolicies(options.design);
    this.tasks = new TaskStore(env.storage);
    this.checkpoints = new CheckpointStore(env, this.spans);
    this.router = options.router ?? new StaticRouter();
    this.memory = new SharedMemory(env, this.design.readConsistency);
    env.transport.listen(this.node, (message) => this.onMessage(message));
  }

  /**
   * Starts `instance` now and resolves when it is terminal. With DAG
   * validation, a cycle or unknown dependency is refused before any task runs.
   */
  runWorkflow(instance: WorkflowInstance): Promise<WorkflowOutcome> {
    const span = this.spans.start(`${SPAN.workflow} ${instance.spec.name}`, undefined, {
      [ATTR.operationName]: 'invoke_workflow',
      [ATTR.workflowName]: instance.spec.name,
      [ATTR.workflowId]: instance.workflowId,
      [ATTR.supervisor]: this.node,
    });
    this.env.observer.record({ type: 'workflow.started', workflowId: instance.workflowId, traceId: span.spanContext().traceId });
    let batches: string[][] = [];
    if (this.design.dagValidation) {
      try {
        batches = planBatches(instance.spec.tasks);
      } catch (error) {
        const reason = error instanceof CoreError ? error.message : String(error);
        this.env.observer.record({ type: 'dag.rejected', workflowId: instance.workflowId, reason });
        this.env.observer.record({ type: 'workflow.finished', workflowId: instance.workflowId, status: 'failed' });
        this.spans.end(span, { [ATTR.outcome]: 'failed' }, 'dag_invalid');
        return Promise.resolve(rejectedOutcome(instance.workflowId, instance.spec.tasks));
      }
    }
    return new Promise((resolve) => {
      const workflow: ActiveWorkflow = {
        instance,
        state: new WorkflowState(instance.workflowId, instance.spec.tasks),
        span,
        finish: resolve,
        timers: new Map(),
        batches,
        phasesCheckpointed: 0,
        agents: new Map(),
        budget: new WorkflowBudget(this.env, instance.workflowId, this.policy.budgets ?? {}, this.agents, this.agentBudgets),
      };
      this.active.set(instance.workflowId, workflow);
      this.advance(workflow);
    });
  }

  /**
   * Ends the span of every workflow still running, at the clock's time, with
   * outcome and `error.type` `unfinished`: for a host that stops while work is
   * in flight (a deadlock, a simulation limit), so that its telemetry counts
   * the workflow instead of losing its span. Records no event; the outcome
   * promises stay pending. Returns how many workflows it ended.
   */
  endUnfinished(): number {
    const unfinished = [...this.active.values()];
    this.active.clear();
    for (const workflow of unfinished) this.spans.end(workflow.span, { [ATTR.outcome]: UNFINISHED }, UNFINISHED);
    return unfinished.length;
  }

  private onMessage(message: Message): void {
    if (message.kind !== MSG.taskResult) return;
    const result = message.body as TaskResult;
    const ack = { workflowId: result.workflowId, taskId: result.taskId, attempt: result.attempt };
    this.env.transport.send({ from: this.node, to: message.from, kind: MSG.taskResultAck, body: ack });
    const workflow = this.active.get(result.workflowId);
    if (!workflow) return;
    const state = workflow.state.tasks.get(result.taskId);
    if (!state || state.status === 'completed' || state.status === 'failed' || state.status === 'following') return;
    // A superseded attempt whose handoffs did not all get through: the newer attempt redoes them.
    const newer = 'attempt' in state && state.attempt > result.attempt;
    if (newer && result.handoffs.some((handoff) => handoff.outcome !== 'accepted')) return;
    const sinceUs = state.status === 'assigned' && state.attempt === result.attempt ? state.sinceUs : undefined;
    const latencyMs = sinceUs === undefined ? undefined : (this.env.clock.nowUs() - sinceUs) / 1000;
    this.router.observe(result.agent, result.status === 'completed', this.env.clock.nowUs(), latencyMs);
    workflow.budget.settle(result.taskId, result.attempt, result.usage.inputTokens + result.usage.outputTokens);
    // Robust designs redo a failed handoff by retrying the task: its effect is reused, only the handoff runs again.
    const handoffFailed = result.handoffs.find((handoff) => handoff.outcome !== 'accepted');
    const attemptsLeft = result.attempt < (this.policy.taskAttemptsMax ?? DEFAULT_TASK_ATTEMPTS_MAX);
    const redo = handoffFailed && attemptsLeft && this.design.idempotencyKeys && this.design.handoffProtocol === 'two-phase';
    if (result.status === 'completed' && redo && state.status === 'assigned' && state.attempt === result.attempt) {
      this.cancelTimer(workflow, result.taskId);
      void this.attemptFailed(workflow, result.taskId, result.attempt, result.agent, `handoff_${handoffFailed.outcome}: unavailable target`);
    } else if (result.status === 'completed') {
      const acceptedBy = new Map(result.handoffs.filter((h) => h.outcome === 'accepted').map((h) => [h.targetTaskId, h.acceptedBy ?? '']));
      const handoffs = result.handoffs.map((h) => ({ targetTaskId: h.targetTaskId, outcome: h.outcome, acceptedBy: h.acceptedBy }));
      this.complete(workflow, result.taskId, result.agent, result.attempt, result.effectVersion ?? 0, acceptedBy, handoffs);
    } else if (state.status === 'assigned' && state.attempt === result.attempt) {
      this.cancelTimer(workflow, result.taskId);
      void this.attemptFailed(workflow, result.taskId, result.attempt, result.agent, result.error ?? 'agent_error');
    }
  }

  /** Marks a task completed here and in the task store (for racing supervisors) and moves on. */
  private complete(workflow: ActiveWorkflow, taskId: string, agent: string, attempt: number, effectVersion: number, acceptedBy: Map<string, string>, handoffs: HandoffNote[]): void {
    this.cancelTimer(workflow, taskId);
    const { state } = workflow;
    state.tasks.set(taskId, { status: 'completed', attempt, agent, effectVersion });
    for (const target of successorsOf(workflow.instance.spec.tasks, taskId)) {
      const key = `${taskId}->${target}`;
      const by = acceptedBy.get(target);
      if (by === undefined) state.failedHandoffs.add(key);
      else {
        state.acceptedHandoffs.add(key);
        if (by !== '') state.acceptedBy.set(key, by);
      }
    }
    this.env.observer.record({ type: 'task.completed', workflowId: workflow.instance.workflowId, taskId, agent, attempt });
    if (this.design.assignmentLocking) {
      void this.tasks.finish(workflow.instance.workflowId, taskId, this.node, { status: 'completed', attempt, owner: this.node, agent, effectVersion, handoffs });
    }
    this.advance(workflow);
  }

  /** Assigns every ready task (within maxConcurrentAgents), checkpoints finished phases, ends the workflow when terminal. */
  private advance(workflow: ActiveWorkflow): void {
    const limit = this.policy.maxConcurrentAgents ?? Number.POSITIVE_INFINITY;
    let inFlight = [...workflow.state.tasks.values()].filter((task) => task.status === 'assigned' || task.status === 'claiming').length;
    for (const taskId of workflow.state.readyTasks()) {
      if (inFlight >= limit) break;
      inFlight++;
      workflow.state.tasks.set(taskId, { status: 'claiming', attempt: 1 });
      void this.assign(workflow, taskId, 1);
    }
    workflow.state.failUnreachable();
    this.checkpointPhases(workflow);
    const status = workflow.state.status();
    if (status === 'running') return;
    this.active.delete(workflow.instance.workflowId);
    const outcome = workflowOutcome(workflow.instance.workflowId, status, workflow.state, workflow.agents);
    this.env.observer.record({ type: 'workflow.finished', workflowId: workflow.instance.workflowId, status });
    this.spans.end(workflow.span, { [ATTR.outcome]: status, [ATTR.workflowConfidence]: outcome.result.confidence }, status === 'completed' ? undefined : status);
    workflow.finish(outcome);
  }

  /** Checkpoints each phase (topological batch) once all its tasks are terminal. */
  private checkpointPhases(workflow: ActiveWorkflow): void {
    if (this.policy.checkpointPhases === false) return;
    workflow.phasesCheckpointed = checkpointFinishedPhases(this.checkpoints, workflow.instance.workflowId, workflow.batches, workflow.phasesCheckpointed, workflow.state, workflow.span);
  }

  /** Claims (with locking) and sends attempt `attempt` of a task; a lost claim turns into following. */
  private async assign(workflow: ActiveWorkflow, taskId: string, attempt: number, claimRound = 1): Promise<void> {
    const workflowId = workflow.instance.workflowId;
    const agent = this.agentFor(workflow, taskId, attempt);
    if (this.design.assignmentLocking) {
      const claim = await this.tasks.claim(workflowId, taskId, attempt, this.node, agent);
      if (!claim.won) {
        const owner = claim.current?.status === 'pending' ? undefined : claim.current?.owner;
        // A failed write, or a record this supervisor itself holds, is not a lost race: claim again.
        if (claim.reason === 'write-failed' || owner === undefined || owner === this.node) return this.retryClaim(workflow, taskId, attempt, claimRound);
        workflow.state.tasks.set(taskId, { status: 'following', owner });
        return this.follow(workflow, taskId);
      }
    }
    if (!this.active.has(workflowId)) return;
    const tasksLeft = [...workflow.state.tasks.values()].filter((task) => task.status === 'waiting' || task.status === 'claiming').length;
    const grant = workflow.budget.reserve(taskId, attempt, agent, tasksLeft);
    if (!grant.ok) return this.halt(workflow, taskId, attempt, agent);
    workflow.state.tasks.set(taskId, { status: 'assigned', attempt, agent, sinceUs: this.env.clock.nowUs() });
    const parent = workflow.span.spanContext();
    const assignment: TaskAssign = {
      workflowId,
      workflowName: workflow.instance.spec.name,
      taskId,
      attempt,
      task: { originalQuery: workflow.instance.query, taskDescription: `${workflow.instance.spec.name}: ${taskId}`, constraints: [] },
      dependsOn: workflow.state.spec(taskId).dependsOn,
      routes: handoffRoutes(workflow.instance.spec.tasks, this.agents, taskId, (target) => this.agentFor(workflow, target, 1)),
      parent: { traceId: parent.traceId, spanId: parent.spanId },
      epochRequired: workflow.state.epochFor(taskId),
      tokensMax: grant.tokensMax,
    };
    this.env.observer.record({ type: 'task.assigned', workflowId, taskId, attempt, agent, supervisor: this.node, locked: this.design.assignmentLocking });
    this.env.transport.send({ from: this.node, to: agent, kind: MSG.taskAssign, body: assignment });
    const timeoutMs = this.policy.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    workflow.timers.set(
      taskId,
      nodeClock(this.env, this.node).setTimer(timeoutMs, () => {
        workflow.timers.delete(taskId);
        void this.onTimeout(workflow, taskId, attempt, agent);
      }),
    );
  }

  /** The claim's write failed (store unavailable): try again later, a bounded number of times. */
  private async retryClaim(workflow: ActiveWorkflow, taskId: string, attempt: number, claimRound: number): Promise<void> {
    if (claimRound >= CLAIM_ROUNDS_MAX) {
      workflow.state.tasks.set(taskId, { status: 'failed', reason: 'task_store_unavailable' });
      return this.advance(workflow);
    }
    await nodeClock(this.env, this.node).sleepMs(this.policy.followPollMs ?? DEFAULT_FOLLOW_POLL_MS);
    if (this.active.has(workflow.instance.workflowId)) await this.assign(workflow, taskId, attempt, claimRound + 1);
  }

  /** Another supervisor owns the task: poll the task store until it is terminal, then take its outcome. */
  private async follow(workflow: ActiveWorkflow, taskId: string): Promise<void> {
    const workflowId = workflow.instance.workflowId;
    for (let poll = 0; poll < FOLLOW_POLLS_MAX; poll++) {
      await nodeClock(this.env, this.node).sleepMs(this.policy.followPollMs ?? DEFAULT_FOLLOW_POLL_MS);
      if (!this.active.has(workflowId)) return;
      const found = await this.tasks.read(workflowId, taskId);
      const record = found?.record;
      if (record?.status === 'completed') {
        const accepted = (record.handoffs ?? []).filter((h) => h.outcome === 'accepted');
        const acceptedBy = new Map(accepted.map((h) => [h.targetTaskId, h.acceptedBy ?? '']));
        workflow.agents.set(taskId, record.agent);
        return this.complete(workflow, taskId, record.agent, record.attempt, record.effectVersion ?? 0, acceptedBy, record.handoffs ?? []);
      }
      if (record?.status === 'failed') {
        workflow.state.tasks.set(taskId, { status: 'failed', reason: record.reason ?? 'failed by its owner' });
        return this.advance(workflow);
      }
    }
    workflow.state.tasks.set(taskId, { status: 'failed', reason: 'owner_lost' });
    this.advance(workflow);
  }

  /**
   * The agent of a task: the one that accepted its inputs' handoffs when there
   * are any (inputs live in that agent's inbox), else the router's choice,
   * decided once per task (a retry of an input-free task is routed again).
   */
  private agentFor(workflow: ActiveWorkflow, taskId: string, attempt: number): string {
    const spec = workflow.state.spec(taskId);
    for (const dependency of spec.dependsOn) {
      const by = workflow.state.acceptedBy.get(`${dependency}->${taskId}`);
      if (by !== undefined) {
        workflow.agents.set(taskId, by);
        return by;
      }
    }
    const decided = workflow.agents.get(taskId);
    if (decided !== undefined && (attempt === 1 || spec.dependsOn.length > 0)) return decided;
    const chosen = this.router.choose({ workflowId: workflow.instance.workflowId, task: spec, attempt, exclude: attempt > 1 ? decided : undefined, parent: workflow.span });
    workflow.agents.set(taskId, chosen);
    return chosen;
  }

  /** A task attempt timed out: check the store (rollback, effect already applied) before retrying. */
  private async onTimeout(workflow: ActiveWorkflow, taskId: string, attempt: number, agent: string): Promise<void> {
    workflow.budget.settle(taskId, attempt, undefined);
    const targets = successorsOf(workflow.instance.spec.tasks, taskId);
    const findings = await inspectTimedOutTask(this.env, this.design, workflow.instance.workflowId, taskId, targets);
    const state = workflow.state.tasks.get(taskId);
    if (!this.active.has(workflow.instance.workflowId) || state?.status !== 'assigned' || state.attempt !== attempt) return;
    if (findings.completed) {
      const { agent: by, attempt: doneAttempt, effectVersion, acceptedBy } = findings.completed;
      const handoffs = [...acceptedBy].map(([targetTaskId, accepted]) => ({ targetTaskId, outcome: 'accepted', acceptedBy: accepted }));
      return this.complete(workflow, taskId, by, doneAttempt, effectVersion, acceptedBy, handoffs);
    }
    await this.attemptFailed(workflow, taskId, attempt, agent, 'task_timeout');
  }

  private async attemptFailed(workflow: ActiveWorkflow, taskId: string, attempt: number, agent: string, reason: string): Promise<void> {
    const state = workflow.state.tasks.get(taskId);
    if (!state || state.status !== 'assigned' || state.attempt !== attempt) return;
    const workflowId = workflow.instance.workflowId;
    this.env.observer.record({ type: 'task.failed', workflowId, taskId, agent, attempt, reason });
    this.router.observe(agent, false, this.env.clock.nowUs());
    const spec = workflow.state.spec(taskId);
    const capable = this.agents.filter((candidate) => candidate.capabilities.includes(spec.capability ?? taskId));
    const hasFallback = spec.dependsOn.length === 0 && capable.length > 1;
    const decision = decideRecovery(reason, attempt, this.policy.taskAttemptsMax ?? DEFAULT_TASK_ATTEMPTS_MAX, hasFallback);
    this.spans.event(workflow.span, EVENT.recovery, { [ATTR.taskId]: taskId, [ATTR.errorClass]: decision.errorClass, [ATTR.recoveryStrategy]: decision.strategy });
    if (decision.strategy === 'abort') return this.abort(workflow, reason);
    if (decision.strategy === 'escalate') {
      const terminalReason = `${reason} after ${attempt} attempts`;
      workflow.state.tasks.set(taskId, { status: 'failed', reason: terminalReason });
      if (this.design.assignmentLocking) void this.tasks.finish(workflowId, taskId, this.node, { status: 'failed', attempt, owner: this.node, agent, reason: terminalReason });
      this.advance(workflow);
      return;
    }
    workflow.state.tasks.set(taskId, { status: 'backing-off', attempt });
    const span = this.spans.start(SPAN.backoff, workflow.span, { [ATTR.coordinationKind]: 'retry', [ATTR.taskId]: taskId, [ATTR.attempt]: attempt });
    if (decision.strategy === 'compensate') await removeTaskEffect(this.memory, workflowId, taskId).catch(() => undefined);
    await nodeClock(this.env, this.node).sleepMs(backoffDelayMs(this.policy.backoff ?? {}, attempt, this.env.random.stream(`backoff/${this.node}`)));
    this.spans.end(span);
    const current = workflow.state.tasks.get(taskId);
    if (current?.status !== 'backing-off' || !this.active.has(workflowId)) return;
    workflow.state.tasks.set(taskId, { status: 'claiming', attempt: attempt + 1 });
    await this.assign(workflow, taskId, attempt + 1);
  }

  /** A critical error: compensate completed tasks in reverse order (saga), fail the rest, end the workflow. */
  private async abort(workflow: ActiveWorkflow, reason: string): Promise<void> {
    const saga = new Saga();
    for (const [taskId, state] of workflow.state.tasks) {
      if (state.status === 'completed') saga.register({ id: taskId, undo: () => removeTaskEffect(this.memory, workflow.instance.workflowId, taskId) });
    }
    for (const [taskId, state] of workflow.state.tasks) {
      if (state.status !== 'completed' && state.status !== 'failed') workflow.state.tasks.set(taskId, { status: 'failed', reason: `aborted: ${reason}` });
      this.cancelTimer(workflow, taskId);
    }
    const outcomes = await saga.compensate();
    this.spans.event(workflow.span, EVENT.sagaCompensated, { [ATTR.sagaSteps]: outcomes.map((o) => o.id).join(',') });
    this.advance(workflow);
  }

  /** A budget would be exceeded: nothing more is assigned; tasks not running fail (seed 002 `halt_workflow`). */
  private halt(workflow: ActiveWorkflow, taskId: string, attempt: number, agent: string): void {
    for (const [id, state] of workflow.state.tasks) {
      if (state.status !== 'waiting' && state.status !== 'claiming' && state.status !== 'backing-off') continue;
      workflow.state.tasks.set(id, { status: 'failed', reason: 'budget_exceeded' });
    }
    if (this.design.assignmentLocking) {
      void this.tasks.finish(workflow.instance.workflowId, taskId, this.node, { status: 'failed', attempt, owner: this.node, agent, reason: 'budget_exceeded' });
    }
    this.advance(workflow);
  }

  private cancelTimer(workflow: ActiveWorkflow, taskId: string): void {
    workflow.timers.get(taskId)?.cancel();
    workflow.timers.delete(taskId);
  }

}
