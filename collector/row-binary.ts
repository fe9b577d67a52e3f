import { attributeColumns, nestedAttributes, type AttributeColumns, type RunColumns, type SpanRecord } from './span-rows.js';

const TWO_32 = 2 ** 32;
const DAY_MS = 86_400_000;
const DATE_DAYS_MAX = 65_535;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * ClickHouse RowBinary values written one after another into one growing
 * buffer: strings as a LEB128 length then their UTF-8 bytes, integers little
 * endian at their column's width, Date as UInt16 days since 1970-01-01,
 * arrays as a LEB128 count then the values. No escaping and nothing for the
 * engine to parse: an 80,000-span insert into chDB took a third of the CPU of
 * the same rows in JSONCompactEachRow (BENCHMARKS.md).
 *
 * Numbers go where JSON would have put the same value: an integer column
 * keeps the decimal JSON.stringify writes, wrapped to the column's width
 * (what ClickHouse does with a too-large JSON integer). A string with a lone
 * surrogate is written with U+FFFD in its place, as TextEncoder does (a JSON
 * insert into current ClickHouse refuses such a row).
 */
export class RowBinaryWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private length = 0;
  /** Rows written (`endRow` calls). */
  rows = 0;

  constructor(bytesHint = 64 * 1024) {
    this.buffer = new Uint8Array(bytesHint);
    this.view = new DataView(this.buffer.buffer);
  }

  string(value: string): void {
    const count = value.length;
    this.reserve(5 + count * 3);
    const start = this.length;
    // ASCII (nearly every value here): one byte per unit, and the length is the unit count.
    let at = this.varint(count, start);
    const buffer = this.buffer;
    for (let index = 0; index < count; index++) {
      const unit = value.charCodeAt(index);
      if (unit >= 0x80) return this.utf8String(value, start);
      buffer[at++] = unit;
    }
    this.length = at;
  }

  /** `value` once it is known not to be ASCII: encoded apart, then its byte length and bytes. */
  private utf8String(value: string, start: number): void {
    const bytes = ENCODER.encode(value);
    const at = this.varint(bytes.length, start);
    this.buffer.set(bytes, at);
    this.length = at + bytes.length;
  }

  strings(values: readonly string[]): void {
    this.reserve(5);
    this.length = this.varint(values.length, this.length);
    for (const value of values) this.string(value);
  }

  uint8(value: number): void {
    const byte = value >= 0 && Number.isSafeInteger(value) ? value % 256 : Number(wrapped(value, 8, 'UInt8'));
    this.reserve(1);
    this.buffer[this.length++] = byte;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >= 0 && Number.isSafeInteger(value) ? value % TWO_32 : Number(wrapped(value, 32, 'UInt32')), true);
    this.length += 4;
  }

  /** A UInt64 column from a number (its JSON decimal, wrapped) or a bigint (0 to 2^64 - 1: nanosecond times). */
  uint64(value: number | bigint): void {
    this.reserve(8);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      this.view.setUint32(this.length, value % TWO_32, true);
      this.view.setUint32(this.length + 4, Math.floor(value / TWO_32), true);
    } else if (typeof value === 'bigint') {
      if (value < 0n || value > UINT64_MAX) throw new RangeError(`not a UInt64 value: ${value}`);
      this.view.setBigUint64(this.length, value, true);
    } else {
      this.view.setBigUint64(this.length, wrapped(value, 64, 'UInt64'), true);
    }
    this.length += 8;
  }

  /** A Date column from `YYYY-MM-DD` (1970-01-01 to 2149-06-06). */
  date(value: string): void {
    const match = DATE.exec(value);
    const days = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS : NaN;
    if (!(days >= 0 && days <= DATE_DAYS_MAX) || new Date(days * DAY_MS).toISOString().slice(0, 10) !== value) {
      throw new RangeError(`not a Date ClickHouse can store (YYYY-MM-DD, 1970-01-01 to 2149-06-06): ${JSON.stringify(value)}`);
    }
    this.reserve(2);
    this.view.setUint16(this.length, days, true);
    this.length += 2;
  }

  /** Raw bytes: values written by another writer (a prefix shared by every row). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  endRow(): void {
    this.rows += 1;
  }

  /** The bytes so far (a view: valid until the next write). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Writes `value` as LEB128 at `at`; returns the offset after it. Room must be reserved. */
  private varint(value: number, at: number): number {
    const buffer = this.buffer;
    while (value >= 0x80) {
      buffer[at++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    buffer[at++] = value;
    return at;
  }

  private reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

const ENCODER = new TextEncoder();
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An integer column's value as ClickHouse stores it from a JSON insert: the
 * decimal JSON.stringify writes for `value`, modulo 2^bits. Anything JSON
 * would not write as an integer (fractions, NaN, negative numbers, 10^21 and
 * up) is refused.
 */
function wrapped(value: number, bits: number, column: string): bigint {
  if (!(Number.isInteger(value) && value >= 0 && value < 1e21)) throw new RangeError(`not a ${column} value: ${value}`);
  return BigInt.asUintN(bits, BigInt(Number.isSafeInteger(value) ? value : String(value)));
}

/**
 * A run's `spans` and `span_events` rows in RowBinary, straight from each
 * span: the same values, column for column, as `spanRow` and `spanEventRows`
 * give (the sweep stores them this way where the store takes RowBinary). The
 * run columns, the same on every row, are encoded once.
 */
export class RunRowBinary {
  readonly spans = new RowBinaryWriter(256 * 1024);
  readonly events = new RowBinaryWriter(64 * 1024);
  private readonly spanPrefix: Uint8Array;
  private readonly eventPrefix: Uint8Array;

  constructor(readonly run: RunColumns) {
    const event = new RowBinaryWriter(256);
    event.date(run.recordedDate);
    event.string(run.runId);
    this.eventPrefix = event.bytes().slice();
    const span = new RowBinaryWriter(256);
    span.raw(this.eventPrefix);
    span.string(run.sweepId);
    span.string(run.scenario);
    span.uint64(run.seed);
    span.string(run.serviceName);
    this.spanPrefix = span.bytes().slice();
  }

  /** Writes the `spans` row of `span`, then its `span_events` rows. Returns the span's attribute columns. */
  add(span: SpanRecord): AttributeColumns {
    const c = attributeColumns(span.attributes);
    const out = this.spans;
    out.raw(this.spanPrefix);
    out.string(span.traceId);
    out.string(span.spanId);
    out.string(span.parentSpanId);
    out.string(span.name);
    out.uint8(span.kind);
    out.uint64(span.startNs);
    out.uint64(span.endNs);
    out.uint64(span.endNs > span.startNs ? span.endNs - span.startNs : 0n);
    out.uint8(span.statusCode);
    out.string(span.statusMessage);
    out.string(c.operation);
    out.string(c.workflowId);
    out.string(c.taskId);
    out.string(c.agentName);
    out.string(c.coordinationKind);
    out.string(c.handoffId);
    out.string(c.handoffSource);
    out.string(c.handoffTarget);
    out.string(c.handoffPhase);
    out.string(c.handoffOutcome);
    out.uint32(c.handoffAttempt);
    out.uint32(c.handoffSchemaVersion);
    out.uint64(c.contextBytes);
    out.uint64(c.contextTokens);
    out.uint64(c.inputTokens);
    out.uint64(c.outputTokens);
    out.string(c.errorType);
    out.strings(c.keys);
    out.strings(c.values);
    out.endRow();
    for (let index = 0; index < span.events.length; index++) this.addEvent(span, index);
    return c;
  }

  private addEvent(span: SpanRecord, index: number): void {
    const { name, timeNs, attributes } = span.events[index]!;
    const { keys, values } = nestedAttributes(attributes);
    const out = this.events;
    out.raw(this.eventPrefix);
    out.string(span.traceId);
    out.string(span.spanId);
    out.uint32(index);
    out.uint64(timeNs);
    out.string(name);
    out.strings(keys);
    out.strings(values);
    out.endRow();
  }
}
