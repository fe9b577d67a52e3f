import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sortedKeys } from '../../../core/handoff/canonical-json.js';

/** canonicalJson as first written: every array and object copied, object keys sorted, undefined values left out. */
function referenceSortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(referenceSortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = referenceSortKeys(item);
    }
    return sorted;
  }
  return value;
}
const reference = (value: unknown): string => JSON.stringify(referenceSortKeys(value));

// JSON values plus what JSON.stringify treats specially: undefined, non-finite numbers, -0.
const leaf = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
}));

describe('canonicalJson', () => {
  it('writes what copying every array and object with sorted keys wrote', () => {
    fc.assert(fc.property(value, (input) => {
        expect(canonicalJson(input)).toBe(reference(input));
      }), { numRuns: 2000 });
  });

  it('leaves the input as it was', () => {
    const input = { b: [1, 'x', { d: 1, c: [2] }], a: ['y'] };
    canonicalJson(input);
    expect(input).toEqual({ b: [1, 'x', { d: 1, c: [2] }], a: ['y'] });
    expect(Object.keys(input)).toEqual(['b', 'a']);
  });

  it('writes sparse arrays, functions and an array with its own toJSON as before', () => {
    const withToJson = Object.assign(['a', 'b'], { toJSON: () => 'replaced' });
    const inputs: unknown[] = [[1, , 3], [() => 1, Symbol('s')], { list: withToJson }, withToJson, { z: undefined, y: () => 1 }];
    for (const input of inputs) expect(canonicalJson(input)).toBe(reference(input));
  });
});

describe('sortedKeys', () => {
  // Keys of every kind: integer-like ones (which Object.keys puts first, in numeric order),
  // prefixes of each other, surrogates, and counts on both sides of the insertion-sort limit.
  const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 5 }), fc.nat({ max: 1_000 }).map(String), fc.constantFrom('a', 'ab', 'a.b', 'A', '', '\uD83D', '\uDE00', '10', '9'));
  const object = fc.dictionary(key, fc.constant(1), { maxKeys: 40 });

  it('gives what Object.keys(object).sort() gives, for any object', () => {
    fc.assert(fc.property(object, (input) => {
        expect(sortedKeys(input)).toEqual(Object.keys(input).sort());
      }), { numRuns: 3000 });
  });

  it('sorts by UTF-16 code units, as the default sort does', () => {
    expect(sortedKeys({ b: 1, 10: 1, a: 1, 9: 1, B: 1, '\uFF21': 1, '\uD83D\uDE00': 1 })).toEqual(['10', '9', 'B', 'a', 'b', '\uD83D\uDE00', '\uFF21']);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${(index * 37) % 50}`, index]));
    expect(sortedKeys(many)).toEqual(Object.keys(many).sort());
    expect(sortedKeys(many)[0]).toBe('k0');
  });
});
