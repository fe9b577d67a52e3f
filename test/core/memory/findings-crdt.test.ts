import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFindings, type Finding, type FindingsCrdt } from '../../../core/memory/findings-crdt.js';

const finding: fc.Arbitrary<Finding> = fc.record({
  text: fc.constantFrom('x', 'y', 'z'),
  confidence: fc.constantFrom(0.5, 0.9),
  agent: fc.constantFrom('a', 'b', 'c'),
  lamport: fc.integer({ min: 0, max: 5 }),
});
const state: fc.Arbitrary<FindingsCrdt> = fc.dictionary(fc.constantFrom('f1', 'f2', 'f3', 'f4'), finding);
const canon = (value: FindingsCrdt): string => JSON.stringify(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)).map(([id, f]) => [id, f.text, f.confidence, f.agent, f.lamport]));

describe('findings CRDT merge (seed 000: shared findings, CRDT merge)', () => {
  it('is commutative', () => {
    fc.assert(fc.property(state, state, (a, b) => canon(mergeFindings(a, b)) === canon(mergeFindings(b, a))));
  });
  it('is associative', () => {
    fc.assert(fc.property(state, state, state, (a, b, c) => canon(mergeFindings(mergeFindings(a, b), c)) === canon(mergeFindings(a, mergeFindings(b, c)))));
  });
  it('is idempotent', () => {
    fc.assert(fc.property(state, (a) => canon(mergeFindings(a, a)) === canon(a)));
  });
  it('keeps the later write of a concurrent update instead of losing one (race condition 2)', () => {
    const a = { f: { text: 'Y', confidence: 1, agent: 'a', lamport: 2 } };
    const b = { f: { text: 'Z', confidence: 1, agent: 'b', lamport: 3 }, g: { text: 'W', confidence: 1, agent: 'b', lamport: 3 } };
    expect(mergeFindings(a, b)).toEqual(b);
  });
});
