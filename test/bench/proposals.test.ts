/**
 * BENCHMARKS.md proposes replacing hot paths in files the performance work does
 * not own; each proposal lives in bench/proposals/ and must give exactly what
 * the current code gives, so that adopting it can never change a report.
 * Event log: lines hashed in ~16 KiB chunks must give the digest of one
 * `hash.update` per line, at any point of the log, for any text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../simulator/world/event-log.js';
import { BufferedEventLog } from '../../bench/proposals/buffered-event-log.js';

const line = fc.record({
  timeUs: fc.nat(),
  // 'binary' includes lone surrogates: lines start with digits and end with \n, so
  // concatenating lines never pairs two surrogates into a different character.
  text: fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ minLength: 5000, maxLength: 20000 })),
});

describe('buffered event log (proposal)', () => {
  it('gives the same digest, size and entries as EventLog after every append', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.boolean(), (lines, retain) => {
        const current = new EventLog(retain);
        const proposed = new BufferedEventLog(retain);
        for (const { timeUs, text } of lines) {
          current.append(timeUs, text);
          proposed.append(timeUs, text);
          expect(proposed.digest()).toBe(current.digest());
        }
        expect(proposed.size).toBe(current.size);
        expect(proposed.entries).toEqual(current.entries);
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('gives the same digest over a long log that crosses many chunks', () => {
    const current = new EventLog(false);
    const proposed = new BufferedEventLog(false);
    for (let index = 0; index < 50_000; index++) {
      const text = `net.send researcher->analyst handoff.offer delay=${index * 37}`;
      current.append(index * 10, text);
      proposed.append(index * 10, text);
    }
    expect(proposed.digest()).toBe(current.digest());
  });
});
