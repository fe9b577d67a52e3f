import type { Env } from '../env/env.js';
import { backoffDelayMs, type BackoffPolicy } from '../resilience/backoff.js';
import { ReplyWaiter } from '../resilience/reply-wait.js';

/** Delivery guarantees of seed 004. */
export type DeliveryMode = 'at-most-once' | 'at-least-once' | 'exactly-once';

/** A typed event on a topic; `sequence` is assigned by the bus per topic (1, 2, ...). */
export interface BusEvent<Payload = unknown> {
  id: string;
  topic: string;
  type: string;
  payload: Payload;
  sequence: number;
}

/** Bus options. Defaults: ACK timeout 500 ms, 3 retries then dead letter. */
export interface EventBusOptions {
  ackTimeoutMs?: number;
  retriesMax?: number;
  backoff?: BackoffPolicy;
}

const DELIVER = 'bus.deliver';
const ACK = 'bus.ack';

/**
 * An event bus node over the transport (seed 004 MessageBus): per-topic
 * sequence numbers; `at-most-once` sends once; `at-least-once` re-sends until
 * the subscriber ACKs, with backoff, and dead-letters after `retriesMax`;
 * `exactly-once` is at-least-once to an idempotent consumer (see BusSubscriber).
 * A topic nobody subscribes to dead-letters its events.
 */
export class EventBus {
  readonly deadLetters: { event: BusEvent; subscriber: string; reason: string }[] = [];
  private readonly sequences = new Map<string, number>();
  private readonly subscribers = new Map<string, string[]>();
  private readonly acks: ReplyWaiter<true>;

  constructor(
    private readonly env: Env,
    readonly node = 'bus',
    private readonly options: EventBusOptions = {},
  ) {
    this.acks = new ReplyWaiter(env.clock);
    env.transport.listen(node, (message) => {
      if (message.kind === ACK) this.acks.deliver(`${message.from}/${(message.body as { id: string }).id}`, true);
    });
  }

  /** Subscribes node `subscriber` to `topic`. */
  subscribe(topic: string, subscriber: string): void {
    const list = this.subscribers.get(topic) ?? [];
    if (!list.includes(subscriber)) list.push(subscriber);
    this.subscribers.set(topic, list);
  }

  /** Publishes an event; resolves when every subscriber has it (or it was dead-lettered). */
  async publish<Payload>(topic: string, type: string, id: string, payload: Payload, mode: DeliveryMode): Promise<BusEvent<Payload>> {
    const sequence = (this.sequences.get(topic) ?? 0) + 1;
    this.sequences.set(topic, sequence);
    const event: BusEvent<Payload> = { id, topic, type, payload, sequence };
    const subscribers = this.subscribers.get(topic) ?? [];
    if (subscribers.length === 0) this.deadLetters.push({ event, subscriber: '', reason: 'no-subscriber' });
    await Promise.all(subscribers.map((subscriber) => this.deliver(event, subscriber, mode)));
    return event;
  }

  private async deliver(event: BusEvent, subscriber: string, mode: DeliveryMode): Promise<void> {
    const send = (): void => this.env.transport.send({ from: this.node, to: subscriber, kind: DELIVER, body: event });
    if (mode === 'at-most-once') return send();
    const retriesMax = this.options.retriesMax ?? 3;
    const stream = this.env.random.stream(`backoff/${this.node}`);
    for (let attempt = 0; attempt <= retriesMax; attempt++) {
      send();
      if ((await this.acks.wait(`${subscriber}/${event.id}`, this.options.ackTimeoutMs ?? 500)) === true) return;
      if (attempt < retriesMax) await this.env.clock.sleepMs(backoffDelayMs(this.options.backoff ?? {}, attempt + 1, stream));
    }
    this.deadLetters.push({ event, subscriber, reason: 'retries-exhausted' });
  }
}

/**
 * The consumer side: ACKs every delivery; with `idempotent` (exactly-once)
 * hands each event id to the handler once, however often it arrives.
 */
export class BusSubscriber {
  private readonly seen = new Set<string>();

  constructor(
    private readonly env: Env,
    readonly node: string,
    private readonly handler: (event: BusEvent) => void,
    private readonly idempotent: boolean,
  ) {
    env.transport.listen(node, (message) => {
      if (message.kind !== DELIVER) return;
      const event = message.body as BusEvent;
      this.env.transport.send({ from: node, to: message.from, kind: ACK, body: { id: event.id } });
      if (this.idempotent && this.seen.has(event.id)) return;
      this.seen.add(event.id);
      this.handler(event);
    });
  }
}
