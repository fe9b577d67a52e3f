import type { Message, MessageHandler, NodeLifecycle, Transport } from '../../core/env/transport.js';
import { chance, sample, type Distribution, type RandomStream } from '../../core/env/random.js';
import type { Kernel } from '../kernel/kernel.js';
import type { MessageFault } from '../faults/scripted-faults.js';
import type { EventLog } from './event-log.js';
import { MessageFaults } from './message-faults.js';
import { msToUs } from './sim-clock.js';

/** Behaviour of one directed link. Faults are off by default. */
export interface LinkOptions {
  /** One-way delay. Default fixed 10 ms. */
  latencyMs?: Distribution;
  /** Share of messages lost, in [0, 1]. Default 0. */
  lossRatio?: number;
}

export const DEFAULT_LINK_LATENCY_MS: Distribution = { dist: 'fixed', value: 10 };

/**
 * State of a node:
 * - `up`: sends and receives;
 * - `paused`: frozen; what reaches it and what it sends wait until `resume`;
 * - `crashed`: volatile state lost; sends nothing, receives nothing.
 */
export type NodeState = 'up' | 'paused' | 'crashed';

/** Reports a fault the network injected (for counters and span events). */
export type FaultListener = (kind: string, target: string) => void;

/** Sees every message just before and just after its handler runs (invariant checkers). */
export interface DeliveryObserver {
  beforeDeliver(message: Message): void;
  afterDeliver(message: Message): void;
}

interface Partition {
  id: number;
  from: Set<string>;
  to: Set<string>;
  oneWay: boolean;
}

/**
 * The Transport port under simulation: per-link latency distributions and loss,
 * partitions, message faults (hold, loss, duplication, reordering, slow links,
 * corruption, schema drift), and node crash/restart and pause/resume. Delivery
 * is a kernel event, so messages on links with random latency can overtake one
 * another.
 */
export class SimNetwork implements Transport {
  private handlers = new Map<string, { handler: MessageHandler; lifecycle?: NodeLifecycle }>();
  private states = new Map<string, NodeState>();
  private partitions: Partition[] = [];
  private partitionSeq = 0;
  private links = new Map<string, LinkOptions>();
  private held = new Map<MessageFault, Message[]>();
  /** Messages waiting for a paused node: `in` to deliver to it, `out` it sent. */
  private frozen = new Map<string, { in: Message[]; out: Message[] }>();
  private sentCount = 0;
  private deliveredCount = 0;
  private droppedCount = 0;
  readonly messageFaults: MessageFaults;
  deliveryObserver: DeliveryObserver | undefined;
  /** Sees every message a node sends (before faults act on it). */
  sendObserver: ((message: Message) => void) | undefined;

  constructor(
    private readonly kernel: Kernel,
    private readonly stream: RandomStream,
    private readonly log: EventLog,
    private readonly defaultLink: LinkOptions = {},
    private readonly onFault: FaultListener = () => {},
    faultStream: RandomStream = stream,
  ) {
    this.messageFaults = new MessageFaults(faultStream);
  }

  /** Sets the options of the directed link `from` → `to`, replacing the default. */
  setLink(from: string, to: string, options: LinkOptions): void {
    this.links.set(`${from}\u0000${to}`, options);
  }

  listen(node: string, handler: MessageHandler, lifecycle?: NodeLifecycle): void {
    if (this.handlers.has(node)) throw new Error(`node "${node}" already listens`);
    this.handlers.set(node, { handler, lifecycle });
    this.states.set(node, 'up');
  }

  send(message: Message): void {
    this.sentCount++;
    const tag = `${message.from}->${message.to} ${message.kind}`;
    const senderState = this.states.get(message.from);
    if (senderState === 'crashed') return this.drop(tag, 'sender-crashed');
    if (senderState === 'paused') {
      this.frozen.get(message.from)?.out.push(message);
      this.log.append(this.kernel.nowUs(), `net.freeze ${tag}`);
      return;
    }
    this.sendObserver?.(message);
    if (this.isCut(message.from, message.to)) return this.drop(tag, 'partitioned');
    const link = this.links.get(`${message.from}\u0000${message.to}`) ?? this.defaultLink;
    const fate = this.messageFaults.decide(message);
    for (const kind of fate.applied) this.onFault(kind, `${message.from}->${message.to}`);
    if (chance(link.lossRatio ?? 0, this.stream)) {
      this.onFault('message_loss', `${message.from}->${message.to}`);
      return this.drop(tag, 'lost');
    }
    if (fate.lost) return this.drop(tag, 'lost');
    if (fate.heldBy) {
      this.held.get(fate.heldBy)?.push(fate.message);
      this.log.append(this.kernel.nowUs(), `net.hold ${tag}`);
      return;
    }
    const latency = link.latencyMs ?? DEFAULT_LINK_LATENCY_MS;
    this.transmit(fate.message, tag, msToUs(this.messageFaults.latencyMs(fate, latency, this.stream)));
    if (fate.duplicated) this.transmit(fate.message, `${tag} (duplicate)`, msToUs(sample(latency, this.stream)));
  }

  private transmit(message: Message, tag: string, delayUs: number): void {
    this.log.append(this.kernel.nowUs(), `net.send ${tag} delay=${delayUs}`);
    this.kernel.schedule(delayUs, () => this.deliver(message, tag), true);
  }

