import type { Span } from '@opentelemetry/api';
import { nodeClock, type Env } from '../env/env.js';
import type { Clock } from '../env/clock.js';
import type { HandoffPhase } from '../env/observer.js';
import type { ResolvedDesignPolicies } from '../policies/design-policies.js';
import { ATTR, EVENT, SPAN, type HandoffOutcome } from '../telemetry/attributes.js';
import type { SpanClock } from '../telemetry/virtual-spans.js';
import { ReplyWaiter } from '../resilience/reply-wait.js';
import { backoffDelayMs } from '../resilience/backoff.js';
import { SharedMemory } from '../memory/shared-memory.js';
import { MSG, type HandoffReply, type HandoffRoute } from '../supervisor/protocol.js';
import { envelopeBytes, sealEnvelope, type HandoffEnvelope, type UnsealedEnvelope } from './envelope.js';
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_HANDOFF_ATTEMPTS_MAX, HANDOFF_RECOVERIES_MAX, type HandoffPolicy } from './handoff-policy.js';
import { contextFragmentId, prepareEnvelope, recoverFromNack } from './handoff-preparation.js';
import { rollBackContext } from './handoff-rollback.js';
import { HandoffRecords } from './handoff-record.js';
import { CheckpointStore } from './checkpoint-store.js';

/** How a handoff ended, and which agent took it. */
export interface HandoffSendResult {
  outcome: HandoffOutcome;
  acceptedBy?: string;
  reason?: string;
}

/** One handoff in flight on the source. */
interface Flight {
  envelope: HandoffEnvelope;
  body: UnsealedEnvelope;
  route: HandoffRoute;
  span: Span;
  epoch: number;
  checkpointKey: string;
  /** Unique per send (`node#epoch#n`): only this send's record is rolled back by it. */
  token: string;
  /** Offers published so far, to every target tried: the handoff span's `baton.handoff.attempt`. */
  attempts: number;
}

/**
 * Source side of a handoff. `two-phase`: checkpoint, validate (fallback
 * schema), compress/write context, record `preparing`, publish and wait for
 * ACK/NACK with exponential backoff and jitter, recover per NACK reason, move
 * to a backup agent when the target stays silent, roll back on failure.
 * `direct`: publish once and assume success (fire-and-forget, naive).
 * The handoff id stays the same across attempts so the target deduplicates.
 */
export class HandoffSender {
  /** This node's clock: ACK timeouts and backoff are measured on it (skew and drift apply). */
  private readonly timers: Clock;
  private readonly replies: ReplyWaiter<HandoffReply>;
  private readonly records: HandoffRecords;
  private readonly checkpoints: CheckpointStore;
  /** Two-phase handoffs prepared and not finished. Durable (kept across a crash) so a restart can roll them back. */
  private readonly inFlight = new Map<string, { workflowId: string; fragmentIds: string[]; preparedBy: string }>();
  private sends = 0;

