import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBaton } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'baton-cluster-flag-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--clickhouse-cluster', () => {
  it('is refused without a server URL (exit 2), on every storage command', () => {
    for (const command of ['migrate', 'prune --older-than 30d']) {
      const result = runBaton(work, [...command.split(' '), '--clickhouse-cluster', 'analytics'], { env: { ...process.env, BATON_CLICKHOUSE_URL: '' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('a cluster (analytics) needs a ClickHouse server URL');
    }
  });

  it('is documented in the help of run and sweep', () => {
    expect(runBaton(work, ['run', '--help']).stdout).toContain('--clickhouse-cluster NAME');
    expect(runBaton(work, ['sweep', '--help']).stdout).toContain('--clickhouse-cluster NAME');
  });
});
