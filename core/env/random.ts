/**
 * A stream of uniform draws in [0, 1). Implementations must be deterministic:
 * the same seed and stream name give the same sequence.
 */
export interface RandomStream {
  /** Next uniform draw in [0, 1). */
  next(): number;
}

/** Named, independent random streams (network, faults, agents, ids, ...). */
export interface RandomSource {
  /** The stream called `name`; the same name always returns the same stream. */
  stream(name: string): RandomStream;
}

/**
 * A latency or size distribution, in the unit named by the field that holds it.
 * `fixed`: always `value`; `uniform`: in [min, max); `exponential`: with `mean`;
 * `lognormal`: with `median` and shape `sigma`.
 */
export type Distribution =
  | { dist: 'fixed'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number; max?: number }
  | { dist: 'lognormal'; median: number; sigma: number; max?: number };

/** Draws one value from `distribution` using `stream`. Never negative. */
export function sample(distribution: Distribution, stream: RandomStream): number {
  switch (distribution.dist) {
    case 'fixed':
      return distribution.value;
    case 'uniform':
      return distribution.min + (distribution.max - distribution.min) * stream.next();
    case 'exponential': {
      const value = -distribution.mean * Math.log(1 - stream.next());
      return distribution.max === undefined ? value : Math.min(value, distribution.max);
    }
    case 'lognormal': {
      const value = distribution.median * Math.exp(distribution.sigma * standardNormal(stream));
      return distribution.max === undefined ? value : Math.min(value, distribution.max);
    }
  }
}

/** True with probability `ratio` (0 never draws, so an off fault costs no draw). */
export function chance(ratio: number, stream: RandomStream): boolean {
  if (ratio <= 0) return false;
  return stream.next() < ratio;
}

/** Uniform integer in [min, max]. */
export function integerBetween(min: number, max: number, stream: RandomStream): number {
  return min + Math.floor(stream.next() * (max - min + 1));
}

/** Box–Muller: one standard normal draw from two uniforms. */
function standardNormal(stream: RandomStream): number {
  const u1 = 1 - stream.next();
  const u2 = stream.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
