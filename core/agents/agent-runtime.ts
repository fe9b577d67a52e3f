import { trace, TraceFlags, type Span } from '@opentelemetry/api';
import type { Env } from '../env/env.js';
import type { Message } from '../env/transport.js';
import { ATTR, SPAN } from '../telemetry/attributes.js';
import { SpanClock } from '../telemetry/virtual-spans.js';
import { ENVELOPE_SCHEMA_VERSION, sealEnvelope, verifyEnvelope, type HandoffEnvelope } from '../handoff/envelope.js';
import { HandoffSender } from '../handoff/handoff-sender.js';
import type { HandoffPolicy } from '../handoff/handoff-policy.js';
import { ReplyWaiter } from '../resilience/reply-wait.js';
import { MSG, type CarriedSpanContext, type HandoffOffer, type HandoffReply, type TaskAssign, type TaskResult, type TaskResultAck } from '../supervisor/protocol.js';
import type { AgentBehaviour, AgentSpec, WorkResult } from './types.js';

/** How long an agent waits for the supervisor to acknowledge a result. Default 1,000 ms. */
export const DEFAULT_RESULT_ACK_TIMEOUT_MS = 1_000;
/** Times an agent re-sends a result before giving up. Default 8. */
export const DEFAULT_RESULT_SENDS_MAX = 8;

/** Options of an agent runtime. */
export interface AgentRuntimeOptions {
  supervisor: string;
  handoff: HandoffPolicy;
  resultAckTimeoutMs?: number;
  resultSendsMax?: number;
}

/**
 * An agent as a node: takes task assignments from the supervisor, runs its
 * behaviour (at most `maxConcurrent` at once, the rest queued), hands the output
 * off to the agents of the successor tasks, and reports the result.
 *
 * Durable state (survives a crash): accepted handoffs (the inbox). Volatile
 * state (lost at crash): running and queued work, pending ACK waits.
 */
export class AgentRuntime {
  private readonly spans: SpanClock;
  private readonly sender: HandoffSender;
  private readonly resultAcks: ReplyWaiter<TaskResultAck>;
  private readonly maxConcurrent: number;
  private readonly accepts: number[];
  /** Incremented at each crash; work started in an older epoch is dropped. */
  private epoch = 0;
  private running = 0;
  private queue: { assign: TaskAssign; queueSpan: Span }[] = [];
  private seenAssignments = new Set<string>();
  /** Durable: accepted envelopes by `${workflowId}/${targetTaskId}`. */
  private inbox = new Map<string, Map<string, HandoffEnvelope>>();

  constructor(
    private readonly env: Env,
    private readonly spec: AgentSpec,
    private readonly behaviour: AgentBehaviour,
    private readonly options: AgentRuntimeOptions,
  ) {
    this.spans = new SpanClock(env.tracer, env.clock);
    this.maxConcurrent = spec.maxConcurrent ?? 1;
    this.accepts = spec.acceptsSchemaVersions ?? [ENVELOPE_SCHEMA_VERSION];
    this.sender = new HandoffSender(env, this.spans, spec.name, options.handoff, (epoch) => epoch === this.epoch);
    this.resultAcks = new ReplyWaiter(env.clock);
    env.transport.listen(spec.name, (message) => this.onMessage(message), {
      onCrash: () => this.onCrash(),
    });
  }

  get name(): string {
    return this.spec.name;
  }

