import { trace, TraceFlags, type Span } from '@opentelemetry/api';
import { nodeClock, type Env } from '../env/env.js';
import type { Message } from '../env/transport.js';
import { ATTR, SPAN } from '../telemetry/attributes.js';
import { SpanClock } from '../telemetry/virtual-spans.js';
import { ENVELOPE_SCHEMA_VERSION, type HandoffEnvelope, type UnsealedEnvelope } from '../handoff/envelope.js';
import { HandoffReceiver } from '../handoff/handoff-receiver.js';
import { HandoffSender } from '../handoff/handoff-sender.js';
import type { HandoffPolicy } from '../handoff/handoff-policy.js';
import { SharedMemory } from '../memory/shared-memory.js';
import { commitTaskEffect, WORKFLOW_STATE_ID, type WorkflowStateContent } from '../memory/task-effects.js';
import { resolveDesignPolicies, type DesignPolicies, type ResolvedDesignPolicies } from '../policies/design-policies.js';
import { ReplyWaiter } from '../resilience/reply-wait.js';
import { MSG, type CarriedSpanContext, type HandoffOffer, type HandoffReply, type TaskAssign, type TaskResult, type TaskResultAck } from '../supervisor/protocol.js';
import type { AgentBehaviour, AgentSpec, WorkResult } from './types.js';

/** How long an agent waits for the supervisor to acknowledge a result. Default 1,000 ms. */
export const DEFAULT_RESULT_ACK_TIMEOUT_MS = 1_000;
/** Times an agent re-sends a result before giving up. Default 8. */
export const DEFAULT_RESULT_SENDS_MAX = 8;

/** Options of an agent runtime. */
export interface AgentRuntimeOptions {
  handoff: HandoffPolicy;
  design?: DesignPolicies;
  resultAckTimeoutMs?: number;
  resultSendsMax?: number;
}

type Work = Extract<WorkResult, { ok: true }>;

/**
 * An agent as a node: takes task assignments from supervisors, reads the
 * workflow's shared state (epoch-checked or not), runs its behaviour (at most
 * `maxConcurrent` at once, the rest queued), commits the task's effect (with or
 * without idempotency key), hands the output off to the agents of the
 * successor tasks, and reports the result to the supervisor that assigned it.
 *
 * Durable state (survives a crash): accepted handoffs (the inbox) and all that
 * is in storage. Volatile state (lost at crash): running and queued work, waits.
 */
export class AgentRuntime {
  private readonly spans: SpanClock;
  private readonly design: ResolvedDesignPolicies;
  private readonly memory: SharedMemory;
  private readonly sender: HandoffSender;
  private readonly receiver: HandoffReceiver;
  private readonly resultAcks: ReplyWaiter<TaskResultAck>;
  private readonly maxConcurrent: number;
  /** Incremented at each crash; work started in an older epoch is dropped. */
  private epoch = 0;
  private running = 0;
  private queue: { assign: TaskAssign; from: string; queueSpan: Span }[] = [];
  private seenAssignments = new Set<string>();
  private emittedVersion: number | undefined;

  constructor(
    private readonly env: Env,
    private readonly spec: AgentSpec,
    private readonly behaviour: AgentBehaviour,
    private readonly options: AgentRuntimeOptions,
  ) {
    this.spans = new SpanClock(env.tracer, env.clock);
    this.design = resolveDesignPolicies(options.design);
    this.maxConcurrent = spec.maxConcurrent ?? 1;
    this.memory = new SharedMemory(env, this.design.readConsistency);
    this.sender = new HandoffSender(env, this.spans, spec.name, options.handoff, this.design, this.memory, (epoch) => epoch === this.epoch);
    const accepts = spec.acceptsSchemaVersions ?? [ENVELOPE_SCHEMA_VERSION];
    this.receiver = new HandoffReceiver(env, spec.name, accepts, this.design, spec.contextWindowTokens);
    this.resultAcks = new ReplyWaiter(nodeClock(env, spec.name));
    env.transport.listen(spec.name, (message) => this.onMessage(message), { onCrash: () => this.onCrash(), onRestart: () => void this.sender.recoverAfterRestart() });
  }

  get name(): string {
    return this.spec.name;
  }

  /** The agent was upgraded: from now on it emits envelope schema `version` (schema drift). */
  upgradeSchema(version: number): void {
    this.emittedVersion = version;
  }

  private onMessage(message: Message): void {
    switch (message.kind) {
      case MSG.taskAssign:
        return this.onAssign(message.body as TaskAssign, message.from);
      case MSG.handoffOffer:
        void this.receiver.onOffer(message.from, message.body as HandoffOffer);
        return;
      case MSG.handoffReply:
        return this.sender.onReply(message.body as HandoffReply);
      case MSG.taskResultAck: {
        const ack = message.body as TaskResultAck;
        this.resultAcks.deliver(resultKey(ack.workflowId, ack.taskId, ack.attempt), ack);
        return;
      }
    }
  }

