import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { InvalidItem, within } from './otlp-error.js';
import type { ResolvedOtlpLimits } from './otlp-limits.js';

/** How the request was encoded: ids, bytes and int64 look different in each. */
export type OtlpEncoding = 'json' | 'protobuf';

type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

// Paths in InvalidItem are relative to the value read (`''` is the value
// itself); callers prefix their part with `within`.

const ANY_VALUE_FIELDS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;
const INT64_TEXT = /^-?\d{1,19}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isLong(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { low?: unknown }).low === 'number' && typeof (value as { high?: unknown }).high === 'number';
}

/** An optional repeated field: absent is empty, anything but an array is refused. */
export function listAt(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidItem('', 'expected an array');
  return value;
}

/** An optional string field: absent is ''. */
export function stringAt(value: unknown, charsMax: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new InvalidItem('', 'expected a string');
  if (value.length > charsMax) throw new InvalidItem('', `longer than ${charsMax} chars`);
  return wellFormed(value);
}

/**
 * `text` with lone UTF-16 surrogates replaced by U+FFFD. JSON allows `\ud800`
 * alone, but ClickHouse refuses it on insert, and one such span would block
 * its spool segment forever; every string from a request passes here.
 */
export function wellFormed(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed();
}

/** An int64 sent as a JSON number or decimal string (or read from protobuf: a bigint, or a protobufjs Long). */
export function int64At(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INT64_TEXT.test(value)) return BigInt(value);
  // protobufjs decodes 64-bit fields to Long objects (two 32-bit halves).
  if (isLong(value)) {
    const { low, high, unsigned } = value as { low: number; high: number; unsigned?: boolean };
    const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
    return unsigned ? bits : BigInt.asIntN(64, bits);
  }
  throw new InvalidItem('', 'expected an integer (number or decimal string)');
}

/**
 * A list of OTLP KeyValue as OpenTelemetry attributes. Homogeneous arrays of
 * primitives stay arrays; maps, mixed or nested arrays become JSON text;
 * bytes become base64; int64 beyond 2^53 stays a decimal string. `base`
 * (resource and scope attributes) comes first; the list's own keys win.
 */
export function attributesAt(value: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, base?: Attributes): Attributes {
  const list = listAt(value);
  if (list.length > limits.attributesPerItemMax) {
    throw new InvalidItem('', `${list.length} attributes, more than the limit of ${limits.attributesPerItemMax}`);
  }
  const attributes: Attributes = {};
  // Copying the inherited attributes key by key first, then adding the
  // span's own, is several times faster than spreading three objects.
  if (base !== undefined) for (const key in base) attributes[key] = base[key];
  for (let index = 0; index < list.length; index += 1) {
    try {
      const [key, plain] = keyValueAt(list[index], encoding, limits, 1);
      const attribute = toAttributeValue(plain);
      const chars = typeof attribute === 'string' ? attribute.length : typeof attribute === 'object' ? JSON.stringify(attribute).length : 0;
      if (chars > limits.attributeValueCharsMax) throw new InvalidItem('.value', `${chars} chars, more than the limit of ${limits.attributeValueCharsMax}`);
      attributes[key] = attribute;
    } catch (error) {
      throw within(error, `[${index}]`);
    }
  }
  return attributes;
}

function keyValueAt(item: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, depth: number): [string, PlainValue] {
  if (!isRecord(item)) throw new InvalidItem('', 'expected a KeyValue object');
  const key = item.key;
  if (typeof key !== 'string' || key.length === 0) throw new InvalidItem('.key', 'expected a non-empty string');
  if (key.length > limits.attributeKeyCharsMax) throw new InvalidItem('.key', `longer than ${limits.attributeKeyCharsMax} chars`);
  try {
    return [wellFormed(key), anyValueAt(item.value, encoding, limits, depth)];
  } catch (error) {
    throw within(error, '.value');
  }
}

