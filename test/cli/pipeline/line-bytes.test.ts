import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBytes } from '../../../cli/pipeline/sweep-seed.js';

describe('LineBytes: the UTF-8 of the lines appended, whatever the starting capacity', () => {
  it('equals the UTF-8 of the joined lines (as the worker encoded them before), across growth, lone surrogates included', () => {
    // Lines end in a newline, as row lines do, so no surrogate pair spans two lines.
    const line = fc.string({ unit: 'binary', maxLength: 400 }).map((text) => `${text}\n`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 0, max: 2048 }), (lines, capacity) => {
        const bytes = new LineBytes(capacity);
        for (const text of lines) bytes.append(text);
        const expected = Buffer.from(new TextEncoder().encode(lines.join('')));
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
