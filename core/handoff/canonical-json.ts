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
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}
