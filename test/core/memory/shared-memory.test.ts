import { describe, expect, it } from 'vitest';
import { SharedMemory } from '../../../core/memory/shared-memory.js';
import { checkAccess, type MemoryFragment } from '../../../core/memory/memory-fragment.js';
import { commitTaskEffect } from '../../../core/memory/task-effects.js';
import { createCoreTestEnv } from '../support/core-test-env.js';

function fragment(data: unknown, overrides: Partial<MemoryFragment> = {}): MemoryFragment {
  return {
    id: 'f',
    spaceId: 'wf-1',
    version: 0,
    content: { type: 'structured', data },
    provenance: { createdByAgent: 'a', createdDuringTask: 't', createdAtUs: 0, confidence: 1, sources: [] },
    access: { visibility: 'workflow', allowedAgents: [], deniedAgents: [] },
    lifecycle: {},
    ...overrides,
  };
}

describe('shared memory', () => {
  it('compare-and-swap refuses a write against an old version', async () => {
    const { env, run } = createCoreTestEnv();
    const memory = new SharedMemory(env, 'epoch-checked');
    const results: unknown[] = [];
    void (async () => {
      results.push(await memory.write(fragment('x'), 0));
      results.push(await memory.write(fragment('y'), 0));
      results.push(await memory.write(fragment('z'), 1));
    })();
    await run();
    expect(results).toEqual([{ ok: true, version: 1 }, { ok: false, reason: 'conflict', currentVersion: 1 }, { ok: true, version: 2 }]);
  });

  it('epoch-checked reads refuse a stale replica and re-read the primary; any-replica acts on it', async () => {
    for (const consistency of ['epoch-checked', 'any-replica'] as const) {
      const { env, run, events } = createCoreTestEnv(1, { replicaLagMs: { dist: 'fixed', value: 1_000 } });
      const memory = new SharedMemory(env, consistency);
      let versionSeen = -1;
      void (async () => {
        await memory.write(fragment('x'));
        const read = await memory.read('wf-1', 'f', { reader: 'b', workflowId: 'wf-1', taskId: 't2', epochRequired: 1 });
        versionSeen = read.ok ? read.fragment.version : 0;
      })();
      await run();
      const reads = events.filter((event) => event.type === 'memory.read');
      if (consistency === 'epoch-checked') {
        expect(reads.map((event) => event.type === 'memory.read' && event.outcome)).toEqual(['refused', 'acted-on']);
        expect(versionSeen).toBe(1);
      } else {
        expect(reads).toHaveLength(1);
        expect(versionSeen).toBe(0);
      }
    }
  });

  it('notifies subscribers of new versions (pub/sub)', async () => {
    const { env, run } = createCoreTestEnv();
    const memory = new SharedMemory(env, 'epoch-checked');
    const seen: number[] = [];
    memory.subscribe('wf-1', (f) => seen.push(f.version));
    void (async () => {
      await memory.write(fragment('x'));
      await memory.write(fragment('y'));
    })();
    await run();
    expect(seen).toEqual([1, 2]);
  });

  it('access control: denied, private, team, expired, deleted', () => {
    expect(checkAccess(fragment('x', { access: { visibility: 'global', allowedAgents: [], deniedAgents: ['b'] } }), 'b', 0)).toBe('denied');
    expect(checkAccess(fragment('x', { access: { visibility: 'private', allowedAgents: [], deniedAgents: [] } }), 'b', 0)).toBe('denied');
    expect(checkAccess(fragment('x', { access: { visibility: 'private', allowedAgents: ['b'], deniedAgents: [] } }), 'b', 0)).toBeUndefined();
    expect(checkAccess(fragment('x', { access: { visibility: 'team', allowedAgents: [], deniedAgents: [], team: ['b'] } }), 'b', 0)).toBeUndefined();
    expect(checkAccess(fragment('x', { lifecycle: { expiresAtUs: 10 } }), 'b', 10)).toBe('expired');
    expect(checkAccess(fragment('x', { lifecycle: { deleted: true } }), 'a', 0)).toBe('deleted');
  });

  it('a task effect commits once under its idempotency key, every time without', async () => {
    for (const idempotent of [true, false]) {
      const { env, run } = createCoreTestEnv();
      const memory = new SharedMemory(env, 'epoch-checked');
      const commits: boolean[] = [];
      void (async () => {
        for (const attempt of [1, 2]) {
          const effect = { workflowId: 'wf-1', taskId: 't', attempt, agent: 'a', findings: ['f'], confidence: 1, nowUs: 0 };
          commits.push((await commitTaskEffect(memory, effect, idempotent)).committed);
        }
      })();
      await run();
      expect(commits).toEqual(idempotent ? [true, false] : [true, true]);
    }
  });
});