  constructor(
    private readonly env: Env,
    private readonly spans: SpanClock,
    private readonly node: string,
    private readonly policy: HandoffPolicy,
    private readonly design: ResolvedDesignPolicies,
    private readonly memory: SharedMemory,
    private readonly isCurrent: (epoch: number) => boolean,
  ) {
    this.timers = nodeClock(env, node);
    this.replies = new ReplyWaiter(this.timers);
    this.records = new HandoffRecords(env.storage, env.clock);
    this.checkpoints = new CheckpointStore(env, spans);
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
   * Hands `body` off along `route` under `parent`. Resolves with the outcome,
   * or undefined when the node crashed meanwhile (epoch changed). Two-phase
   * writes the `preparing` record first, so every later crash point leaves a
   * record that the supervisor or this node's restart can roll back.
   */
  async send(body: UnsealedEnvelope, route: HandoffRoute, parent: Span, epoch: number): Promise<HandoffSendResult | undefined> {
    const span = this.spans.start(`${SPAN.handoff} ${this.node} -> ${route.targetAgent}`, parent, {
      [ATTR.handoffId]: body.handoffId,
      [ATTR.handoffSource]: this.node,
      [ATTR.handoffTarget]: route.targetAgent,
      [ATTR.workflowId]: body.workflowId,
      [ATTR.taskId]: body.targetTaskId,
      [ATTR.handoffProtocol]: this.design.handoffProtocol,
    });
    if (this.design.handoffProtocol === 'direct') {
      this.recordPrepared(body, route, span);
      const prepared = await prepareEnvelope(this.env, this.memory, this.design, body, route, this.node);
      if (!this.isCurrent(epoch)) return undefined;
      if (prepared.fragmentIds.length > 0) this.phase(body, route.targetAgent, 'context-written');
      this.describe(span, prepared.envelope);
      return this.sendDirect(prepared.envelope, route, span);
    }
    const checkpointKey = `checkpoints/${body.handoffId}`;
    const token = `${this.node}#${epoch}#${++this.sends}`;
    const fragmentIds = this.design.contextForwarding === 'summary+pointer' ? [contextFragmentId(body)] : [];
    const recorded = await this.records.prepare(body.handoffId, {
      source: this.node,
      target: route.targetAgent,
      sourceTaskId: body.sourceTaskId,
      checkpointKey,
      fragmentIds,
      preparedBy: token,
    });
    if (!this.isCurrent(epoch)) return undefined;
    if (recorded.status === 'unavailable') {
      // Without its durable record a two-phase handoff cannot be recovered: it does not start.
      this.spans.end(span, { [ATTR.handoffAttempt]: 0, [ATTR.handoffOutcome]: 'failed', [ATTR.handoffPhase]: 'preparing' }, 'record_unavailable');
      return { outcome: 'failed', reason: 'record_unavailable' };
    }
    if (recorded.status === 'accepted') {
      // Already handed off by an earlier attempt of the source task: idempotent, nothing to send.
      const acceptedBy = recorded.record?.acceptedBy ?? route.targetAgent;
      this.spans.end(span, { [ATTR.handoffAttempt]: 0, [ATTR.handoffOutcome]: 'accepted', [ATTR.handoffPhase]: 'accepted', [ATTR.handoffAcceptedBy]: acceptedBy });
      return { outcome: 'accepted', acceptedBy };
    }
    this.inFlight.set(body.handoffId, { workflowId: body.workflowId, fragmentIds, preparedBy: token });
    this.recordPrepared(body, route, span);
    await this.checkpoints.save(checkpointKey, { body }, span, `before handoff ${body.handoffId}`);
    if (!this.isCurrent(epoch)) return undefined;
    this.phase(body, route.targetAgent, 'checkpointed');
    const prepared = await prepareEnvelope(this.env, this.memory, this.design, body, route, this.node);
    if (!this.isCurrent(epoch)) return undefined;
    if (prepared.fragmentIds.length > 0) this.phase(body, route.targetAgent, 'context-written');
    this.describe(span, prepared.envelope);
    const flight: Flight = { envelope: prepared.envelope, body: prepared.body, route, span, epoch, checkpointKey, token, attempts: 0 };
    const result = await this.exchange(flight);
    if (result === undefined) return undefined;
    const finished = await this.finish(flight, result);
    if (finished !== undefined) this.inFlight.delete(body.handoffId);
    return finished;
  }

  /**
   * After a restart: every two-phase handoff this node had in flight and that
   * is still `preparing` (prepared by the crashed run) is rolled back and its
   * context deleted — the source-side half of "if preparing, restore from checkpoint".
   */
  async recoverAfterRestart(): Promise<void> {
    const entries = [...this.inFlight];
    this.inFlight.clear();
    for (const [handoffId, entry] of entries) {
      const settled = await this.records.settle(handoffId, 'rolled_back', { reason: 'source_crashed' }, entry.preparedBy);
      // Also when the crashed run's own rollback write landed but it died before recording it.
      const ownRollback = settled.status === 'rolled_back' && settled.record?.preparedBy === entry.preparedBy;
      if (settled.moved || ownRollback) await rollBackContext(this.env, entry.workflowId, handoffId, entry.fragmentIds, 'source_crashed');
    }
  }

  private recordPrepared(body: UnsealedEnvelope, route: HandoffRoute, span: Span): void {
    this.env.observer.record({ type: 'handoff.prepared', workflowId: body.workflowId, handoffId: body.handoffId, source: this.node, target: route.targetAgent, spanId: span.spanContext().spanId });
  }

  private describe(span: Span, envelope: HandoffEnvelope): void {
    span.setAttributes({
      [ATTR.handoffSchemaVersion]: envelope.metadata.schemaVersion,
      [ATTR.handoffContextBytes]: envelopeBytes(envelope),
      [ATTR.handoffContextTokens]: envelope.metadata.contextTokens,
      [ATTR.handoffCompressed]: envelope.metadata.compressed ?? false,
    });
  }

  /** Naive: one publish, no ACK wait, success assumed. */
  private sendDirect(envelope: HandoffEnvelope, route: HandoffRoute, span: Span): HandoffSendResult {
    this.env.transport.send({ from: this.node, to: route.targetAgent, kind: MSG.handoffOffer, body: { envelope, protocol: 'direct' } });
    this.phase(envelope, route.targetAgent, 'published');
    this.spans.end(span, { [ATTR.handoffOutcome]: 'accepted', [ATTR.handoffAttempt]: 1, [ATTR.handoffPhase]: 'published' });
    return { outcome: 'accepted', acceptedBy: route.targetAgent };
  }

  /** Publishes to the target, then to each backup agent, until ACK, final NACK or exhaustion. */
  private async exchange(flight: Flight): Promise<HandoffSendResult | undefined> {
    const targets = [flight.route.targetAgent, ...(flight.route.backupAgents ?? [])];
    let last: HandoffSendResult = { outcome: 'failed', reason: 'ack-timeout' };
    for (const target of targets) {
      const result = await this.exchangeWith(flight, target);
      if (result === undefined) return undefined;
      last = result;
      if (result.outcome !== 'failed' || result.reason !== 'ack-timeout') return result;
      this.spans.event(flight.span, EVENT.handoffTargetUnavailable, { [ATTR.handoffTarget]: target });
    }
    return last;
  }

  private async exchangeWith(flight: Flight, target: string): Promise<HandoffSendResult | undefined> {
    const attemptsMax = this.policy.attemptsMax ?? DEFAULT_HANDOFF_ATTEMPTS_MAX;
    const ackTimeoutMs = this.policy.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    const backoffStream = this.env.random.stream(`backoff/${this.node}`);
    let recoveries = 0;
    for (let attempt = 1; attempt <= attemptsMax; attempt++) {
      flight.attempts++;
      const attemptSpan = this.spans.start(SPAN.handoffAttempt, flight.span, {
        [ATTR.coordinationKind]: 'handoff',
        [ATTR.handoffId]: flight.envelope.handoffId,
        [ATTR.handoffAttempt]: attempt,
        [ATTR.handoffTarget]: target,
        [ATTR.handoffPhase]: 'publish',
      });
      this.env.transport.send({ from: this.node, to: target, kind: MSG.handoffOffer, body: { envelope: flight.envelope, protocol: 'two-phase' } });
      this.phase(flight.envelope, target, 'published');
      const reply = await this.replies.wait(flight.envelope.handoffId, ackTimeoutMs);
      if (!this.isCurrent(flight.epoch)) return undefined;
      if (reply !== 'timeout' && reply.accepted) {
        this.spans.end(attemptSpan, { [ATTR.outcome]: 'ack' });
        this.phase(flight.envelope, target, 'ack-received');
        return { outcome: 'accepted', acceptedBy: target };
      }
      if (reply !== 'timeout') {
        this.spans.end(attemptSpan, { [ATTR.outcome]: 'nack' }, reply.reason ?? 'nack');
        const reason = reply.reason ?? 'nack';
        if (reason === 'rolled-back') return { outcome: 'rolled_back', reason };
        if (recoveries >= HANDOFF_RECOVERIES_MAX) return { outcome: 'rejected', reason };
        recoveries++;
        const recovered = await recoverFromNack(this.checkpoints, flight.checkpointKey, flight.body, reason, flight.route);
        if (!this.isCurrent(flight.epoch)) return undefined;
        if (recovered === undefined) return { outcome: 'rejected', reason };
        this.spans.event(flight.span, EVENT.handoffRecovery, { [ATTR.handoffNackReason]: reason, [ATTR.handoffRecovery]: recovered.recovery });
        flight.body = recovered.body;
        flight.envelope = sealEnvelope(recovered.body);
        continue;
      }
      this.spans.end(attemptSpan, { [ATTR.outcome]: 'timeout' }, 'ack_timeout');
      if (attempt < attemptsMax) {
        const backoffSpan = this.spans.start(SPAN.backoff, flight.span, { [ATTR.coordinationKind]: 'retry', [ATTR.attempt]: attempt });
        await this.timers.sleepMs(backoffDelayMs(this.policy.backoff ?? {}, attempt, backoffStream));
        this.spans.end(backoffSpan);
        if (!this.isCurrent(flight.epoch)) return undefined;
      }
    }
    return { outcome: 'failed', reason: 'ack-timeout' };
  }

  /** Ends the handoff: success as is; failure rolls the record back and deletes the context. */
  private async finish(flight: Flight, result: HandoffSendResult): Promise<HandoffSendResult | undefined> {
    const { envelope, span } = flight;
    if (result.outcome === 'accepted') {
      this.spans.end(span, { [ATTR.handoffAttempt]: flight.attempts, [ATTR.handoffOutcome]: 'accepted', [ATTR.handoffPhase]: 'accepted', [ATTR.handoffAcceptedBy]: result.acceptedBy ?? '' });
      return result;
    }
    const reason = result.reason ?? result.outcome;
    if (!this.isCurrent(flight.epoch)) return undefined;
    const settled = await this.records.settle(envelope.handoffId, 'rolled_back', { reason }, flight.token);
    if (!this.isCurrent(flight.epoch)) return undefined;
    if (settled.status === 'preparing' && settled.record !== undefined && settled.record.preparedBy !== flight.token) {
      // A newer send of the same handoff (a retried source task) owns the record now; it closes the handoff.
      this.spans.end(span, { [ATTR.handoffAttempt]: flight.attempts, [ATTR.handoffOutcome]: 'rolled_back', [ATTR.handoffPhase]: 'superseded' }, reason);
      return { outcome: 'rolled_back', reason: 'superseded' };
    }
    if (settled.status === 'accepted') {
      // The target accepted and its ACK was lost: "accepted but source unaware, proceed normally".
      this.spans.end(span, { [ATTR.handoffAttempt]: flight.attempts, [ATTR.handoffOutcome]: 'accepted', [ATTR.handoffPhase]: 'accepted' });
      return { outcome: 'accepted', acceptedBy: settled.record?.acceptedBy ?? flight.route.targetAgent };
    }
    // Rolled back here, or already by the supervisor (which recorded it).
    if (settled.moved || settled.status !== 'rolled_back') {
      await rollBackContext(this.env, envelope.workflowId, envelope.handoffId, settled.record?.fragmentIds ?? envelope.memory.sharedFragmentIds, reason);
    }
    this.spans.end(span, { [ATTR.handoffAttempt]: flight.attempts, [ATTR.handoffOutcome]: 'rolled_back', [ATTR.handoffPhase]: 'rolled_back' }, reason);
    return { outcome: 'rolled_back', reason };
  }

  private phase(envelope: { workflowId: string; handoffId: string }, target: string, phase: HandoffPhase): void {
    this.env.observer.record({ type: 'handoff.phase', workflowId: envelope.workflowId, handoffId: envelope.handoffId, phase, source: this.node, target });
  }
}
