import { describe, expect, it } from 'vitest';
import type { AgentBehaviour } from '../../../core/agents/types.js';
import { createRunTracer } from '../../../collector/tracing/run-tracer.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { checkDeterminism, firstDivergence } from '../../../simulator/replay/check-determinism.js';
import { eventWindow, formatEntry } from '../../../simulator/replay/event-window.js';
import { tinyWorld } from '../support/tiny-world.js';

const tracerFor = (seed: number) => createRunTracer(new SeededRandom(seed).stream('ids'), () => {});

describe('event-log window', () => {
  const entries = Array.from({ length: 100 }, (_, index) => ({ timeUs: index * 10_000, text: `e${index}` }));

  it('keeps the entries within the window and counts the rest', () => {
    const window = eventWindow(entries, 500, 25);
    expect(window.entries.map((entry) => entry.text)).toEqual(['e48', 'e49', 'e50', 'e51', 'e52']);
    expect(window).toMatchObject({ omittedBefore: 48, omittedAfter: 47 });
    expect(formatEntry(entries[50])).toBe('     500.000 ms  e50');
  });

  it('caps the lines around the centre', () => {
    const window = eventWindow(entries, 500, 10_000, 4);
    expect(window.entries.map((entry) => entry.text)).toEqual(['e48', 'e49', 'e50', 'e51']);
  });
});

describe('--check-determinism', () => {
  it('the simulator gives the same event log twice for a seed', async () => {
    const report = await checkDeterminism(tinyWorld({ swarm: 'harsh', seed: 3 }), tracerFor);
    expect(report.deterministic).toBe(true);
    expect(report.hashes[0]).toBe(report.hashes[1]);
  });

  it('an agent that reads real randomness is caught, with the first entry where the logs diverge', async () => {
    const clockless: AgentBehaviour = {
      // Deliberately non-deterministic: whether an attempt fails comes from Math.random, not a seeded stream.
      perform: async () =>
        Math.random() < 0.5
          ? { ok: false, error: 'coin_flip', inputTokens: 1, outputTokens: 0 }
          : { ok: true, summary: 's', findings: ['f'], decisions: ['d'], inputTokens: 1, outputTokens: 1 },
    };
    const report = await checkDeterminism(tinyWorld({ behaviours: { researcher: clockless }, workload: { instances: 20, interArrivalMs: { dist: 'fixed', value: 200 } } }), tracerFor);
    expect(report.deterministic).toBe(false);
    expect(report.divergence?.first?.text).not.toBe(report.divergence?.second?.text);
  });

  it('firstDivergence names the first differing entry, or where one log ends', () => {
    const a = [{ timeUs: 1, text: 'x' }, { timeUs: 2, text: 'y' }];
    expect(firstDivergence(a, [{ timeUs: 1, text: 'x' }, { timeUs: 2, text: 'z' }]).index).toBe(1);
    expect(firstDivergence(a, a.slice(0, 1))).toEqual({ index: 1, first: a[1], second: undefined });
    expect(firstDivergence(a, a).index).toBe(2);
  });
});
