/**
 * Kernel throughput: scheduled events/s through `Kernel` against a bare
 * binary-heap loop doing the same work in the same process (issue 8 goal:
 * kernel ≥ 30% of the bare loop).
 *
 * Workload (both sides identical): `PENDING` events are queued up front; every
 * event, when run, schedules one more at now + a delay from a precomputed table,
 * until `events` have run. The queue therefore stays `PENDING` deep, like a
 * simulation with many in-flight messages and timers. The kernel as first
 * written (test/bench/reference-kernel.ts) runs in the same rounds, so the
 * gain of the optimisation is a same-run ratio too.
 *
 *   node --import tsx bench/kernel.ts [--events 1000000] [--rounds 7]
 */
import { Kernel } from '../simulator/kernel/kernel.js';
import { Kernel as ReferenceKernel } from '../test/bench/reference-kernel.js';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { argInteger, interleave, median, pairedRatio } from './harness/timing.js';

const PENDING = 1024;
const DELAYS_US = Array.from({ length: 4096 }, (_, index) => ((index * 2654435761) >>> 0) % 50_000);

interface BareEvent {
  timeUs: number;
  seq: number;
  run: () => void;
}

/*
 * The baseline: a textbook binary heap on (time, seq) with module-level
 * functions and a plain while loop — no cancellation, limits or async.
 */
let bareHeap: BareEvent[] = [];
let bareSeq = 0;
let bareNow = 0;

function bareBefore(a: BareEvent, b: BareEvent): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}

function barePush(event: BareEvent): void {
  const heap = bareHeap;
  let index = heap.length;
  heap.push(event);
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!bareBefore(event, heap[parent])) break;
    heap[index] = heap[parent];
    index = parent;
  }
  heap[index] = event;
}

function barePop(): BareEvent | undefined {
  const heap = bareHeap;
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  let index = 0;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= heap.length) break;
    if (child + 1 < heap.length && bareBefore(heap[child + 1], heap[child])) child++;
    if (!bareBefore(heap[child], last)) break;
    heap[index] = heap[child];
    index = child;
  }
  heap[index] = last;
  return top;
}

function bareHeapLoop(events: number): number {
  bareHeap = [];
  bareSeq = 0;
  bareNow = 0;
  let scheduled = 0;
  const tick = (): void => {
    if (scheduled < events) barePush({ timeUs: bareNow + DELAYS_US[scheduled++ & 4095], seq: bareSeq++, run: tick });
  };
  for (let index = 0; index < PENDING; index++) barePush({ timeUs: bareNow + DELAYS_US[scheduled++ & 4095], seq: bareSeq++, run: tick });
  let ran = 0;
  for (let event = barePop(); event !== undefined; event = barePop()) {
    bareNow = event.timeUs;
    ran++;
    event.run();
  }
  return ran;
}

type KernelClass = typeof Kernel | typeof ReferenceKernel;

/** The same workload through a kernel; `wakesAsync` adds the microtask drain per event. */
async function kernelLoop(events: number, wakesAsync: boolean, KernelType: KernelClass = Kernel): Promise<number> {
  const kernel = new KernelType({ eventsMax: events + PENDING });
  let scheduled = 0;
  const tick = (): void => {
    if (scheduled < events) kernel.schedule(DELAYS_US[scheduled++ & 4095], tick, wakesAsync);
  };
  for (let index = 0; index < PENDING; index++) kernel.schedule(DELAYS_US[scheduled++ & 4095], tick, wakesAsync);
  const outcome = await kernel.run();
  return outcome.eventsRun;
}

export async function kernelBench(): Promise<BenchRow[]> {
  const events = argInteger('events', 1_000_000);
  const asyncEvents = Math.max(1, Math.floor(events / 10));
  const rounds = argInteger('rounds', 7);
  const samples = await interleave(
    [
      { name: 'bare', run: () => bareHeapLoop(events) },
      { name: 'kernel', run: () => kernelLoop(events, false) },
      { name: 'bareSmall', run: () => bareHeapLoop(asyncEvents) },
      { name: 'kernelAsync', run: () => kernelLoop(asyncEvents, true) },
      { name: 'referenceSync', run: () => kernelLoop(events, false, ReferenceKernel) },
      { name: 'referenceAsync', run: () => kernelLoop(asyncEvents, true, ReferenceKernel) },
    ],
    rounds,
  );
  const bare = median(samples.bare);
  const syncRatio = pairedRatio(samples.kernel, samples.bare);
  const asyncRatio = pairedRatio(samples.kernelAsync, samples.bareSmall);
  return [
    {
      bench: 'kernel',
      metric: `events/s, pure callbacks (${events.toLocaleString('en-US')} events, ${PENDING} pending)`,
      value: median(samples.kernel),
      unit: 'events/s',
      samples: rounds,
      baseline: 'bare heap loop',
      baselineValue: bare,
      ratio: syncRatio,
      goal: '≥ 0.30 of bare',
      goalStatus: syncRatio >= 0.3 ? 'met' : 'missed',
    },
    {
      bench: 'kernel',
      metric: `events/s, every event wakesAsync (${asyncEvents.toLocaleString('en-US')} events)`,
      value: median(samples.kernelAsync),
      unit: 'events/s',
      samples: rounds,
      baseline: 'bare heap loop',
      baselineValue: median(samples.bareSmall),
      ratio: asyncRatio,
      note: 'each event followed by a full microtask drain (the bare loop has none), as simulate() runs them',
    },
    {
      bench: 'kernel',
      metric: 'first kernel (test/bench/reference-kernel.ts), pure callbacks',
      value: median(samples.referenceSync),
      unit: 'events/s',
      samples: rounds,
      baseline: 'bare heap loop',
      baselineValue: bare,
      ratio: pairedRatio(samples.referenceSync, samples.bare),
      note: `optimised kernel is ${pairedRatio(samples.kernel, samples.referenceSync).toFixed(2)}× this`,
    },
    {
      bench: 'kernel',
      metric: 'first kernel (setImmediate drain), every event wakesAsync',
      value: median(samples.referenceAsync),
      unit: 'events/s',
      samples: rounds,
      baseline: 'bare heap loop',
      baselineValue: median(samples.bareSmall),
      ratio: pairedRatio(samples.referenceAsync, samples.bareSmall),
      note: `optimised kernel is ${pairedRatio(samples.kernelAsync, samples.referenceAsync).toFixed(2)}× this`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await kernelBench());
