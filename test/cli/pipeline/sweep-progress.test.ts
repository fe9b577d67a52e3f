import { describe, expect, it } from 'vitest';
import { SweepProgress } from '../../../cli/pipeline/sweep-progress.js';
import type { SeedSummary } from '../../../cli/pipeline/sweep-seed.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, write: (chunk: string) => (chunks.push(chunk), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean } };
}

const seed = (violations: number): SeedSummary => ({
  seed: 1,
  runId: 'r',
  eventLogHash: 'h',
  simulateMs: 1,
  violations: Array.from({ length: violations }, () => ({ checker: 'liveness', classification: 'liveness', atMs: 1, story: 's' })),
});

describe('sweep progress', () => {
  it('without a TTY prints one plain line per 10% with seeds/s, violations so far and the ETA', () => {
    const { chunks, out } = stream(false);
    const progress = new SweepProgress(20, out, 'sweep x');
    for (let index = 0; index < 20; index++) progress.tick(seed(index === 3 ? 2 : 0));
    expect(chunks).toHaveLength(10);
    expect(chunks.every((chunk) => chunk.endsWith('\n') && !chunk.includes('\r'))).toBe(true);
    expect(chunks[9]).toMatch(/^sweep x \[#{24}\] 20\/20 {2}[\d.]+ seeds\/s {2}violations 2 \(1 seeds\) {2}ETA 0s\n$/);
  });

  it('on a TTY redraws one line in place and ends it when done', () => {
    const { chunks, out } = stream(true);
    const progress = new SweepProgress(3, out, 'sweep x');
    for (let index = 0; index < 3; index++) progress.tick(seed(0));
    expect(chunks[0].startsWith('\r')).toBe(true);
    expect(chunks.at(-1)).toBe('\n');
    expect(chunks.at(-2)).toMatch(/3\/3/);
  });
});
