import fc from 'fast-check';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest } from '../../../collector/otlp/decode-trace-request.js';
import { resolveOtlpLimits } from '../../../collector/otlp/otlp-limits.js';
import { ProtoReadError, readExportTraceRequest } from '../../../collector/otlp/trace-proto-reader.js';
import { ExportTraceServiceRequest } from '../../../collector/otlp/trace-proto.js';
import { sdkSpans } from '../server/collector-fixtures.js';

const limits = resolveOtlpLimits({ attributeDepthMax: 3 });
const nowNs = 1_800_000_000_000_000_000n;

/** What decodeTraceRequest makes of a parsed body, or the error it throws. */
function outcome(parse: () => unknown): unknown {
  let body: unknown;
  try {
    body = parse();
  } catch (error) {
    return { parseError: true, readError: error instanceof ProtoReadError || !(error instanceof TypeError) };
  }
  try {
    return decodeTraceRequest(body, 'protobuf', limits, nowNs);
  } catch (error) {
    return { decodeError: (error as Error).message };
  }
}

const viaProtobufjs = (bytes: Uint8Array) => outcome(() => ExportTraceServiceRequest.decode(bytes));
const viaReader = (bytes: Uint8Array) => outcome(() => readExportTraceRequest(Buffer.from(bytes)));

// Requests in protobufjs's object form, covering every field the reader reads or skips.
// Some strings start with U+FEFF: a decoder that strips a byte-order mark would change them.
const text = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 9 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }).map((rest) => `\uFEFF${rest}`), weight: 1 },
);
const anyValue: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ value: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: text }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({ intValue: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({ bytesValue: fc.uint8Array({ maxLength: 6 }) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: text, value: tie('value') }), { maxLength: 3 }) }) }),
    fc.constant({}),
  ),
})).value;
const attributes = fc.array(fc.record({ key: fc.oneof(text, fc.constantFrom('baton.run.id', 'baton.seed', 'service.name')), value: anyValue }, { requiredKeys: ['key'] }), { maxLength: 4 });
// Mostly valid (so spans get through to the rows), sometimes not (so refusals are compared too).
const id = (bytes: number) =>
  fc.oneof(
    { arbitrary: fc.uint8Array({ minLength: bytes, maxLength: bytes, min: 1 }), weight: 9 },
    { arbitrary: fc.uint8Array({ maxLength: bytes + 1 }), weight: 1 },
  );
const time = fc
  .oneof(
    { arbitrary: fc.bigInt({ min: 1_700_000_000_000_000_000n, max: 1_700_000_100_000_000_000n }), weight: 9 },
    { arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), weight: 1 },
  )
  .map(String);
