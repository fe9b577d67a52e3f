import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { RandomStream } from '../../core/env/random.js';

/**
 * Trace and span ids drawn from a seeded stream, so that the same seed gives
 * the same ids. Never all zeros (an invalid id in OpenTelemetry).
 */
export class SeededIdGenerator implements IdGenerator {
  constructor(private readonly stream: RandomStream) {}

  generateTraceId(): string {
    return this.hex(32);
  }

  generateSpanId(): string {
    return this.hex(16);
  }

  private hex(length: number): string {
    // 32 random bits per draw, written as 8 hex digits through a byte table.
    let id = '';
    while (id.length < length) {
      const word = Math.floor(this.stream.next() * 0x1_0000_0000);
      id += BYTE_HEX[word >>> 24] + BYTE_HEX[(word >>> 16) & 0xff] + BYTE_HEX[(word >>> 8) & 0xff] + BYTE_HEX[word & 0xff];
    }
    if (id.length > length) id = id.slice(0, length);
    return id === (ZEROS[length] ??= '0'.repeat(length)) ? `${id.slice(0, -1)}1` : id;
  }
}

/** All-zero ids by length (OpenTelemetry's invalid ids). */
const ZEROS: Record<number, string> = {};

/** Two lowercase hex digits of every byte value. */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
