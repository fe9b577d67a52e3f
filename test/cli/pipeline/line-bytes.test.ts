import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBytes } from '../../../cli/pipeline/sweep-seed.js';

describe('LineBytes: the UTF-8 of the lines appended, whatever the starting capacity', () => {
  it('equals Buffer.from of the joined text, across growth, for any strings (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 400 }), { maxLength: 40 }), fc.integer({ min: 0, max: 2048 }), (lines, capacity) => {
        const bytes = new LineBytes(capacity);
        for (const line of lines) bytes.append(line);
        const expected = Buffer.from(lines.join(''), 'utf8');
        const taken = bytes.take();
        expect(bytes.size).toBe(expected.length);
        expect(Buffer.from(taken).equals(expected)).toBe(true);
        // An ArrayBuffer of its own, exactly the bytes: what the worker transfers.
        expect(taken.byteOffset).toBe(0);
        expect(taken.buffer.byteLength).toBe(expected.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a line of 4-byte characters that overflows a small buffer is written whole', () => {
    const bytes = new LineBytes(0);
    const line = '😀'.repeat(5000);
    bytes.append('a');
    bytes.append(line);
    expect(Buffer.from(bytes.take()).toString('utf8')).toBe(`a${line}`);
  });
});
