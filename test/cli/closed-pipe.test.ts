import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tsNodeArgs } from '../support/cli.js';

describe('stdout closed early', () => {
  it('`baton check scenarios/*.yaml | head -1` prints one line and exits as it would have, without an EPIPE stack', () => {
    const files = readdirSync(join(repoRoot, 'scenarios')).filter((name) => name.endsWith('.yaml')).map((name) => join(repoRoot, 'scenarios', name));
    expect(files.length).toBeGreaterThan(10);
    const command = [process.execPath, ...tsNodeArgs('cli/entry.ts', ['check', ...files])].map((word) => `'${word}'`).join(' ');
    // head exits after its first line; baton keeps writing into the closed pipe.
    const result = spawnSync('bash', ['-c', `${command} | head -1; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