const span = fc.record(
  {
    traceId: id(16),
    spanId: id(8),
    parentSpanId: id(8),
    traceState: text,
    flags: fc.nat(),
    name: text,
    kind: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 5 }), weight: 9 }, { arbitrary: fc.integer({ min: -2, max: 7 }), weight: 1 }),
    startTimeUnixNano: time,
    endTimeUnixNano: time,
    attributes,
    droppedAttributesCount: fc.nat(),
    events: fc.array(fc.record({ timeUnixNano: time, name: text, attributes, droppedAttributesCount: fc.nat() }, { requiredKeys: [] }), { maxLength: 2 }),
    links: fc.array(fc.record({ traceId: id(16), spanId: id(8), traceState: text, attributes, flags: fc.nat() }, { requiredKeys: [] }), { maxLength: 2 }),
    status: fc.record({ message: text, code: fc.integer({ min: -1, max: 3 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['traceId', 'spanId', 'startTimeUnixNano', 'endTimeUnixNano'] },
).map((generated) => {
  // Usually end after start, as real spans do.
  const [start, end] = [generated.startTimeUnixNano, generated.endTimeUnixNano].map((value) => (value === undefined ? undefined : BigInt(value)));
  return start !== undefined && end !== undefined && end < start ? { ...generated, startTimeUnixNano: String(end), endTimeUnixNano: String(start) } : generated;
});
const request = fc.record({
  resourceSpans: fc.array(
    fc.record(
      {
        resource: fc.record({ attributes, droppedAttributesCount: fc.nat() }, { requiredKeys: [] }),
        scopeSpans: fc.array(
          fc.record({ scope: fc.record({ name: text, version: text, attributes }, { requiredKeys: [] }), spans: fc.array(span, { maxLength: 4 }), schemaUrl: text }, { requiredKeys: [] }),
          { maxLength: 2 },
        ),
        schemaUrl: text,
      },
      { requiredKeys: [] },
    ),
    { maxLength: 2 },
  ),
});
const encoded = request.map((object) => ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(object)).finish());

// Hand-written wire bytes, for what protobufjs's encoder never writes.
const varint = (value: bigint): number[] => {
  const bytes: number[] = [];
  do {
    let byte = Number(value & 0x7fn);
    value >>= 7n;
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return bytes;
};
const delimited = (field: number, payload: number[]): number[] => [...varint(BigInt(field * 8 + 2)), ...varint(BigInt(payload.length)), ...payload];
const varintField = (field: number, value: bigint): number[] => [...varint(BigInt(field * 8)), ...varint(value)];
const fixed64 = (field: number, value: bigint): number[] => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return [...varint(BigInt(field * 8 + 1)), ...bytes];
};
const utf8 = (value: string): number[] => [...Buffer.from(value, 'utf8')];
/** A request of one valid span with one attribute `a` whose AnyValue is `anyValue`. */
const oneAttribute = (anyValue: number[]): Uint8Array =>
  Uint8Array.from(
    delimited(
      1,
      delimited(
        2,
        delimited(2, [
          ...delimited(1, Array<number>(16).fill(1)),
          ...delimited(2, Array<number>(8).fill(2)),
          ...delimited(5, utf8('n')),
          ...fixed64(7, 1_700_000_000_000_000_000n),
          ...fixed64(8, 1_700_000_000_000_000_001n),
          ...delimited(9, [...delimited(1, utf8('a')), ...delimited(2, anyValue)]),
        ]),
      ),
    ),
  );

describe('the protobuf reader gives decodeTraceRequest what protobufjs gives it', () => {
  it('for wire bytes an encoder does not write: a oneof twice (the last wins), a non-canonical bool, a leading BOM', () => {
    for (const [what, anyValue, attribute] of [
      ['string then int', [...delimited(1, utf8('x')), ...varintField(3, 5n)], 5],
      ['int then string', [...varintField(3, 5n), ...delimited(1, utf8('x'))], 'x'],
      ['bool as the varint 2^32', varintField(2, 1n << 32n), true],
      ['a string that starts with U+FEFF', delimited(1, utf8('\uFEFFhello')), '\uFEFFhello'],
    ] as const) {
      const body = oneAttribute([...anyValue]);
      const read = viaReader(body) as { batches: { spans: { attributes: Record<string, unknown> }[] }[] };
      expect(read.batches[0]!.spans[0]!.attributes.a, what).toEqual(attribute);
      expect(read, what).toEqual(viaProtobufjs(body));
    }
  });

  it('refuses messages nested past protobufjs\'s recursion limit (100) with a ProtoReadError, as protobufjs refuses them; never a stack overflow', () => {
    const nestedArrays = (depth: number): number[] => {
      let value = delimited(1, utf8('leaf'));
      for (let level = 0; level < depth; level++) value = delimited(5, delimited(1, value));
      return value;
    };
    expect(() => readExportTraceRequest(Buffer.from(oneAttribute(nestedArrays(3_000))))).toThrow(ProtoReadError);
    // A span's attribute AnyValue is at depth 5, each array level adds 2: 47 levels reach 99 and 100, 48 pass it.
    for (const depth of [2, 3, 4, 46, 47, 48, 49]) {
      const body = oneAttribute(nestedArrays(depth));
      expect(viaReader(body), `depth ${depth}`).toEqual(viaProtobufjs(body));
    }
    expect(viaReader(oneAttribute(nestedArrays(47)))).toHaveProperty('decodeError');
    expect(viaReader(oneAttribute(nestedArrays(48)))).toEqual({ parseError: true, readError: true });
  });

  it('for what the official exporter serializer writes', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(sdkSpans(30, { 'service.name': 'reader-test', 'baton.run.id': 'r', 'baton.seed': 3 }))!;
    const decoded = viaReader(bytes) as { acceptedSpans: number };
    expect(decoded.acceptedSpans).toBe(30);
    expect(decoded).toEqual(viaProtobufjs(bytes));
  });

  it('for any request: the same spans, runs, refusals and messages', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(encoded, (bytes) => {
        const read = viaReader(bytes) as { acceptedSpans?: number; rejectedSpans?: number };
        expect(read).toEqual(viaProtobufjs(bytes));
        accepted += read.acceptedSpans ?? 0;
        rejected += read.rejectedSpans ?? 0;
      }),
      { numRuns: 1500 },
    );
    // Both kinds happen often enough to mean something.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });

  it('for corrupted bytes: a ProtoReadError (never a crash), or, where both read a request, the same outcome', () => {
    let bothRead = 0;
    fc.assert(
      fc.property(encoded, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (bytes, flips, cut) => {
        const corrupted = Uint8Array.from(bytes.subarray(0, bytes.length === 0 ? 0 : bytes.length - (cut % Math.max(1, Math.ceil(bytes.length / 4)))));
        for (const [at, value] of flips) if (corrupted.length > 0) corrupted[at % corrupted.length] = value;
        let read: unknown;
        try {
          read = readExportTraceRequest(Buffer.from(corrupted));
        } catch (error) {
          expect(error).toBeInstanceOf(ProtoReadError);
          return;
        }
        const reference = viaProtobufjs(corrupted) as { parseError?: boolean };
        if (reference.parseError) return;
        bothRead++;
        expect(outcome(() => read)).toEqual(reference);
      }),
      { numRuns: 1500 },
    );
    expect(bothRead).toBeGreaterThan(50);
  });
});
