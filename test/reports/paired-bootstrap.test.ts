import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../reports/compare/paired-bootstrap.js';

// The comparison statistics on synthetic per-seed values: noise alone is not
// significant; a real shift is, with the right sign; the result is seeded.
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function samples(seed: string, n: number, shift: number): number[] {
  const random = seedrandom(seed);
  return Array.from({ length: n }, () => {
    const a = 0.9 + 0.05 * normal(random);
    const b = 0.9 + shift + 0.05 * normal(random);
    return b - a;
  });
}

describe('pairedBootstrap', () => {
  it('two variants that differ only in noise: not significant, the interval holds 0', () => {
    for (const seed of ['n1', 'n2', 'n3']) {
      const interval = pairedBootstrap(samples(seed, 200, 0));
      expect(interval.significant, seed).toBe(false);
      expect(interval.low).toBeLessThan(0);
      expect(interval.high).toBeGreaterThan(0);
    }
  });

  it('a real difference is significant with the right sign', () => {
    const up = pairedBootstrap(samples('u', 200, 0.03));
    expect(up.significant).toBe(true);
    expect(up.low).toBeGreaterThan(0);
    const down = pairedBootstrap(samples('d', 200, -0.03));
    expect(down.significant).toBe(true);
    expect(down.high).toBeLessThan(0);
  });

  it('is deterministic, brackets the mean, and handles empty and constant input', () => {
    const data = samples('x', 50, 0.01);
    expect(pairedBootstrap(data)).toEqual(pairedBootstrap(data));
    const interval = pairedBootstrap(data);
    expect(interval.low).toBeLessThanOrEqual(interval.mean);
    expect(interval.high).toBeGreaterThanOrEqual(interval.mean);
    expect(pairedBootstrap([])).toEqual({ mean: 0, low: 0, high: 0, significant: false });
    expect(pairedBootstrap([0, 0, 0])).toEqual({ mean: 0, low: 0, high: 0, significant: false });
    expect(pairedBootstrap([2, 2, 2]).significant).toBe(true);
  });

  it('one difference is never significant: its interval is that difference, width 0', () => {
    expect(pairedBootstrap([0.0144])).toEqual({ mean: 0.0144, low: 0.0144, high: 0.0144, significant: false });
    expect(pairedBootstrap([-3]).significant).toBe(false);
    expect(pairedBootstrap([2, 2]).significant).toBe(true);
  });

  it('covers the true mean about 95% of the time', () => {
    let covered = 0;
    const trials = 200;
    for (let trial = 0; trial < trials; trial++) {
      const interval = pairedBootstrap(samples(`c${trial}`, 60, 0.01), { resamples: 500, seed: `r${trial}` });
      if (interval.low <= 0.01 && interval.high >= 0.01) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });
});
