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
    let id = '';
    while (id.length < length) {
      id += Math.floor(this.stream.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0');
    }
    id = id.slice(0, length);
    return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id;
  }
}
