import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// core/ must run deterministically under the simulator: no real time, no real
// randomness, no I/O. Everything goes through the Env ports.
const BANNED: { pattern: RegExp; what: string }[] = [
  { pattern: /\bDate\b/, what: 'Date' },
  { pattern: /\bMath\.random\b/, what: 'Math.random' },
  { pattern: /\bset(Timeout|Interval|Immediate)\b/, what: 'timers' },
  // The kernel's drain guarantee assumes core queues no ticks of its own.
  { pattern: /\bprocess\.nextTick\b|\bqueueMicrotask\b/, what: 'nextTick/queueMicrotask' },
  { pattern: /\bperformance\b/, what: 'performance' },
  { pattern: /\bprocess\.hrtime\b/, what: 'process.hrtime' },
  { pattern: /\bcrypto\.random\w*|\brandom(UUID|Bytes|Int|Fill\w*)\b/, what: 'crypto.random*' },
  { pattern: /from\s+['"](node:)?(fs|fs\/promises|net|http|https|dgram|child_process|worker_threads|timers)['"]/, what: 'I/O module' },
  { pattern: /require\(\s*['"](node:)?(fs|net|http|https|child_process)['"]\s*\)/, what: 'I/O module' },
];

/** Violations of the banned list in `source`, ignoring comments. */
export function findBanned(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return BANNED.filter(({ pattern }) => pattern.test(code)).map(({ what }) => what);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('core purity', () => {
  it('the scanner catches each banned use', () => {
    expect(findBanned('const t = Date.now();')).toContain('Date');
    expect(findBanned('const x = Math.random();')).toContain('Math.random');
    expect(findBanned('setTimeout(() => {}, 1);')).toContain('timers');
    expect(findBanned("import { readFileSync } from 'node:fs';")).toContain('I/O module');
    expect(findBanned("import net from 'net';")).toContain('I/O module');
    expect(findBanned('crypto.randomUUID()')).toContain('crypto.random*');
    expect(findBanned('process.nextTick(run);')).toContain('nextTick/queueMicrotask');
    expect(findBanned('queueMicrotask(run);')).toContain('nextTick/queueMicrotask');
    expect(findBanned('// Date is fine in a comment\nconst a = 1;')).toEqual([]);
  });

  it('no file of core/ uses real time, randomness or I/O', () => {
    const root = join(import.meta.dirname, '..', '..');
    const files = sourceFiles(join(root, 'core'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files
      .map((file) => ({ file: relative(root, file), banned: findBanned(readFileSync(file, 'utf8')) }))
      .filter((entry) => entry.banned.length > 0);
    expect(offenders).toEqual([]);
  });
});
