import { describe, expect, it } from 'vitest';
import { BusSubscriber, EventBus, type BusEvent, type DeliveryMode } from '../../../core/bus/event-bus.js';
import { createCoreTestEnv } from '../support/core-test-env.js';

async function deliver(mode: DeliveryMode, idempotent: boolean, setup?: (t: ReturnType<typeof createCoreTestEnv>) => void) {
  const testEnv = createCoreTestEnv();
  const bus = new EventBus(testEnv.env, 'bus', { ackTimeoutMs: 50, retriesMax: 2 });
  const got: BusEvent[] = [];
  new BusSubscriber(testEnv.env, 'sub', (event) => got.push(event), idempotent);
  bus.subscribe('findings', 'sub');
  setup?.(testEnv);
  void (async () => {
    await bus.publish('findings', 'finding.discovered', 'e1', { x: 1 }, mode);
    await bus.publish('findings', 'finding.discovered', 'e2', { x: 2 }, mode);
    await bus.publish('nobody', 'x', 'e3', {}, mode);
  })();
  await testEnv.run();
  return { got, bus };
}

describe('event bus (seed 004 delivery modes)', () => {
  it('numbers events per topic and delivers them once on a clean network', async () => {
    const { got, bus } = await deliver('exactly-once', true);
    expect(got.map((event) => [event.id, event.sequence])).toEqual([['e1', 1], ['e2', 2]]);
    expect(bus.deadLetters.map((d) => d.reason)).toEqual(['no-subscriber']);
  });

  it('at-least-once re-sends when ACKs are lost; exactly-once dedupes at the consumer', async () => {
    const lossyAcks = (t: ReturnType<typeof createCoreTestEnv>) => {
      const id = t.network.partition(['sub'], ['bus'], true);
      t.kernel.schedule(60_000, () => t.network.repair(id), true);
    };
    const atLeast = await deliver('at-least-once', false, lossyAcks);
    expect(atLeast.got.filter((event) => event.id === 'e1').length).toBeGreaterThan(1);
    const exactly = await deliver('exactly-once', true, lossyAcks);
    expect(exactly.got.filter((event) => event.id === 'e1').length).toBe(1);
  });

  it('dead-letters after the retries when the subscriber never ACKs; at-most-once never retries', async () => {
    const cut = (t: ReturnType<typeof createCoreTestEnv>) => void t.network.partition(['sub'], ['bus']);
    const atLeast = await deliver('at-least-once', false, cut);
    expect(atLeast.bus.deadLetters.filter((d) => d.reason === 'retries-exhausted').length).toBe(2);
    const atMost = await deliver('at-most-once', false, cut);
    expect(atMost.got).toEqual([]);
    expect(atMost.bus.deadLetters.filter((d) => d.reason === 'retries-exhausted').length).toBe(0);
  });
});
