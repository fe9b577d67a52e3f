import type { Env } from '../env/env.js';
import type { ResolvedDesignPolicies } from '../policies/design-policies.js';
import { MSG, type HandoffOffer, type HandoffReply } from '../supervisor/protocol.js';
import { envelopeChecksum, verifyEnvelope, type HandoffEnvelope } from './envelope.js';
import { validateEnvelopeSchema } from './envelope-schemas.js';
import { HandoffRecords } from './handoff-record.js';

/**
 * Target side of a handoff. With schema validation it checks the checksum,
 * the schema version it accepts, the versioned JSON Schema and the context
 * size against its window, and NACKs with the reason; without, it takes
 * whatever arrives (naive). Two-phase offers move the handoff record to
 * `accepted` before the ACK; an offer whose record was rolled back is NACKed.
 * Accepted envelopes go to the inbox, deduplicated by handoff id; the inbox is
 * durable (it survives a crash).
 */
export class HandoffReceiver {
  private readonly inbox = new Map<string, Map<string, HandoffEnvelope>>();
  private readonly records: HandoffRecords;

  constructor(
    private readonly env: Env,
    private readonly node: string,
    private readonly acceptedVersions: readonly number[],
    private readonly design: ResolvedDesignPolicies,
    private readonly windowTokens: number | undefined,
  ) {
    this.records = new HandoffRecords(env.storage, env.clock);
  }

  /** Envelopes accepted for `(workflowId, taskId)`, in arrival order. */
  inputsFor(workflowId: string, taskId: string): HandoffEnvelope[] {
    return [...(this.inbox.get(`${workflowId}/${taskId}`)?.values() ?? [])];
  }

  /** Handles an offer from `from` and replies ACK or NACK. */
  async onOffer(from: string, offer: HandoffOffer): Promise<void> {
    const envelope = offer.envelope;
    const key = `${envelope.workflowId}/${envelope.targetTaskId}`;
    const rejection = this.design.schemaValidation ? this.check(envelope) : undefined;
    if (rejection !== undefined) return this.reply(from, { handoffId: envelope.handoffId, accepted: false, reason: rejection });
    if (this.inbox.get(key)?.has(envelope.handoffId)) {
      // A retry of a handoff already taken (its ACK was lost, or the source task was retried): ACK again.
      this.recordAccepted(this.inbox.get(key)!.get(envelope.handoffId)!);
      return this.reply(from, { handoffId: envelope.handoffId, accepted: true });
    }
    if (offer.protocol === 'two-phase') {
      const { status } = await this.records.settle(envelope.handoffId, 'accepted', { acceptedBy: this.node });
      if (status === 'rolled_back') return this.reply(from, { handoffId: envelope.handoffId, accepted: false, reason: 'rolled-back' });
      if (status === 'preparing') return; // store contended; the source will retry
    }
    let accepted = this.inbox.get(key);
    if (!accepted) this.inbox.set(key, (accepted = new Map()));
    accepted.set(envelope.handoffId, envelope);
    this.recordAccepted(envelope);
    this.reply(from, { handoffId: envelope.handoffId, accepted: true });
  }

  private recordAccepted(envelope: HandoffEnvelope): void {
    this.env.observer.record({
      type: 'handoff.accepted',
      workflowId: envelope.workflowId,
      handoffId: envelope.handoffId,
      checksumOk: isChecksumOk(envelope),
      schemaVersion: envelope.metadata?.schemaVersion,
      acceptedVersions: [...this.acceptedVersions],
      target: this.node,
    });
  }

  /** The receiver's checks, in the order of seed 000's table. */
  private check(envelope: HandoffEnvelope): string | undefined {
    const rejection = verifyEnvelope(envelope, this.acceptedVersions);
    if (rejection !== undefined) return rejection;
    const schemaError = validateEnvelopeSchema(envelope);
    if (schemaError !== undefined) return `schema-invalid: ${schemaError}`;
    // Size limits belong to the robust context policy; `full` forwarding has none (naive).
    const limited = this.design.contextForwarding !== 'full';
    if (limited && this.windowTokens !== undefined && envelope.metadata.contextTokens > this.windowTokens) return 'context-too-large';
    return undefined;
  }

  private reply(to: string, reply: HandoffReply): void {
    this.env.transport.send({ from: this.node, to, kind: MSG.handoffReply, body: reply });
  }
}

function isChecksumOk(envelope: HandoffEnvelope): boolean {
  try {
    return envelopeChecksum(envelope) === envelope.metadata.checksum;
  } catch {
    return false;
  }
}
