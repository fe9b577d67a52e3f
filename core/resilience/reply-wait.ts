import type { Clock } from '../env/clock.js';

/**
 * Waits for a reply keyed by `key` or for `timeoutMs` to pass on `clock`,
 * whichever comes first. Replies for unknown or expired keys are ignored
 * (they are late duplicates).
 */
export class ReplyWaiter<Reply> {
  private pending = new Map<string, { resolve: (reply: Reply | 'timeout') => void; cancel: () => void }>();

  constructor(private readonly clock: Clock) {}

  /** Resolves with the reply, or 'timeout'. One waiter per key at a time. */
  wait(key: string, timeoutMs: number): Promise<Reply | 'timeout'> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(timeoutMs, () => {
        this.pending.delete(key);
        resolve('timeout');
      });
      this.pending.set(key, {
        resolve: (reply) => {
          timer.cancel();
          this.pending.delete(key);
          resolve(reply);
        },
        cancel: () => timer.cancel(),
      });
    });
  }

  /** Delivers a reply; returns false when nobody waits for `key`. */
  deliver(key: string, reply: Reply): boolean {
    const waiter = this.pending.get(key);
    if (!waiter) return false;
    waiter.resolve(reply);
    return true;
  }

  /** Forgets every waiter without ever resolving it (the node crashed). */
  abandonAll(): void {
    for (const waiter of this.pending.values()) waiter.cancel();
    this.pending.clear();
  }
}
