import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// STYLE.md: one error catalog; every code used in the source is documented.
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('error catalog', () => {
  it('documents every BATON_ERR_ code the source raises', () => {
    const codes = new Set<string>();
    for (const dir of ['core', 'simulator', 'collector', 'scenarios', 'reports', 'cli']) {
      for (const file of sources(dir)) {
        for (const match of readFileSync(file, 'utf8').matchAll(/BATON_ERR_[A-Z0-9_]+/g)) codes.add(match[0]);
      }
    }
    expect(codes.size).toBeGreaterThan(10);
    const catalog = readFileSync('docs/errors.md', 'utf8');
    const missing = [...codes].filter((code) => !catalog.includes(`\`${code}\``)).sort();
    expect(missing).toEqual([]);
  });
});
