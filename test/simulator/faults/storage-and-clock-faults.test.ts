import { describe, expect, it } from 'vitest';
import { healthyAgent } from '../../../simulator/agents/agent-faults.js';
import { scheduleFaults, STORE_NODE } from '../../../simulator/faults/fault-plan.js';
import type { ScriptedFault } from '../../../simulator/faults/scripted-faults.js';
import { Kernel } from '../../../simulator/kernel/kernel.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { EventLog } from '../../../simulator/world/event-log.js';
import { NodeClocks } from '../../../simulator/world/node-clocks.js';
import { VIRTUAL_EPOCH_US } from '../../../simulator/world/sim-clock.js';
import { SimNetwork } from '../../../simulator/world/sim-network.js';
import { SimStorage } from '../../../simulator/world/sim-storage.js';

/** A world with a store whose faults the plan drives; `script` runs reads and writes on the timeline. */
async function storeWorld(faults: ScriptedFault[], syncDelayMs = 0) {
  const kernel = new Kernel();
  const log = new EventLog(true);
  const recorded: string[] = [];
  const record = (kind: string, target: string) => recorded.push(`${kind} ${target}`);
  const random = new SeededRandom(3);
  const storage = new SimStorage(kernel, { syncDelayMs }, random.stream('faults/storage'), log, record);
  const network = new SimNetwork(kernel, random.stream('network'), log, {}, record);
  const clocks = new NodeClocks(kernel);
  scheduleFaults({ kernel, network, storage, clocks, agents: new Map([['a', healthyAgent()]]), log, record, onHandoffPhase: () => {} }, faults);
  return { kernel, storage, log, recorded, clocks };
}

describe('storage faults', () => {
  it('replica-lag: a replica read during the window sees an older version; the primary and later reads see the latest', async () => {
    const { kernel, storage, log, recorded } = await storeWorld([{ kind: 'replica-lag', atMs: 10, forMs: 100, replicaLagMs: { dist: 'fixed', value: 50 } }]);
    const seen: string[] = [];
    kernel.schedule(0, () => void storage.write('k', 'v1'), true);
    kernel.schedule(60_000, () => void storage.write('k', 'v2'), true);
    kernel.schedule(70_000, () => void storage.read<string>('k', 'replica').then((read) => seen.push(`replica ${read?.version}`)), true);
    kernel.schedule(70_000, () => void storage.read<string>('k', 'primary').then((read) => seen.push(`primary ${read?.version}`)), true);
    kernel.schedule(200_000, () => void storage.read<string>('k', 'replica').then((read) => seen.push(`healed ${read?.version}`)), true);
    await kernel.run();
    expect(seen).toEqual(['replica 1', 'primary 2', 'healed 2']);
    expect(log.entries.some((entry) => entry.text === 'store.stale-read k saw=1 primary=2')).toBe(true);
    expect(recorded).toContain('replica-lag store');
    expect(recorded).toContain('stale_read k');
  });

  it('replica reads are current without the fault', async () => {
    const { kernel, storage, recorded } = await storeWorld([]);
    let version = 0;
    kernel.schedule(0, () => void storage.write('k', 'v1'), true);
    kernel.schedule(20_000, () => void storage.write('k', 'v2'), true);
    kernel.schedule(30_000, () => void storage.read('k', 'replica').then((read) => (version = read?.version ?? 0)), true);
    await kernel.run();
    expect(version).toBe(2);
    expect(recorded).toEqual([]);
  });

  it('write-failure: writes in the window fail, later ones succeed', async () => {
    const { kernel, storage, recorded, log } = await storeWorld([{ kind: 'write-failure', atMs: 0, forMs: 50, writeFailureRatio: 1 }]);
    const results: string[] = [];
    kernel.schedule(10_000, () => void storage.write('k', 1).then((result) => results.push(result.ok ? 'ok' : result.reason)), true);
    kernel.schedule(100_000, () => void storage.write('k', 2).then((result) => results.push(result.ok ? 'ok' : result.reason)), true);
    await kernel.run();
    expect(results).toEqual(['failed', 'ok']);
    expect(recorded).toEqual(['write-failure store', 'write_failure k']);
    expect(log.entries.some((entry) => entry.text === 'store.write-failed k')).toBe(true);
  });

  it('a crash of the store loses writes younger than syncDelayMs and keeps older ones', async () => {
    const { kernel, storage, recorded, log } = await storeWorld([{ kind: 'crash', atMs: 100, forMs: 50, targets: [STORE_NODE] }], 30);
    kernel.schedule(0, () => void storage.write('old', 1), true);
    kernel.schedule(90_000, () => void storage.write('young', 1), true);
    const after: string[] = [];
    kernel.schedule(200_000, () => void Promise.all([storage.read('old'), storage.read('young')]).then(([a, b]) => after.push(`old=${a?.version} young=${b?.version}`)), true);
    await kernel.run();
    expect(after).toEqual(['old=1 young=undefined']);
    expect(recorded).toEqual(['crash store']);
    expect(log.entries.some((entry) => entry.text === 'fault.crash store lost-unsynced=1')).toBe(true);
  });
});

describe('clock faults', () => {
  it('skew shifts a node clock and drift makes its timers fire early; healing restores true time', async () => {
    const { kernel, clocks, recorded } = await storeWorld([{ kind: 'clock', atMs: 0, forMs: 5_000, targets: ['a'], skewMs: 250, driftPpm: 100_000 }]);
    const clock = clocks.clockFor('a');
    const fired: number[] = [];
    kernel.schedule(0, () => {
      expect(clock.nowUs() - VIRTUAL_EPOCH_US).toBe(250_000);
      clock.setTimer(1_100, () => fired.push(kernel.nowUs()));
    });
    kernel.schedule(6_000_000, () => fired.push(clock.nowUs() - VIRTUAL_EPOCH_US - kernel.nowUs()));
    await kernel.run();
    expect(fired).toEqual([1_000_000, 0]);
    expect(recorded).toEqual(['clock a']);
  });
});
