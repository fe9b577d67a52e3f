import type { Tracer } from '@opentelemetry/api';
import type { Clock } from './clock.js';
import type { RandomSource } from './random.js';
import type { Transport } from './transport.js';
import type { VersionedStorage } from './storage.js';
import type { Observer } from './observer.js';

/**
 * Everything core asks of the world. Core never reaches past these ports: no
 * real time, randomness or I/O. The simulator provides virtual implementations.
 */
export interface Env {
  clock: Clock;
  random: RandomSource;
  transport: Transport;
  storage: VersionedStorage;
  tracer: Tracer;
  observer: Observer;
  /**
   * The clock of node `node` (skewed and drifting under simulation). Timeouts a
   * node measures should use it; absent, every node uses `clock`.
   */
  clockFor?(node: string): Clock;
}

/** The clock node `node` measures its timeouts and waits on: its own when the world has one. */
export function nodeClock(env: Env, node: string): Clock {
  return env.clockFor?.(node) ?? env.clock;
}
