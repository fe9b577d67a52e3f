/**
 * Guards the kernel optimisations of issue 8 (event object as its own handle,
 * inlined heap comparisons, promise-job + nextTick drain instead of a
 * setImmediate turn): on random schedules — ties, cancellations, stops, event
 * limits, and promise chains that schedule more events from their
 * continuations — the optimised kernel runs the same events in the same order,
 * at the same virtual times, as the kernel first written (reference-kernel.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../simulator/kernel/kernel.js';
import { Kernel as ReferenceKernel } from './reference-kernel.js';

/** What an event does when it runs. */
interface EventSpec {
  delayUs: number;
  wakesAsync: boolean;
  /** Children are scheduled after this many awaits (0: synchronously). */
  awaitDepth: number;
  /** Cancels the handle with this index (mod handles so far), if any. */
  cancelIndex: number | null;
  stop: boolean;
  children: EventSpec[];
}

interface KernelLike {
  schedule(delayUs: number, run: () => void, wakesAsync?: boolean): { cancel(): void };
  run(): Promise<{ status: string; eventsRun: number; nowUs: number }>;
  stop(): void;
  nowUs(): number;
}

/** Events whose children nest at most `depth` levels. */
function eventSpecAt(depth: number): fc.Arbitrary<EventSpec> {
  return fc.record({
    delayUs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1000 })),
    wakesAsync: fc.boolean(),
    awaitDepth: fc.integer({ min: 0, max: 3 }),
    cancelIndex: fc.option(fc.nat({ max: 50 }), { freq: 4 }),
    stop: fc.integer({ min: 0, max: 39 }).map((draw) => draw === 0),
    children: depth === 0 ? fc.constant([]) : fc.array(eventSpecAt(depth - 1), { maxLength: 3 }),
  });
}

const eventSpec = eventSpecAt(3);

const program = fc.record({
  roots: fc.array(eventSpec, { minLength: 1, maxLength: 12 }),
  eventsMax: fc.option(fc.integer({ min: 1, max: 60 }), { freq: 3 }),
});

/** Runs the program on a kernel; returns the trace of what ran, when, and how it ended. */
async function trace(kernel: KernelLike, roots: EventSpec[]): Promise<string[]> {
  const log: string[] = [];
  const handles: { cancel(): void }[] = [];
  let nextId = 0;
  const schedule = (spec: EventSpec): void => {
    const id = nextId++;
    handles.push(
      kernel.schedule(
        spec.delayUs,
        () => {
          log.push(`run ${id} @${kernel.nowUs()}`);
          if (spec.cancelIndex !== null) handles[spec.cancelIndex % handles.length].cancel();
          if (spec.stop) kernel.stop();
          if (spec.awaitDepth === 0) {
            for (const child of spec.children) schedule(child);
            return;
          }
          void (async () => {
            for (let depth = 0; depth < spec.awaitDepth; depth++) await Promise.resolve();
            log.push(`continuation ${id} @${kernel.nowUs()}`);
            for (const child of spec.children) schedule(child);
          })();
        },
        spec.wakesAsync,
      ),
    );
  };
  for (const root of roots) schedule(root);
  try {
    const outcome = await kernel.run();
    log.push(`end ${outcome.status} ${outcome.eventsRun} @${outcome.nowUs}`);
  } catch (error) {
    log.push(`error ${(error as Error).message}`);
  }
  // Continuations still pending when the run ended (after a stop or an error).
  await new Promise((resolve) => setImmediate(resolve));
  return log;
}

describe('optimised kernel', () => {
  it('runs random schedules in the same order as the reference kernel', async () => {
    await fc.assert(
      fc.asyncProperty(program, async ({ roots, eventsMax }) => {
        const limits = eventsMax === null ? {} : { eventsMax };
        const optimised = await trace(new Kernel(limits), roots);
        const reference = await trace(new ReferenceKernel(limits), roots);
        expect(optimised).toEqual(reference);
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it('lets every chained continuation run before the next event', async () => {
    const kernel = new Kernel();
    const order: string[] = [];
    kernel.schedule(
      10,
      () => {
        void (async () => {
          for (let depth = 0; depth < 50; depth++) await Promise.resolve();
          order.push('deep continuation');
          kernel.schedule(0, () => order.push('scheduled by continuation'));
        })();
      },
      true,
    );
    kernel.schedule(10, () => order.push('tied event'));
    await kernel.run();
    expect(order).toEqual(['deep continuation', 'tied event', 'scheduled by continuation']);
  });

  it('rejects run() a second time, and rejects with what an event throws', async () => {
    const kernel = new Kernel();
    kernel.schedule(1, () => {
      throw new Error('boom');
    });
    await expect(kernel.run()).rejects.toThrow('boom');
    await expect(kernel.run()).rejects.toThrow('kernel.run() called in state done');
  });

  it('returns the scheduled event as a handle whose cancel() skips it', async () => {
    const kernel = new Kernel();
    const ran: number[] = [];
    const handle = kernel.schedule(5, () => ran.push(1));
    kernel.schedule(6, () => ran.push(2));
    handle.cancel();
    const outcome = await kernel.run();
    expect(ran).toEqual([2]);
    expect(outcome).toEqual({ status: 'idle', eventsRun: 1, nowUs: 6 });
  });
});
