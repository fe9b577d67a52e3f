import type { Message, MessageHandler, NodeLifecycle, Transport } from '../../core/env/transport.js';
import { chance, sample, type Distribution, type RandomStream } from '../../core/env/random.js';
import type { Kernel } from '../kernel/kernel.js';
import type { EventLog } from './event-log.js';
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
 * - `crashed`: volatile state lost; sends nothing, receives nothing.
 */
export type NodeState = 'up' | 'crashed';

/** Reports a fault the network injected (for counters and span events). */
export type FaultListener = (kind: string, target: string) => void;

interface Partition {
  id: number;
  from: Set<string>;
  to: Set<string>;
  oneWay: boolean;
}

/**
 * The Transport port under simulation: per-link latency distributions and loss,
 * partitions, and node crash/restart. Delivery is a kernel event, so messages on
 * links with random latency can overtake one another.
 */
export class SimNetwork implements Transport {
  private handlers = new Map<string, { handler: MessageHandler; lifecycle?: NodeLifecycle }>();
  private states = new Map<string, NodeState>();
  private partitions: Partition[] = [];
  private partitionSeq = 0;
  private links = new Map<string, LinkOptions>();
  private sentCount = 0;
  private deliveredCount = 0;
  private droppedCount = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly stream: RandomStream,
    private readonly log: EventLog,
    private readonly defaultLink: LinkOptions = {},
    private readonly onFault: FaultListener = () => {},
  ) {}

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
    if (this.states.get(message.from) === 'crashed') return this.drop(tag, 'sender-crashed');
    if (this.isCut(message.from, message.to)) return this.drop(tag, 'partitioned');
    const link = this.links.get(`${message.from}\u0000${message.to}`) ?? this.defaultLink;
    if (chance(link.lossRatio ?? 0, this.stream)) {
      this.onFault('message_loss', `${message.from}->${message.to}`);
      return this.drop(tag, 'lost');
    }
    const delayUs = msToUs(sample(link.latencyMs ?? DEFAULT_LINK_LATENCY_MS, this.stream));
    this.log.append(this.kernel.nowUs(), `net.send ${tag} delay=${delayUs}`);
    this.kernel.schedule(delayUs, () => this.deliver(message, tag), true);
  }

  private deliver(message: Message, tag: string): void {
    const target = this.handlers.get(message.to);
    if (!target) return this.drop(tag, 'no-such-node');
    if (this.states.get(message.to) !== 'up') return this.drop(tag, 'receiver-crashed');
    if (this.isCut(message.from, message.to)) return this.drop(tag, 'partitioned');
    this.deliveredCount++;
    this.log.append(this.kernel.nowUs(), `net.deliver ${tag}`);
    target.handler(message);
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

  /** Crashes `node`: it loses volatile state and stops sending and receiving. Precondition: up. */
  crash(node: string): void {
    if (this.states.get(node) !== 'up') return;
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
