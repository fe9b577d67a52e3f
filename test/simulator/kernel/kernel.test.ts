import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../simulator/kernel/kernel.js';
import { SimLimitError } from '../../../simulator/kernel/errors.js';

describe('Kernel', () => {
  it('runs events in (time, sequence) order, ties in scheduling order', async () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    kernel.schedule(30, () => seen.push('c@30'));
    kernel.schedule(10, () => seen.push('a@10'));
    kernel.schedule(10, () => seen.push('b@10'));
    kernel.schedule(0, () => seen.push('z@0'));
    kernel.schedule(20, () => {
      seen.push('d@20');
      kernel.schedule(0, () => seen.push('e@20'));
      kernel.schedule(5, () => seen.push('f@25'));
    });
    const outcome = await kernel.run();
    expect(seen).toEqual(['z@0', 'a@10', 'b@10', 'd@20', 'e@20', 'f@25', 'c@30']);
    expect(outcome).toEqual({ status: 'idle', eventsRun: 7, nowUs: 30 });
  });

  it('keeps time in integer microseconds', async () => {
    const kernel = new Kernel();
    const times: number[] = [];
    kernel.schedule(0.4, () => times.push(kernel.nowUs()));
    kernel.schedule(1.6, () => times.push(kernel.nowUs()));
    await kernel.run();
    expect(times).toEqual([0, 2]);
  });

  it('lets every continuation of an awaited sleep run before later events', async () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    const chain = async (): Promise<void> => {
      await kernel.sleepUs(10);
      seen.push(`woke@${kernel.nowUs()}`);
      await Promise.resolve();
      await Promise.resolve();
      seen.push(`deep@${kernel.nowUs()}`);
      await kernel.sleepUs(10);
      seen.push(`again@${kernel.nowUs()}`);
    };
    void chain();
    kernel.schedule(11, () => seen.push('other@11'));
    await kernel.run();
    expect(seen).toEqual(['woke@10', 'deep@10', 'other@11', 'again@20']);
  });

  it('skips cancelled events', async () => {
    const kernel = new Kernel();
    const seen: number[] = [];
    const handle = kernel.schedule(5, () => seen.push(5));
    kernel.schedule(6, () => seen.push(6));
    handle.cancel();
    await kernel.run();
    expect(seen).toEqual([6]);
  });

  it('stops with a typed error at the event limit', async () => {
    const kernel = new Kernel({ eventsMax: 100 });
    const tick = (): void => void kernel.schedule(1, tick);
    tick();
    const error = await kernel.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SimLimitError);
    expect((error as SimLimitError).kind).toBe('events');
    expect(kernel.eventCount()).toBe(100);
  });

  it('stops with a typed error at the simulated-time limit', async () => {
    const kernel = new Kernel({ simulatedUsMax: 1_000 });
    const tick = (): void => void kernel.schedule(300, tick);
    tick();
    const error = await kernel.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SimLimitError);
    expect((error as SimLimitError).kind).toBe('simulated-time');
    expect(kernel.nowUs()).toBe(900);
  });

  it('refuses a second run', async () => {
    const kernel = new Kernel();
    await kernel.run();
    await expect(kernel.run()).rejects.toThrow(/state done/);
  });

  it('refuses negative delays', () => {
    expect(() => new Kernel().schedule(-1, () => {})).toThrow(RangeError);
  });
});
