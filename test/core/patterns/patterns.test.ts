import { describe, expect, it } from 'vitest';
import { Blackboard } from '../../../core/patterns/blackboard.js';
import { weightedSynthesis } from '../../../core/patterns/confidence-synthesis.js';
import { runDebate } from '../../../core/patterns/debate-rounds.js';
import { progressiveRefinement } from '../../../core/patterns/progressive-refinement.js';
import { debate, hierarchical, parallelWithSync, pipeline } from '../../../core/patterns/workflow-patterns.js';
import { planBatches } from '../../../core/workflow/dag.js';
import { createCoreTestEnv } from '../support/core-test-env.js';

const role = (id: string) => ({ id, agent: `${id}-agent` });

describe('workflow patterns as DAGs', () => {
  it('pipeline, parallel with sync point, hierarchical and debate plan into the expected phases', () => {
    expect(planBatches(pipeline('p', [role('a'), role('b'), role('c')]).tasks)).toEqual([['a'], ['b'], ['c']]);
    expect(planBatches(parallelWithSync('s', [role('x'), role('y')], role('sync')).tasks)).toEqual([['x', 'y'], ['sync']]);
    expect(planBatches(hierarchical('h', role('plan'), [role('s1'), role('s2')], role('merge')).tasks)).toEqual([['plan'], ['s1', 's2'], ['merge']]);
    expect(planBatches(debate('d', role('pro'), role('con'), role('judge'), 2).tasks)).toEqual([['pro_1', 'con_1'], ['pro_2', 'con_2'], ['judge']]);
  });
});

describe('progressive refinement', () => {
  it('narrows the scope stage by stage and stops early on a low-value path', async () => {
    const seen: string[][] = [];
    const outcome = await progressiveRefinement(['broad', 'focused', 'detailed'], ['a', 'b', 'c'], async (stage, areas) => {
      seen.push(areas);
      return { focus: areas.slice(0, 1), value: stage === 'broad' ? 0.9 : 0.1, findings: [`${stage}:${areas.join('')}`] };
    });
    expect(seen).toEqual([['a', 'b', 'c'], ['a']]);
    expect(outcome.terminatedEarly).toEqual({ afterStage: 'focused', reason: 'low-value' });
  });

  it('runs every stage when each is worth it', async () => {
    const outcome = await progressiveRefinement(['broad', 'focused', 'detailed'], ['a'], async (_stage, areas) => ({ focus: areas, value: 1, findings: [] }));
    expect(outcome.stagesRun).toEqual(['broad', 'focused', 'detailed']);
    expect(outcome.terminatedEarly).toBeUndefined();
  });
});

describe('debate with rounds', () => {
  it('rebuts the other side and stops once the judge is confident', async () => {
    const heard: (string | undefined)[] = [];
    const outcome = await runDebate(
      'event sourcing',
      async (side, _topic, opposing) => {
        heard.push(opposing);
        return `${side} argument`;
      },
      async () => ({ verdict: heard.length >= 4 ? 'affirmative' : 'inconclusive', confidence: 0.9 }),
      { roundsMax: 5 },
    );
    expect(outcome.rounds).toHaveLength(2);
    expect(heard.slice(2).sort()).toEqual(['con argument', 'pro argument']);
    expect(outcome.verdict.verdict).toBe('affirmative');
  });
});

describe('confidence-weighted synthesis (seed 002)', () => {
  it('weights by confidence and authority, not a plain average', () => {
    expect(weightedSynthesis([{ agent: 'reg', score: 1, confidence: 1, authority: 1 }, { agent: 'gen', score: 0, confidence: 0.5, authority: 0.6 }])).toBeCloseTo(1 / 1.3);
    expect(weightedSynthesis([])).toBeUndefined();
  });
});

describe('blackboard', () => {
  it('merges concurrent posts, notifies subscribers and stops when a round adds nothing', async () => {
    const { env, run } = createCoreTestEnv();
    const board = new Blackboard(env, 'wf-1');
    const versions: number[] = [];
    board.subscribe((version) => versions.push(version));
    let outcome: Awaited<ReturnType<Blackboard['run']>> | undefined;
    void (async () => {
      outcome = await board.run({
        a: async (_board, round) => (round <= 2 ? { [`a${round}`]: { text: 'A', confidence: 0.8 } } : {}),
        b: async (current): Promise<Record<string, { text: string; confidence: number }>> => (current['a1'] && !current['b1'] ? { b1: { text: 'B builds on A', confidence: 0.7 } } : {}),
      });
    })();
    await run();
    expect(outcome?.reason).toBe('converged');
    expect(Object.keys(outcome!.findings).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(versions.length).toBe(3);
  });
});
