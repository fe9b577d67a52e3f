import type { Span } from '@opentelemetry/api';
import type { Env } from '../env/env.js';
import { ATTR, SPAN, type HandoffOutcome } from '../telemetry/attributes.js';
import type { SpanClock } from '../telemetry/virtual-spans.js';
import { ReplyWaiter } from '../resilience/reply-wait.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import { envelopeBytes, type HandoffEnvelope } from './envelope.js';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_HANDOFF_ATTEMPTS_MAX, type HandoffPolicy } from './handoff-policy.js';
import { MSG, type HandoffReply } from '../supervisor/protocol.js';

/**
 * Source side of a handoff: sends the sealed envelope to the target agent and
 * waits for ACK/NACK, retrying on timeout with exponential backoff and jitter.
 * The handoff id stays the same across attempts so the target deduplicates.
 */
export class HandoffSender {
  private replies: ReplyWaiter<HandoffReply>;

  constructor(
    private readonly env: Env,
    private readonly spans: SpanClock,
    private readonly node: string,
    private readonly policy: HandoffPolicy,
    private readonly isCurrent: (epoch: number) => boolean,
  ) {
    this.replies = new ReplyWaiter(env.clock);
  }

  /** Routes a reply from the target to the waiting attempt. */
  onReply(reply: HandoffReply): void {
    this.replies.deliver(reply.handoffId, reply);
  }

  /** The node crashed: in-flight handoffs are abandoned. */
  abandonAll(): void {
    this.replies.abandonAll();
  }

  /**
   * Hands `envelope` off to `targetAgent` under `parent`. Resolves with the
   * outcome, or undefined when the node crashed meanwhile (epoch changed).
   */
  async send(envelope: HandoffEnvelope, targetAgent: string, parent: Span, epoch: number): Promise<HandoffOutcome | undefined> {
    const attemptsMax = this.policy.attemptsMax ?? DEFAULT_HANDOFF_ATTEMPTS_MAX;
    const ackTimeoutMs = this.policy.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    const backoffStream = this.env.random.stream(`backoff/${this.node}`);
    const span = this.spans.start(`${SPAN.handoff} ${this.node} -> ${targetAgent}`, parent, {
      [ATTR.handoffId]: envelope.handoffId,
      [ATTR.handoffSource]: this.node,
      [ATTR.handoffTarget]: targetAgent,
      [ATTR.workflowId]: envelope.workflowId,
      [ATTR.taskId]: envelope.targetTaskId,
      [ATTR.handoffSchemaVersion]: envelope.metadata.schemaVersion,
      [ATTR.handoffContextBytes]: envelopeBytes(envelope),
      [ATTR.handoffContextTokens]: envelope.metadata.contextTokens,
    });
    this.env.observer.record({
      type: 'handoff.prepared',
      workflowId: envelope.workflowId,
      handoffId: envelope.handoffId,
      source: this.node,
      target: targetAgent,
      spanId: span.spanContext().spanId,
    });
    let outcome: HandoffOutcome = 'failed';
    let reason = 'ack-timeout';
    let attempt = 0;
    for (attempt = 1; attempt <= attemptsMax; attempt++) {
      const attemptSpan = this.spans.start(SPAN.handoffAttempt, span, {
        [ATTR.coordinationKind]: 'handoff',
        [ATTR.handoffId]: envelope.handoffId,
        [ATTR.handoffAttempt]: attempt,
        [ATTR.handoffPhase]: 'publish',
      });
      this.env.transport.send({ from: this.node, to: targetAgent, kind: MSG.handoffOffer, body: { envelope } });
      const reply = await this.replies.wait(envelope.handoffId, ackTimeoutMs);
      if (!this.isCurrent(epoch)) return undefined;
      if (reply === 'timeout') {
        this.spans.end(attemptSpan, { [ATTR.outcome]: 'timeout' }, 'ack_timeout');
      } else if (reply.accepted) {
        this.spans.end(attemptSpan, { [ATTR.outcome]: 'ack' });
        outcome = 'accepted';
        break;
      } else {
        this.spans.end(attemptSpan, { [ATTR.outcome]: 'nack' }, reply.reason ?? 'nack');
        outcome = 'rejected';
        reason = reply.reason ?? 'nack';
        break;
      }
      if (attempt < attemptsMax) {
        const backoffSpan = this.spans.start(SPAN.backoff, span, { [ATTR.coordinationKind]: 'retry', [ATTR.attempt]: attempt });
        await this.env.clock.sleepMs(backoffDelayMs(this.policy.backoff ?? {}, attempt, backoffStream));
        if (!this.isCurrent(epoch)) return undefined;
        this.spans.end(backoffSpan);
      }
    }
    const attempts = Math.min(attempt, attemptsMax);
    if (outcome === 'accepted') {
      this.spans.end(span, { [ATTR.handoffOutcome]: outcome, [ATTR.handoffAttempt]: attempts, [ATTR.handoffPhase]: 'accepted' });
    } else {
      this.env.observer.record({ type: 'handoff.failed', workflowId: envelope.workflowId, handoffId: envelope.handoffId, reason });
      this.spans.end(span, { [ATTR.handoffOutcome]: outcome, [ATTR.handoffAttempt]: attempts, [ATTR.handoffPhase]: 'publish' }, reason);
    }
    return outcome;
  }
}
