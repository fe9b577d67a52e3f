import { performance } from 'node:perf_hooks';
import type { Tracer } from '@opentelemetry/api';
import type { Clock, TimerHandle } from '../../core/env/clock.js';
import type { Env } from '../../core/env/env.js';
import type { CoreEvent, Observer } from '../../core/env/observer.js';
import type { ReadSource, Versioned, VersionedStorage, WriteResult } from '../../core/env/storage.js';
import type { Message, MessageHandler, NodeLifecycle, Transport } from '../../core/env/transport.js';
import { SeededRandom } from '../random/seeded-random.js';

/** Real time: microseconds since the epoch from the monotonic clock; Node timers. */
export class RealClock implements Clock {
  nowUs(): number {
    return Math.round((performance.timeOrigin + performance.now()) * 1000);
  }

  sleepMs(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  setTimer(ms: number, fire: () => void): TimerHandle {
    const timer = setTimeout(fire, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  }
}

/** Delivers every message on the next turn of the event loop, in send order, to an in-process node. */
export class InProcessTransport implements Transport {
  private handlers = new Map<string, MessageHandler>();

  send(message: Message): void {
    setImmediate(() => this.handlers.get(message.to)?.(message));
  }

  listen(node: string, handler: MessageHandler, _lifecycle?: NodeLifecycle): void {
    if (this.handlers.has(node)) throw new Error(`node "${node}" already listens`);
    this.handlers.set(node, handler);
  }
}

/** A versioned map with compare-and-swap; replicas are the primary (no lag). */
export class InMemoryStorage implements VersionedStorage {
  private data = new Map<string, Versioned>();

  async read<Value>(key: string, _source: ReadSource = 'primary'): Promise<Versioned<Value> | undefined> {
    return this.data.get(key) as Versioned<Value> | undefined;
  }

  async write<Value>(key: string, value: Value, expectedVersion?: number): Promise<WriteResult> {
    const currentVersion = this.data.get(key)?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== currentVersion) return { ok: false, reason: 'conflict', currentVersion };
    this.data.set(key, { value, version: currentVersion + 1 });
    return { ok: true, version: currentVersion + 1 };
  }
}

/** Options of a real environment. */
export interface RealEnvOptions {
  tracer: Tracer;
  /** Seed of the random streams core draws from (backoff jitter, weighted routing). Default 1. */
  seed?: number | string;
  /** Receives core's events; default ignores them. */
  onEvent?: (event: CoreEvent) => void;
}

/**
 * The Env ports backed by Node: real time and timers, in-process messages,
 * in-memory versioned storage. The same core that runs under the simulator
 * drives a team's real agent functions with it.
 */
export function createRealEnv(options: RealEnvOptions): Env {
  const observer: Observer = { record: (event) => options.onEvent?.(event) };
  return {
    clock: new RealClock(),
    random: new SeededRandom(options.seed ?? 1),
    transport: new InProcessTransport(),
    storage: new InMemoryStorage(),
    tracer: options.tracer,
    observer,
  };
}