  private onCrash(): void {
    this.epoch++;
    this.running = 0;
    this.queue = [];
    this.seenAssignments.clear();
    this.sender.abandonAll();
    this.resultAcks.abandonAll();
  }

  private onAssign(assign: TaskAssign, from: string): void {
    const key = `${from}:${resultKey(assign.workflowId, assign.taskId, assign.attempt)}`;
    if (this.seenAssignments.has(key)) return;
    this.seenAssignments.add(key);
    const parent = remoteParent(assign.parent);
    if (this.running < this.maxConcurrent) {
      void this.execute(assign, from, parent);
      return;
    }
    const queueSpan = this.spans.start(SPAN.queue, parent, {
      [ATTR.coordinationKind]: 'queueing',
      [ATTR.agentName]: this.spec.name,
      [ATTR.taskId]: assign.taskId,
    });
    this.queue.push({ assign, from, queueSpan });
  }

  private async execute(assign: TaskAssign, supervisor: string, parent: Span): Promise<void> {
    const epoch = this.epoch;
    this.running++;
    const inputs = this.receiver.inputsFor(assign.workflowId, assign.taskId);
    const span = this.spans.start(`${SPAN.agent} ${this.spec.name}`, parent, {
      [ATTR.operationName]: 'invoke_agent',
      [ATTR.agentName]: this.spec.name,
      [ATTR.workflowId]: assign.workflowId,
      [ATTR.taskId]: assign.taskId,
      [ATTR.attempt]: assign.attempt,
    });
    this.env.observer.record({ type: 'task.started', workflowId: assign.workflowId, taskId: assign.taskId, agent: this.spec.name, attempt: assign.attempt, spanId: span.spanContext().spanId });
    const state = await this.memory.read<WorkflowStateContent>(assign.workflowId, WORKFLOW_STATE_ID, {
      reader: this.spec.name,
      workflowId: assign.workflowId,
      taskId: assign.taskId,
      epochRequired: assign.epochRequired,
    });
    if (epoch !== this.epoch) return;
    const reused = this.design.idempotencyKeys && state.ok && state.fragment.content.data.effects[assign.taskId] !== undefined;
    const work = reused ? reusedWork(assign) : await this.perform(assign, inputs);
    if (epoch !== this.epoch) return;
    this.spans.end(span, { [ATTR.inputTokens]: work.inputTokens, [ATTR.outputTokens]: work.outputTokens, [ATTR.taskReused]: reused }, work.ok ? undefined : work.error);
    const result: TaskResult = {
      workflowId: assign.workflowId,
      taskId: assign.taskId,
      attempt: assign.attempt,
      agent: this.spec.name,
      status: work.ok ? 'completed' : 'failed',
      error: work.ok ? undefined : work.error,
      handoffs: [],
      usage: { inputTokens: work.inputTokens, outputTokens: work.outputTokens },
    };
    if (work.ok) {
      const done = await this.completeWork(assign, inputs, work, parent, epoch, result);
      if (!done) return;
    }
    this.running--;
    this.startQueued();
    await this.reportResult(result, supervisor, epoch);
  }

  /** Runs the behaviour within the context window and the attempt's token budget. */
  private async perform(assign: TaskAssign, inputs: HandoffEnvelope[]): Promise<WorkResult> {
    const contextTokens = inputs.reduce((sum, input) => sum + input.metadata.contextTokens, 0);
    const window = this.spec.contextWindowTokens;
    if (window !== undefined && contextTokens > window) {
      this.env.observer.record({ type: 'context.overflow', workflowId: assign.workflowId, taskId: assign.taskId, agent: this.spec.name, contextTokens, windowTokens: window });
    }
    const work = await this.behaviour.perform({ agent: this.spec.name, workflowId: assign.workflowId, taskId: assign.taskId, attempt: assign.attempt, task: assign.task, inputs });
    if (assign.tokensMax === undefined || work.inputTokens + work.outputTokens <= assign.tokensMax) return work;
    // The attempt's token budget works like a model's max_tokens: output is cut at the limit.
    if (work.inputTokens >= assign.tokensMax) return { ok: false, error: 'budget_exceeded', inputTokens: assign.tokensMax, outputTokens: 0 };
    return { ...work, outputTokens: assign.tokensMax - work.inputTokens };
  }

