/**
 * Values as ClickHouse's TabSeparated format writes them, for rows the
 * collector spools for a ClickHouse server (18.16 has no JSONCompactEachRow,
 * and TabSeparated is half the bytes of JSONEachRow to build, sync, send and
 * parse). Escapes are those ClickHouse itself writes: backslash, tab,
 * newline, CR, NUL, backspace, form feed and the single quote. A value
 * TabSeparated cannot carry as JSONEachRow would store it throws
 * UnrepresentableInTsv, and the caller writes the record as JSONEachRow.
 */
export class UnrepresentableInTsv extends Error {
  constructor(what: string) {
    super(`not representable in TabSeparated: ${what}`);
    this.name = 'UnrepresentableInTsv';
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', '\b': '\\b', '\f': '\\f', "'": "\\'" };
/** Characters that need an escape, or a look (surrogates: a lone one has no UTF-8 form). */
const SPECIAL = /[\\\t\n\r\0\b\f'\ud800-\udfff]/;
const ESCAPED = /[\\\t\n\r\0\b\f']/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const escape = (char: string): string => ESCAPES[char]!;

/** A String column's field. */
export function tsvString(value: string): string {
  if (!SPECIAL.test(value)) return value;
  // JSON.stringify writes a lone surrogate as an escape (which 18.16 refuses);
  // UTF-8 would silently turn it into U+FFFD. Neither is the same row.
  if (LONE_SURROGATE.test(value)) throw new UnrepresentableInTsv('a string with a lone surrogate');
  return value.replace(ESCAPED, escape);
}

/** An Array(String) column's field: `['a','b']`, each element quoted and escaped. */
export function tsvStrings(values: readonly string[]): string {
  let field = '[';
  for (let index = 0; index < values.length; index++) field += `${index === 0 ? "'" : ",'"}${tsvString(values[index]!)}'`;
  return `${field}]`;
}

/** An unsigned integer column's field: only a safe non-negative integer is written as JSONEachRow would store it. */
export function tsvUnsigned(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new UnrepresentableInTsv(`the number ${value}`);
  return String(value);
}

const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', '0': '\0', b: '\b', f: '\f', "'": "'" };
const ESCAPE_SEQUENCE = /\\(.)/gs;
const unescape = (_sequence: string, char: string): string => UNESCAPES[char] ?? char;

/** A String field back to its value (the inverse of `tsvString`). */
export function parseTsvString(field: string): string {
  return field.includes('\\') ? field.replace(ESCAPE_SEQUENCE, unescape) : field;
}

/** An Array(String) field back to its values (the inverse of `tsvStrings`). */
export function parseTsvStrings(field: string): string[] {
  if (field === '[]') return [];
  const values: string[] = [];
  // Elements are '…' with every ' and \ inside escaped: an element ends at the first unescaped '.
  for (let at = 1; at < field.length - 1; ) {
    let end = at + 1;
    while (end < field.length && field[end] !== "'") end += field[end] === '\\' ? 2 : 1;
    if (end >= field.length) throw new Error(`unterminated string in the array field ${field.slice(0, 80)}`);
    values.push(parseTsvString(field.slice(at + 1, end)));
    at = end + 2;
  }
  return values;
}
