import seedrandom from 'seedrandom';
import type { RandomSource, RandomStream } from '../../core/env/random.js';

/**
 * seedrandom-backed random source. Each named stream is seeded from
 * `${seed}/${name}`, so adding draws to one stream never shifts another
 * (common random numbers across design variants).
 */
export class SeededRandom implements RandomSource {
  private streams = new Map<string, RandomStream>();

  constructor(readonly seed: number | string) {}

  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      const prng = seedrandom.alea(`${this.seed}/${name}`);
      stream = { next: () => prng() };
      this.streams.set(name, stream);
    }
    return stream;
  }
}
