import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every error code storage and the sink can raise is explained in docs/clickhouse.md.
const SOURCES = ['collector/store', 'collector/sink'];

describe('storage error catalog', () => {
  it('documents every BATON_ERR_ code used in collector/store and collector/sink', () => {
    const codes = new Set<string>();
    for (const dir of SOURCES) {
      for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts'))) {
        for (const match of readFileSync(join(dir, name), 'utf8').matchAll(/BATON_ERR_[A-Z_]+/g)) codes.add(match[0]);
      }
    }
    expect(codes.size).toBeGreaterThanOrEqual(8);
    const doc = readFileSync('docs/clickhouse.md', 'utf8');
    expect([...codes].filter((code) => !doc.includes(code))).toEqual([]);
  });
});
