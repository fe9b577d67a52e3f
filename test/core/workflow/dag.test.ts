import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../core/workflow/dag.js';
import { DagCycleError, DagInvalidError } from '../../../core/errors/core-errors.js';
import type { TaskSpec } from '../../../core/workflow/types.js';

const task = (id: string, dependsOn: string[] = []): TaskSpec => ({ id, agent: 'a', dependsOn });

describe('planBatches', () => {
  it('puts independent tasks in one batch and dependants after their dependencies', () => {
    // The due-diligence DAG of the seed documents.
    const batches = planBatches([
      task('financial_analysis'),
      task('legal_review', ['financial_analysis']),
      task('market_analysis'),
      task('synthesis', ['legal_review', 'market_analysis']),
    ]);
    expect(batches).toEqual([['financial_analysis', 'market_analysis'], ['legal_review'], ['synthesis']]);
  });

  it('refuses a cycle and names it', () => {
    const error = (() => {
      try {
        planBatches([task('a', ['c']), task('b', ['a']), task('c', ['b'])]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DagCycleError);
    const cycle = (error as DagCycleError).cycle;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
    expect((error as DagCycleError).code).toBe('BATON_ERR_DAG_CYCLE');
  });

  it('refuses a self-dependency, an unknown dependency and a repeated id', () => {
    expect(() => planBatches([task('a', ['a'])])).toThrow(DagCycleError);
    expect(() => planBatches([task('a', ['ghost'])])).toThrow(DagInvalidError);
    expect(() => planBatches([task('a'), task('a')])).toThrow(/declared twice/);
  });
});