  /** Commits the effect and hands off; false when the node crashed meanwhile. */
  private async completeWork(assign: TaskAssign, inputs: HandoffEnvelope[], work: Work, parent: Span, epoch: number, result: TaskResult): Promise<boolean> {
    let commit: Awaited<ReturnType<typeof commitTaskEffect>>;
    try {
      commit = await commitTaskEffect(
        this.memory,
        { workflowId: assign.workflowId, taskId: assign.taskId, attempt: assign.attempt, agent: this.spec.name, findings: work.findings, confidence: 1, nowUs: this.env.clock.nowUs() },
        this.design.idempotencyKeys,
      );
    } catch (error) {
      // The store kept failing: the attempt fails (transient, the supervisor retries).
      result.status = 'failed';
      result.error = `memory write unavailable: ${error instanceof Error ? error.message : String(error)}`;
      return epoch === this.epoch;
    }
    if (epoch !== this.epoch) return false;
    if (commit.committed) {
      this.env.observer.record({ type: 'task.effect.committed', workflowId: assign.workflowId, taskId: assign.taskId, attempt: assign.attempt, agent: this.spec.name, version: commit.version });
    }
    result.effectVersion = commit.version;
    const outcomes = await Promise.all(
      assign.routes.map(async (route) => {
        const body = this.buildEnvelope(assign, route.targetTaskId, inputs, work);
        const sent = await this.sender.send(body, route, parent, epoch);
        return sent === undefined ? undefined : { targetTaskId: route.targetTaskId, handoffId: body.handoffId, outcome: sent.outcome, acceptedBy: sent.acceptedBy };
      }),
    );
    if (epoch !== this.epoch) return false;
    for (const entry of outcomes) if (entry !== undefined) result.handoffs.push(entry);
    return true;
  }

  private startQueued(): void {
    const next = this.queue.shift();
    if (!next) return;
    this.spans.end(next.queueSpan);
    void this.execute(next.assign, next.from, remoteParent(next.assign.parent));
  }

  /** Sends the result until the supervisor acknowledges it (at-least-once). */
  private async reportResult(result: TaskResult, supervisor: string, epoch: number): Promise<void> {
    const sendsMax = this.options.resultSendsMax ?? DEFAULT_RESULT_SENDS_MAX;
    const timeoutMs = this.options.resultAckTimeoutMs ?? DEFAULT_RESULT_ACK_TIMEOUT_MS;
    const key = resultKey(result.workflowId, result.taskId, result.attempt);
    for (let send = 1; send <= sendsMax; send++) {
      this.env.transport.send({ from: this.spec.name, to: supervisor, kind: MSG.taskResult, body: result });
      const ack = await this.resultAcks.wait(key, timeoutMs);
      if (epoch !== this.epoch || ack !== 'timeout') return;
    }
  }

  private buildEnvelope(assign: TaskAssign, targetTaskId: string, inputs: HandoffEnvelope[], work: Work): UnsealedEnvelope {
    const priorSteps = inputs.flatMap((input) => input.execution.stepsCompleted);
    const priorDecisions = inputs.flatMap((input) => input.execution.decisionsMade);
    const version = this.emittedVersion ?? this.spec.emitsSchemaVersion ?? ENVELOPE_SCHEMA_VERSION;
    return {
      handoffId: `${assign.workflowId}/${assign.taskId}->${targetTaskId}`,
      workflowId: assign.workflowId,
      sourceTaskId: assign.taskId,
      targetTaskId,
      task: assign.task,
      execution: {
        stepsCompleted: [...priorSteps, { stepId: assign.taskId, agentId: this.spec.name, action: assign.taskId, result: work.summary }],
        currentProgress: priorSteps.length + 1,
        partialResults: [work.summary],
        decisionsMade: [...priorDecisions, ...work.decisions],
      },
      reasoning: {
        keyFindings: work.findings,
        assumptions: [],
        uncertainties: [],
        recommendations: [],
        ...(version >= 2 ? { reasoningTrace: [`${this.spec.name}: ${assign.taskId}`] } : {}),
      },
      memory: { sharedFragmentIds: [...new Set(inputs.flatMap((input) => input.memory.sharedFragmentIds))] },
      metadata: {
        schemaVersion: version,
        sourceAgentId: this.spec.name,
        handoffTimestampUs: this.env.clock.nowUs(),
        contextTokens: work.outputTokens + inputs.reduce((sum, input) => sum + input.metadata.contextTokens, 0),
      },
    };
  }
}

/** The result of a retry whose effect the store already holds: nothing is run again. */
function reusedWork(assign: TaskAssign): Work {
  return { ok: true, summary: `${assign.taskId}: effect reused`, findings: [], decisions: [], inputTokens: 0, outputTokens: 0 };
}

function resultKey(workflowId: string, taskId: string, attempt: number): string {
  return `${workflowId}/${taskId}#${attempt}`;
}

/** A non-recording span standing for the remote parent carried in a message. */
function remoteParent(carried: CarriedSpanContext): Span {
  return trace.wrapSpanContext({ traceId: carried.traceId, spanId: carried.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
}
