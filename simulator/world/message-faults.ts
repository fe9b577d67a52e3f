import type { Message } from '../../core/env/transport.js';
import { chance, sample, type Distribution, type RandomStream } from '../../core/env/random.js';
import { sealEnvelope, type HandoffEnvelope } from '../../core/handoff/envelope.js';
import { MSG, type HandoffOffer } from '../../core/supervisor/protocol.js';
import { appliesToLink, type MessageFault } from '../faults/scripted-faults.js';

/** What the active message faults decided for one message. */
export interface MessageFate {
  /** Held by this `hold` fault until it is released. */
  heldBy?: MessageFault;
  lost: boolean;
  duplicated: boolean;
  /** Extra delay (reordering), µs-free: milliseconds. */
  extraDelayMs: number;
  /** Replaces the link latency (slow link). */
  latencyMs?: Distribution;
  /** The message to deliver (a corrupted or drifted copy, or the original). */
  message: Message;
  /** Fault kinds that touched the message, for counters and span events. */
  applied: string[];
}

/**
 * Message-level faults that are active right now, and the decision for each
 * message. Draws come from the faults stream only, so turning a fault on never
 * shifts the network's latency draws. A ratio of 0 draws nothing.
 */
export class MessageFaults {
  private active: MessageFault[] = [];
  /** Envelope schema version a drifted node emits, by node. */
  private drifted = new Map<string, number>();

  constructor(private readonly stream: RandomStream) {}

  /** Starts `fault`. Precondition: not active. */
  activate(fault: MessageFault): void {
    this.active.push(fault);
  }

  /** Ends `fault`. Precondition: active. */
  deactivate(fault: MessageFault): void {
    this.active = this.active.filter((item) => item !== fault);
  }

  /** From now on `node` emits handoff envelopes of `schemaVersion` (undefined: its own again). */
  setSchemaDrift(node: string, schemaVersion: number | undefined): void {
    if (schemaVersion === undefined) this.drifted.delete(node);
    else this.drifted.set(node, schemaVersion);
  }

  /** Decides what happens to `message` on its way out. */
  decide(message: Message): MessageFate {
    const fate: MessageFate = { lost: false, duplicated: false, extraDelayMs: 0, message, applied: [] };
    const drift = this.drifted.get(message.from);
    if (drift !== undefined && message.kind === MSG.handoffOffer) {
      fate.message = driftedOffer(message, drift);
      fate.applied.push('schema_drift');
    }
    for (const fault of this.active) {
      if (!appliesToLink(fault, message.from, message.to)) continue;
      switch (fault.kind) {
        case 'hold':
          fate.heldBy ??= fault;
          break;
        case 'loss':
          if (!fate.lost && chance(fault.lossRatio, this.stream)) (fate.lost = true), fate.applied.push('message_loss');
          break;
        case 'duplicate':
          if (!fate.duplicated && chance(fault.duplicateRatio, this.stream)) (fate.duplicated = true), fate.applied.push('message_duplicate');
          break;
        case 'reorder':
          if (chance(fault.reorderRatio, this.stream)) {
            fate.extraDelayMs += fault.reorderDelayMsMax * this.stream.next();
            fate.applied.push('message_reorder');
          }
          break;
        case 'slow-link':
          fate.latencyMs = fault.latencyMs;
          break;
        case 'corrupt':
          if (message.kind === MSG.handoffOffer && chance(fault.corruptRatio, this.stream)) {
            fate.message = corruptedOffer(fate.message);
            fate.applied.push('message_corrupt');
          }
          break;
      }
    }
    return fate;
  }

  /** Latency of a message under its fate: the slow-link distribution or the link's. */
  latencyMs(fate: MessageFate, linkLatencyMs: Distribution, linkStream: RandomStream): number {
    return sample(fate.latencyMs ?? linkLatencyMs, linkStream) + fate.extraDelayMs;
  }
}

/** A copy of a handoff offer whose envelope was re-sealed at another schema version (an upgraded sender). */
function driftedOffer(message: Message, schemaVersion: number): Message {
  const offer = message.body as HandoffOffer;
  const { checksum: _old, ...metadata } = offer.envelope.metadata;
  const envelope = sealEnvelope({ ...offer.envelope, metadata: { ...metadata, schemaVersion } });
  return { ...message, body: { ...offer, envelope } };
}

/** A copy of a handoff offer with one finding altered and the old checksum kept (bit rot on the wire). */
function corruptedOffer(message: Message): Message {
  const offer = message.body as HandoffOffer;
  const envelope: HandoffEnvelope = structuredClone(offer.envelope);
  envelope.reasoning.keyFindings = [...envelope.reasoning.keyFindings, '\u0000corrupted'];
  return { ...message, body: { ...offer, envelope } };
}
