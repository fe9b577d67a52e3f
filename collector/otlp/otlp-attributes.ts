import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { InvalidItem } from './otlp-error.js';
import type { ResolvedOtlpLimits } from './otlp-limits.js';

/** How the request was encoded: ids, bytes and int64 look different in each. */
export type OtlpEncoding = 'json' | 'protobuf';

type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

const ANY_VALUE_FIELDS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;
const INT64_TEXT = /^-?\d{1,19}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** An optional repeated field: absent is empty, anything but an array is refused. */
export function listAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidItem(path, 'expected an array');
  return value;
}

/** An optional string field: absent is ''. */
export function stringAt(value: unknown, path: string, charsMax: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new InvalidItem(path, 'expected a string');
  if (value.length > charsMax) throw new InvalidItem(path, `longer than ${charsMax} chars`);
  return value;
}

/** An int64 sent as a JSON number or decimal string (or a protobufjs long string). */
export function int64At(value: unknown, path: string): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INT64_TEXT.test(value)) return BigInt(value);
  throw new InvalidItem(path, 'expected an integer (number or decimal string)');
}

/**
 * A list of OTLP KeyValue as OpenTelemetry attributes. Homogeneous arrays of
 * primitives stay arrays; maps, mixed or nested arrays become JSON text;
 * bytes become base64; int64 beyond 2^53 stays a decimal string.
 */
export function attributesAt(value: unknown, path: string, encoding: OtlpEncoding, limits: ResolvedOtlpLimits): Attributes {
  const list = listAt(value, path);
  if (list.length > limits.attributesPerItemMax) {
    throw new InvalidItem(path, `${list.length} attributes, more than the limit of ${limits.attributesPerItemMax}`);
  }
  const attributes: Attributes = {};
  list.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const [key, plain] = keyValueAt(item, itemPath, encoding, limits, 1);
    const attribute = toAttributeValue(plain);
    const chars = typeof attribute === 'string' ? attribute.length : JSON.stringify(attribute).length;
    if (chars > limits.attributeValueCharsMax) {
      throw new InvalidItem(`${itemPath}.value`, `${chars} chars, more than the limit of ${limits.attributeValueCharsMax}`);
    }
    attributes[key] = attribute;
  });
  return attributes;
}

function keyValueAt(item: unknown, path: string, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, depth: number): [string, PlainValue] {
  if (!isRecord(item)) throw new InvalidItem(path, 'expected a KeyValue object');
  if (typeof item.key !== 'string' || item.key.length === 0) throw new InvalidItem(`${path}.key`, 'expected a non-empty string');
  if (item.key.length > limits.attributeKeyCharsMax) {
    throw new InvalidItem(`${path}.key`, `longer than ${limits.attributeKeyCharsMax} chars`);
  }
  return [item.key, anyValueAt(item.value, `${path}.value`, encoding, limits, depth)];
}

function anyValueAt(value: unknown, path: string, encoding: OtlpEncoding, limits: ResolvedOtlpLimits, depth: number): PlainValue {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new InvalidItem(path, 'expected an AnyValue object');
  if (depth > limits.attributeDepthMax) throw new InvalidItem(path, `nested deeper than ${limits.attributeDepthMax}`);
  const present = ANY_VALUE_FIELDS.filter((field) => value[field] !== undefined && value[field] !== null);
  if (present.length === 0) return null;
  if (present.length > 1) throw new InvalidItem(path, `expected one of ${ANY_VALUE_FIELDS.join('|')}, got ${present.join(' and ')}`);
  const field = present[0]!;
  const inner = value[field];
  const fieldPath = `${path}.${field}`;
  switch (field) {
    case 'stringValue':
      if (typeof inner !== 'string') throw new InvalidItem(fieldPath, 'expected a string');
      if (inner.length > limits.attributeValueCharsMax) throw new InvalidItem(fieldPath, `longer than ${limits.attributeValueCharsMax} chars`);
      return inner;
    case 'boolValue':
      if (typeof inner !== 'boolean') throw new InvalidItem(fieldPath, 'expected true or false');
      return inner;
    case 'intValue': {
      const big = int64At(inner, fieldPath)!;
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
    }
    case 'doubleValue':
      return doubleAt(inner, fieldPath);
    case 'bytesValue':
      return bytesAt(inner, fieldPath, encoding);
    case 'arrayValue': {
      if (!isRecord(inner)) throw new InvalidItem(fieldPath, 'expected an ArrayValue object');
      return listAt(inner.values, `${fieldPath}.values`).map((element, index) =>
        anyValueAt(element, `${fieldPath}.values[${index}]`, encoding, limits, depth + 1),
      );
    }
    case 'kvlistValue': {
      if (!isRecord(inner)) throw new InvalidItem(fieldPath, 'expected a KeyValueList object');
      const entries = listAt(inner.values, `${fieldPath}.values`);
      if (entries.length > limits.attributesPerItemMax) {
        throw new InvalidItem(`${fieldPath}.values`, `${entries.length} entries, more than the limit of ${limits.attributesPerItemMax}`);
      }
      const map: { [key: string]: PlainValue } = {};
      entries.forEach((entry, index) => {
        const [key, plain] = keyValueAt(entry, `${fieldPath}.values[${index}]`, encoding, limits, depth + 1);
        map[key] = plain;
      });
      return map;
    }
  }
}

function doubleAt(value: unknown, path: string): PlainValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  // proto3 JSON spells the non-finite doubles as strings.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new InvalidItem(path, 'expected a number');
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytesAt(value: unknown, path: string, encoding: OtlpEncoding): string {
  if (encoding === 'protobuf' && value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'string' && BASE64.test(value)) return value;
  throw new InvalidItem(path, 'expected base64 bytes');
}

/** The OTel attribute value storing `plain`: primitives and homogeneous primitive arrays as-is, the rest as JSON. */
function toAttributeValue(plain: PlainValue): AttributeValue {
  if (plain === null) return '';
  if (typeof plain !== 'object') return plain;
  if (Array.isArray(plain)) {
    const kinds = new Set(plain.map((element) => typeof element));
    const kind = [...kinds][0];
    if (plain.length === 0) return [];
    if (kinds.size === 1 && (kind === 'string' || kind === 'number' || kind === 'boolean')) return plain as AttributeValue;
  }
  return JSON.stringify(plain);
}
