/**
 * The one escaping function for values placed in SQL text: a ClickHouse string
 * literal with backslash, quote and control characters escaped. Every value that
 * reaches SQL passes through here (or `sqlNumber`).
 */
export function sqlString(value: string): string {
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === "'") out += "\\'";
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}'`;
}

/** A finite number as SQL text; anything else is refused. */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Returns `name` when it is a plain identifier (database, table, cluster); throws otherwise. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new InvalidIdentifierError(name);
  return name;
}

export class InvalidIdentifierError extends Error {
  readonly code = 'BATON_ERR_SQL_IDENTIFIER';
  constructor(readonly identifier: string) {
    super(`invalid SQL identifier ${JSON.stringify(identifier)}: use letters, digits and _, starting with a letter or _`);
    this.name = 'InvalidIdentifierError';
  }
}
