/**
 * Row text built row by row into one growing buffer: each row's UTF-8 bytes
 * then a newline (or lines that already end in one, in any row format),
 * without joining the rows into one string first.
 */
export class JsonLines {
  private buffer: Buffer;
  private length = 0;
  rows = 0;

  constructor(bytesHint = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(bytesHint);
  }

  push(row: string): void {
    this.reserve(row.length * 3 + 1);
    this.length += this.buffer.write(row, this.length, 'utf8');
    this.buffer[this.length++] = 0x0a;
    this.rows += 1;
  }

  /** Appends `count` rows given as lines that already end in a newline each. */
  pushLines(lines: string, count: number): void {
    this.reserve(lines.length * 3);
    this.length += this.buffer.write(lines, this.length, 'utf8');
    this.rows += count;
  }

  /** Room for `bytes` more. UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, takes 4). */
  private reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** The text so far (a view: valid until the next push). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
