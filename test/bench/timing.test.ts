import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childrenCpuMs, procStatCpuMs } from '../../bench/harness/timing.js';

describe('children CPU from /proc/self/stat', () => {
  it('reads utime + stime (fields 14 and 15) and cutime + cstime (16 and 17) in ms, whatever the command name holds', () => {
    const fields = (comm: string) => `4242 (${comm}) S 1 4242 4242 0 -1 4194560 900 1200 0 0 37 5 250 31 20 0 3 0 99 1000 200`;
    expect(procStatCpuMs(fields('node'))).toEqual({ ownMs: 420, childrenMs: 2810 });
    expect(procStatCpuMs(fields('a) (b c'))).toEqual({ ownMs: 420, childrenMs: 2810 });
    expect(() => procStatCpuMs('not a stat line')).toThrow(RangeError);
  });

  it.runIf(process.platform === 'linux')('grows by the CPU a waited-for child used', () => {
    const before = childrenCpuMs()!;
    // 2e8 additions: well over one 10 ms tick of CPU on any machine; the assertion is only that it counts.
    const child = spawnSync(process.execPath, ['-e', 'let s = 0; for (let i = 0; i < 2e8; i++) s += i; console.log(s > 0)']);
    expect(child.status).toBe(0);
    expect(childrenCpuMs()!).toBeGreaterThan(before);
  });
});