function anyValueAt(value: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, depth: number): PlainValue {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new InvalidItem('', 'expected an AnyValue object');
  if (depth > limits.attributeDepthMax) throw new InvalidItem('', `nested deeper than ${limits.attributeDepthMax}`);
  let field: (typeof ANY_VALUE_FIELDS)[number] | undefined;
  for (const candidate of ANY_VALUE_FIELDS) {
    // Own properties only: a decoded protobuf message has every oneof member
    // on its prototype with a default; only the one on the wire is its own.
    if (!Object.hasOwn(value, candidate) || value[candidate] === undefined || value[candidate] === null) continue;
    if (field !== undefined) throw new InvalidItem('', `expected one of ${ANY_VALUE_FIELDS.join('|')}, got ${field} and ${candidate}`);
    field = candidate;
  }
  if (field === undefined) return null;
  try {
    return anyValueFieldAt(field, value[field], encoding, limits, depth);
  } catch (error) {
    throw within(error, `.${field}`);
  }
}

function anyValueFieldAt(field: (typeof ANY_VALUE_FIELDS)[number], inner: unknown, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, depth: number): PlainValue {
  switch (field) {
    case 'stringValue':
      if (typeof inner !== 'string') throw new InvalidItem('', 'expected a string');
      if (inner.length > limits.attributeValueCharsMax) throw new InvalidItem('', `longer than ${limits.attributeValueCharsMax} chars`);
      return wellFormed(inner);
    case 'boolValue':
      if (typeof inner !== 'boolean') throw new InvalidItem('', 'expected true or false');
      return inner;
    case 'intValue': {
      const big = int64At(inner)!;
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
    }
    case 'doubleValue':
      return doubleAt(inner);
    case 'bytesValue':
      return bytesAt(inner, encoding);
    case 'arrayValue': {
      if (!isRecord(inner)) throw new InvalidItem('', 'expected an ArrayValue object');
      const elements = listOf(inner.values);
      return elements.map((element, index) => {
        try {
          return anyValueAt(element, encoding, limits, depth + 1);
        } catch (error) {
          throw within(error, `.values[${index}]`);
        }
      });
    }
    case 'kvlistValue': {
      if (!isRecord(inner)) throw new InvalidItem('', 'expected a KeyValueList object');
      const entries = listOf(inner.values);
      if (entries.length > limits.attributesPerItemMax) {
        throw new InvalidItem('.values', `${entries.length} entries, more than the limit of ${limits.attributesPerItemMax}`);
      }
      const map: { [key: string]: PlainValue } = {};
      entries.forEach((entry, index) => {
        try {
          const [key, plain] = keyValueAt(entry, encoding, limits, depth + 1);
          map[key] = plain;
        } catch (error) {
          throw within(error, `.values[${index}]`);
        }
      });
      return map;
    }
  }
}

function listOf(values: unknown): unknown[] {
  try {
    return listAt(values);
  } catch (error) {
    throw within(error, '.values');
  }
}

function doubleAt(value: unknown): PlainValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  // proto3 JSON spells the non-finite doubles as strings.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new InvalidItem('', 'expected a number');
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytesAt(value: unknown, encoding: OtlpEncoding): string {
  if (encoding === 'protobuf' && value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'string' && BASE64.test(value)) return value;
  throw new InvalidItem('', 'expected base64 bytes');
}

/** The OTel attribute value storing `plain`: primitives and homogeneous primitive arrays as-is, the rest as JSON. */
function toAttributeValue(plain: PlainValue): AttributeValue {
  if (plain === null) return '';
  if (typeof plain !== 'object') return plain;
  if (Array.isArray(plain)) {
    if (plain.length === 0) return [];
    const kind = typeof plain[0];
    if ((kind === 'string' || kind === 'number' || kind === 'boolean') && plain.every((element) => typeof element === kind)) return plain as AttributeValue;
  }
  return JSON.stringify(plain);
}