  private deliver(message: Message, tag: string): void {
    const target = this.handlers.get(message.to);
    if (!target) return this.drop(tag, 'no-such-node');
    const state = this.states.get(message.to);
    if (state === 'crashed') return this.drop(tag, 'receiver-crashed');
    if (this.isCut(message.from, message.to)) return this.drop(tag, 'partitioned');
    if (state === 'paused') {
      this.frozen.get(message.to)?.in.push(message);
      this.log.append(this.kernel.nowUs(), `net.freeze ${tag}`);
      return;
    }
    this.deliveredCount++;
    this.log.append(this.kernel.nowUs(), `net.deliver ${tag}`);
    this.deliveryObserver?.beforeDeliver(message);
    target.handler(message);
    this.deliveryObserver?.afterDeliver(message);
  }

  private drop(tag: string, reason: string): void {
    this.droppedCount++;
    this.log.append(this.kernel.nowUs(), `net.drop ${tag} reason=${reason}`);
  }

  /** True when an active partition stops messages from `from` to `to`. */
  isCut(from: string, to: string): boolean {
    for (const partition of this.partitions) {
      if (partition.from.has(from) && partition.to.has(to)) return true;
      if (!partition.oneWay && partition.from.has(to) && partition.to.has(from)) return true;
    }
    return false;
  }

  /**
   * Cuts `groupA` from `groupB` (both ways, or only A → B when `oneWay`).
   * Returns the id to pass to `repair`.
   */
  partition(groupA: readonly string[], groupB: readonly string[], oneWay = false): number {
    const id = ++this.partitionSeq;
    this.partitions.push({ id, from: new Set(groupA), to: new Set(groupB), oneWay });
    this.log.append(this.kernel.nowUs(), `fault.partition #${id} [${groupA.join(',')}]${oneWay ? '->' : '<->'}[${groupB.join(',')}]`);
    return id;
  }

  /** Heals partition `id`. Precondition: `id` came from `partition` and is active. */
  repair(id: number): void {
    this.partitions = this.partitions.filter((partition) => partition.id !== id);
    this.log.append(this.kernel.nowUs(), `fault.repair #${id}`);
  }

  /** Starts a message fault (`hold` keeps its messages until `release`). Precondition: not active. */
  startMessageFault(fault: MessageFault): void {
    if (fault.kind === 'hold') this.held.set(fault, []);
    this.messageFaults.activate(fault);
    this.log.append(this.kernel.nowUs(), `fault.${fault.kind} start`);
  }

  /** Ends a message fault; a `hold` releases its messages in the order they were sent. Precondition: active. */
  endMessageFault(fault: MessageFault): void {
    this.messageFaults.deactivate(fault);
    const held = this.held.get(fault) ?? [];
    this.held.delete(fault);
    this.log.append(this.kernel.nowUs(), `fault.${fault.kind} end${fault.kind === 'hold' ? ` release=${held.length}` : ''}`);
    for (const message of held) this.transmitNow(message);
  }

  private transmitNow(message: Message): void {
    const link = this.links.get(`${message.from}\u0000${message.to}`) ?? this.defaultLink;
    this.transmit(message, `${message.from}->${message.to} ${message.kind}`, msToUs(sample(link.latencyMs ?? DEFAULT_LINK_LATENCY_MS, this.stream)));
  }

  /** Crashes `node`: it loses volatile state and stops sending and receiving. Precondition: up or paused. */
  crash(node: string): void {
    const state = this.states.get(node);
    if (state !== 'up' && state !== 'paused') return;
    this.frozen.delete(node);
    this.states.set(node, 'crashed');
    this.log.append(this.kernel.nowUs(), `fault.crash ${node}`);
    this.handlers.get(node)?.lifecycle?.onCrash?.();
  }

  /** Restarts a crashed `node` with its durable state. Precondition: crashed. */
  restart(node: string): void {
    if (this.states.get(node) !== 'crashed') return;
    this.states.set(node, 'up');
    this.log.append(this.kernel.nowUs(), `fault.restart ${node}`);
    this.handlers.get(node)?.lifecycle?.onRestart?.();
  }

  /** Freezes `node` (a stop-the-world pause): its traffic waits until `resume`. Precondition: up. */
  pause(node: string): void {
    if (this.states.get(node) !== 'up') return;
    this.states.set(node, 'paused');
    this.frozen.set(node, { in: [], out: [] });
    this.log.append(this.kernel.nowUs(), `fault.pause ${node}`);
  }

  /** Unfreezes a paused `node`: what it sent leaves, what reached it is delivered, in order. Precondition: paused. */
  resume(node: string): void {
    if (this.states.get(node) !== 'paused') return;
    const frozen = this.frozen.get(node) ?? { in: [], out: [] };
    this.frozen.delete(node);
    this.states.set(node, 'up');
    this.log.append(this.kernel.nowUs(), `fault.resume ${node} in=${frozen.in.length} out=${frozen.out.length}`);
    for (const message of frozen.out) this.send(message);
    for (const message of frozen.in) this.kernel.schedule(0, () => this.deliver(message, `${message.from}->${message.to} ${message.kind}`), true);
  }

  stateOf(node: string): NodeState | undefined {
    return this.states.get(node);
  }

  /** Nodes that listen on this network, in registration order. */
  nodes(): string[] {
    return [...this.handlers.keys()];
  }

  stats(): { sent: number; delivered: number; dropped: number } {
    return { sent: this.sentCount, delivered: this.deliveredCount, dropped: this.droppedCount };
  }
}