  private onMessage(message: Message): void {
    switch (message.kind) {
      case MSG.taskAssign:
        return this.onAssign(message.body as TaskAssign);
      case MSG.handoffOffer:
        return this.onOffer(message.from, message.body as HandoffOffer);
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

  private onAssign(assign: TaskAssign): void {
    const key = resultKey(assign.workflowId, assign.taskId, assign.attempt);
    if (this.seenAssignments.has(key)) return;
    this.seenAssignments.add(key);
    const parent = remoteParent(assign.parent);
    if (this.running < this.maxConcurrent) {
      void this.execute(assign, parent);
      return;
    }
    const queueSpan = this.spans.start(SPAN.queue, parent, {
      [ATTR.coordinationKind]: 'queueing',
      [ATTR.agentName]: this.spec.name,
      [ATTR.taskId]: assign.taskId,
    });
    this.queue.push({ assign, queueSpan });
  }

  private onOffer(from: string, offer: HandoffOffer): void {
    const envelope = offer.envelope;
    const rejection = verifyEnvelope(envelope, this.accepts);
    const reply: HandoffReply = { handoffId: envelope.handoffId, accepted: rejection === undefined, reason: rejection };
    if (rejection === undefined) {
      const key = `${envelope.workflowId}/${envelope.targetTaskId}`;
      let accepted = this.inbox.get(key);
      if (!accepted) this.inbox.set(key, (accepted = new Map()));
      if (!accepted.has(envelope.handoffId)) {
        accepted.set(envelope.handoffId, envelope);
        this.env.observer.record({
          type: 'handoff.accepted',
          workflowId: envelope.workflowId,
          handoffId: envelope.handoffId,
          checksumOk: true,
          schemaVersion: envelope.metadata.schemaVersion,
        });
      }
    }
    this.env.transport.send({ from: this.spec.name, to: from, kind: MSG.handoffReply, body: reply });
  }

  private async execute(assign: TaskAssign, parent: Span): Promise<void> {
    const epoch = this.epoch;
    this.running++;
    const inputs = [...(this.inbox.get(`${assign.workflowId}/${assign.taskId}`)?.values() ?? [])];
    const span = this.spans.start(`${SPAN.agent} ${this.spec.name}`, parent, {
      [ATTR.operationName]: 'invoke_agent',
      [ATTR.agentName]: this.spec.name,
      [ATTR.workflowId]: assign.workflowId,
      [ATTR.taskId]: assign.taskId,
      [ATTR.attempt]: assign.attempt,
    });
    this.env.observer.record({
      type: 'task.started',
      workflowId: assign.workflowId,
      taskId: assign.taskId,
      agent: this.spec.name,
      attempt: assign.attempt,
      spanId: span.spanContext().spanId,
    });
    const work = await this.behaviour.perform({
      agent: this.spec.name,
      workflowId: assign.workflowId,
      taskId: assign.taskId,
      attempt: assign.attempt,
      task: assign.task,
      inputs,
    });
    if (epoch !== this.epoch) return;
    const usage = { [ATTR.inputTokens]: work.inputTokens, [ATTR.outputTokens]: work.outputTokens };
    this.spans.end(span, usage, work.ok ? undefined : work.error);
    const result: TaskResult = {
      workflowId: assign.workflowId,
      taskId: assign.taskId,
      attempt: assign.attempt,
      agent: this.spec.name,
      status: work.ok ? 'completed' : 'failed',
      error: work.ok ? undefined : work.error,
      handoffs: [],
    };
    if (work.ok) {
      const outcomes = await Promise.all(
        assign.routes.map(async (route) => {
          const envelope = this.buildEnvelope(assign, route.targetTaskId, inputs, work);
          const outcome = await this.sender.send(envelope, route.targetAgent, parent, epoch);
          return { targetTaskId: route.targetTaskId, handoffId: envelope.handoffId, outcome };
        }),
      );
      if (epoch !== this.epoch) return;
      for (const entry of outcomes) {
        if (entry.outcome !== undefined) result.handoffs.push({ ...entry, outcome: entry.outcome });
      }
    }
    this.running--;
    this.startQueued();
    await this.reportResult(result, epoch);
  }

  private startQueued(): void {
    const next = this.queue.shift();
    if (!next) return;
    this.spans.end(next.queueSpan);
    void this.execute(next.assign, remoteParent(next.assign.parent));
  }

  /** Sends the result until the supervisor acknowledges it (at-least-once). */
  private async reportResult(result: TaskResult, epoch: number): Promise<void> {
    const sendsMax = this.options.resultSendsMax ?? DEFAULT_RESULT_SENDS_MAX;
    const timeoutMs = this.options.resultAckTimeoutMs ?? DEFAULT_RESULT_ACK_TIMEOUT_MS;
    const key = resultKey(result.workflowId, result.taskId, result.attempt);
    for (let send = 1; send <= sendsMax; send++) {
      this.env.transport.send({ from: this.spec.name, to: this.options.supervisor, kind: MSG.taskResult, body: result });
      const ack = await this.resultAcks.wait(key, timeoutMs);
      if (epoch !== this.epoch || ack !== 'timeout') return;
    }
  }

  private buildEnvelope(assign: TaskAssign, targetTaskId: string, inputs: HandoffEnvelope[], work: Extract<WorkResult, { ok: true }>): HandoffEnvelope {
    const priorSteps = inputs.flatMap((input) => input.execution.stepsCompleted);
    const priorDecisions = inputs.flatMap((input) => input.execution.decisionsMade);
    return sealEnvelope({
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
      reasoning: { keyFindings: work.findings, assumptions: [], uncertainties: [], recommendations: [] },
      memory: { sharedFragmentIds: [] },
      metadata: {
        schemaVersion: this.spec.emitsSchemaVersion ?? ENVELOPE_SCHEMA_VERSION,
        sourceAgentId: this.spec.name,
        handoffTimestampUs: this.env.clock.nowUs(),
        contextTokens: work.outputTokens + inputs.reduce((sum, input) => sum + input.metadata.contextTokens, 0),
      },
    });
  }
}

function resultKey(workflowId: string, taskId: string, attempt: number): string {
  return `${workflowId}/${taskId}#${attempt}`;
}

/** A non-recording span standing for the remote parent carried in a message. */
function remoteParent(carried: CarriedSpanContext): Span {
  return trace.wrapSpanContext({ traceId: carried.traceId, spanId: carried.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
}
