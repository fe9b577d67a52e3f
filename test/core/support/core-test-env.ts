import { trace } from '@opentelemetry/api';
import type { CoreEvent } from '../../../core/env/observer.js';
import type { Env } from '../../../core/env/env.js';
import { Kernel } from '../../../simulator/kernel/kernel.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { EventLog } from '../../../simulator/world/event-log.js';
import { SimClock } from '../../../simulator/world/sim-clock.js';
import { SimNetwork } from '../../../simulator/world/sim-network.js';
import { SimStorage, type SimStorageOptions } from '../../../simulator/world/sim-storage.js';

/** A deterministic Env for core unit tests: the simulator's kernel, network and store, events collected. */
export interface CoreTestEnv {
  env: Env;
  kernel: Kernel;
  network: SimNetwork;
  storage: SimStorage;
  events: CoreEvent[];
  /** Keys of every successful storage write, in order. */
  writtenKeys: string[];
  /** Runs the kernel until idle. */
  run(): Promise<void>;
}

export function createCoreTestEnv(seed = 1, storageOptions: SimStorageOptions = {}): CoreTestEnv {
  const kernel = new Kernel({ eventsMax: 1_000_000 });
  const random = new SeededRandom(seed);
  const log = new EventLog(false);
  const clock = new SimClock(kernel);
  const network = new SimNetwork(kernel, random.stream('network'), log, { latencyMs: { dist: 'fixed', value: 5 } });
  const storage = new SimStorage(kernel, storageOptions, random.stream('faults/storage'), log);
  const events: CoreEvent[] = [];
  const writtenKeys: string[] = [];
  const recordingStorage: Env['storage'] = {
    read: (key, source) => storage.read(key, source),
    write: async (key, value, expectedVersion) => {
      const result = await storage.write(key, value, expectedVersion);
      if (result.ok) writtenKeys.push(key);
      return result;
    },
  };
  const env: Env = { clock, random, transport: network, storage: recordingStorage, tracer: trace.getTracer('test'), observer: { record: (event) => events.push(event) } };
  return { env, kernel, network, storage, events, writtenKeys, run: async () => void (await kernel.run()) };
}
