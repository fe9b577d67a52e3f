/**
 * JSON with object keys sorted at every level, so that equal values always
 * serialize to the same bytes (the input of the envelope checksum).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * A copy of `value` whose objects have their keys in sorted order (undefined
 * values left out), for JSON.stringify. Only objects are rebuilt: an array is
 * copied only when it holds an object, since JSON.stringify writes an array of
 * primitives the same whether it is the original or a copy (an envelope is
 * mostly such arrays, and it is sealed on every handoff). An array with its
 * own `toJSON` is copied as before, so that it serializes as a plain array.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item !== null && typeof item === 'object') (copy ??= value.slice())[index] = sortKeys(item);
    }
    if (copy === undefined && typeof (value as { toJSON?: unknown }).toJSON === 'function') return value.slice();
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of sortedKeys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}

/** Above this many keys `sortedKeys` leaves the sorting to Array.prototype.sort. */
const INSERTION_SORT_KEYS_MAX = 32;

/**
 * `Object.keys(object).sort()`, the same array, without the builtin sort's
 * work array for the few keys an envelope object or a span's attributes have:
 * an insertion sort comparing with `>` orders strings by UTF-16 code units,
 * as the default sort does, and keys are distinct, so stability is moot.
 * (A sort per span, per span event and per envelope object made a tenth of
 * the bytes a seed allocates, BENCHMARKS.md.)
 */
export function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  const count = keys.length;
  if (count > INSERTION_SORT_KEYS_MAX) return keys.sort();
  for (let index = 1; index < count; index++) {
    const key = keys[index]!;
    let at = index - 1;
    while (at >= 0 && keys[at]! > key) {
      keys[at + 1] = keys[at]!;
      at--;
    }
    keys[at + 1] = key;
  }
  return keys;
}
