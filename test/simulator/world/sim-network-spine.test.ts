import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../simulator/kernel/kernel.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { EventLog } from '../../../simulator/world/event-log.js';
import { SimNetwork } from '../../../simulator/world/sim-network.js';
import type { Message } from '../../../core/env/transport.js';

function world(lossRatio = 0, seed = 1) {
  const kernel = new Kernel();
  const log = new EventLog(true);
  const faults: string[] = [];
  const network = new SimNetwork(kernel, new SeededRandom(seed).stream('network'), log, { latencyMs: { dist: 'fixed', value: 5 }, lossRatio }, (kind, target) =>
    faults.push(`${kind}:${target}`),
  );
  const inbox: Record<string, string[]> = { a: [], b: [], c: [] };
  const lifecycle: string[] = [];
  for (const node of ['a', 'b', 'c']) {
    network.listen(node, (message: Message) => inbox[node].push(`${message.from}:${message.kind}@${kernel.nowUs()}`), {
      onCrash: () => lifecycle.push(`crash ${node}`),
      onRestart: () => lifecycle.push(`restart ${node}`),
    });
  }
  return { kernel, log, network, inbox, lifecycle, faults };
}

describe('SimNetwork', () => {
  it('delivers after the link latency', async () => {
    const { kernel, network, inbox } = world();
    network.send({ from: 'a', to: 'b', kind: 'ping', body: null });
    await kernel.run();
    expect(inbox.b).toEqual(['a:ping@5000']);
  });

  it('a symmetric partition cuts both directions until repaired', async () => {
    const { kernel, network, inbox, log } = world();
    const id = network.partition(['a'], ['b']);
    network.send({ from: 'a', to: 'b', kind: 'x', body: null });
    network.send({ from: 'b', to: 'a', kind: 'y', body: null });
    network.send({ from: 'a', to: 'c', kind: 'z', body: null });
    kernel.schedule(100, () => {
      network.repair(id);
      network.send({ from: 'a', to: 'b', kind: 'after', body: null });
    });
    await kernel.run();
    expect(inbox.b).toEqual(['a:after@5100']);
    expect(inbox.a).toEqual([]);
    expect(inbox.c).toEqual(['a:z@5000']);
    expect(log.entries.filter((entry) => entry.text.includes('reason=partitioned'))).toHaveLength(2);
  });

  it('a one-way partition cuts only from A to B', async () => {
    const { kernel, network, inbox } = world();
    network.partition(['a'], ['b'], true);
    network.send({ from: 'a', to: 'b', kind: 'x', body: null });
    network.send({ from: 'b', to: 'a', kind: 'y', body: null });
    await kernel.run();
    expect(inbox.b).toEqual([]);
    expect(inbox.a).toEqual(['b:y@5000']);
  });

  it('drops messages in flight to a node that crashes, and delivers again after restart', async () => {
    const { kernel, network, inbox, lifecycle } = world();
    network.send({ from: 'a', to: 'b', kind: 'lost', body: null });
    kernel.schedule(1_000, () => network.crash('b'));
    kernel.schedule(2_000, () => network.send({ from: 'b', to: 'a', kind: 'from-dead', body: null }));
    kernel.schedule(20_000, () => network.restart('b'));
    kernel.schedule(30_000, () => network.send({ from: 'a', to: 'b', kind: 'back', body: null }));
    await kernel.run();
    expect(inbox.b).toEqual(['a:back@35000']);
    expect(inbox.a).toEqual([]);
    expect(lifecycle).toEqual(['crash b', 'restart b']);
  });

  it('loses messages at the loss ratio, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      const { kernel, network, inbox, faults } = world(0.3, seed);
      for (let index = 0; index < 200; index++) network.send({ from: 'a', to: 'b', kind: `m${index}`, body: null });
      await kernel.run();
      return { delivered: inbox.b, faults: faults.length };
    };
    const first = await run(7);
    const again = await run(7);
    const other = await run(8);
    expect(again).toEqual(first);
    expect(first.faults).toBe(200 - first.delivered.length);
    expect(first.delivered.length).toBeGreaterThan(100);
    expect(first.delivered.length).toBeLessThan(180);
    expect(other.delivered).not.toEqual(first.delivered);
  });

  it('loses nothing when loss is off', async () => {
    const { kernel, network, inbox, faults } = world(0);
    for (let index = 0; index < 50; index++) network.send({ from: 'a', to: 'b', kind: `m${index}`, body: null });
    await kernel.run();
    expect(inbox.b).toHaveLength(50);
    expect(faults).toEqual([]);
  });
});
