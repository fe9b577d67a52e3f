import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sealEnvelope, verifyEnvelope, type UnsealedEnvelope } from '../../../core/handoff/envelope.js';
import { convertToVersion, validateEnvelopeSchema } from '../../../core/handoff/envelope-schemas.js';
import { planBatches } from '../../../core/workflow/dag.js';
import type { TaskSpec } from '../../../core/workflow/types.js';

/** Random DAGs: task i may depend only on tasks < i, so the graph is acyclic by construction. */
const dag = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.tuple(...Array.from({ length: size }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `t${j}`)))).map((deps) =>
    deps.map((dependsOn, i): TaskSpec => ({ id: `t${i}`, agent: 'a', dependsOn })),
  ),
);

describe('DAG batching (property)', () => {
  it('every task lands in exactly one batch, after all of its dependencies', () => {
    fc.assert(
      fc.property(dag, (tasks) => {
        const batches = planBatches(tasks);
        const level = new Map(batches.flatMap((batch, k) => batch.map((id) => [id, k] as const)));
        expect(level.size).toBe(tasks.length);
        expect(batches.flat().length).toBe(tasks.length);
        for (const task of tasks) for (const dep of task.dependsOn) expect(level.get(dep)!).toBeLessThan(level.get(task.id)!);
        // Maximum parallelism: a task sits one level after its deepest dependency.
        for (const task of tasks) expect(level.get(task.id)).toBe(task.dependsOn.length === 0 ? 0 : Math.max(...task.dependsOn.map((d) => level.get(d)!)) + 1);
      }),
    );
  });

  it('adding a back edge makes a cycle that is refused', () => {
    fc.assert(
      fc.property(dag.filter((tasks) => tasks.length >= 2), (tasks) => {
        const last = tasks[tasks.length - 1]!;
        const cyclic = tasks.map((task, i) => (i === 0 ? { ...task, dependsOn: [...task.dependsOn, last.id] } : task));
        const withPath = [...cyclic.slice(0, -1), { ...last, dependsOn: [...last.dependsOn, 't0'] }];
        expect(() => planBatches(withPath)).toThrow(/cycle/);
      }),
    );
  });
});

const text = fc.string({ maxLength: 20 });
const envelope: fc.Arbitrary<UnsealedEnvelope> = fc.record({
  handoffId: fc.string({ minLength: 1, maxLength: 20 }),
  workflowId: fc.string({ minLength: 1, maxLength: 10 }),
  sourceTaskId: text,
  targetTaskId: text,
  task: fc.record({ originalQuery: text, taskDescription: text, constraints: fc.array(text, { maxLength: 3 }) }),
  execution: fc.record({
    stepsCompleted: fc.array(fc.record({ stepId: text, agentId: text, action: text, result: text }), { maxLength: 3 }),
    currentProgress: fc.nat(100),
    partialResults: fc.array(text, { maxLength: 3 }),
    decisionsMade: fc.array(text, { maxLength: 3 }),
  }),
  reasoning: fc.record({ keyFindings: fc.array(text, { maxLength: 3 }), assumptions: fc.array(text), uncertainties: fc.array(text), recommendations: fc.array(text) }),
  memory: fc.record({ sharedFragmentIds: fc.array(text, { maxLength: 3 }) }),
  metadata: fc.record({ schemaVersion: fc.constant(1), sourceAgentId: text, handoffTimestampUs: fc.nat(), contextTokens: fc.nat(100_000) }),
});

describe('envelope round trip (property)', () => {
  it('seal → JSON → parse verifies and validates; v1 → v2 → v1 is the identity', () => {
    fc.assert(
      fc.property(envelope, (body) => {
        const sealed = sealEnvelope(body);
        const wire = JSON.parse(JSON.stringify(sealed));
        expect(verifyEnvelope(wire, [1])).toBeUndefined();
        expect(validateEnvelopeSchema(wire)).toBeUndefined();
        const v2 = sealEnvelope(convertToVersion(body, 2));
        expect(validateEnvelopeSchema(v2)).toBeUndefined();
        expect(verifyEnvelope(v2, [1])).toBe('schema-version-unsupported');
        expect(sealEnvelope(convertToVersion(convertToVersion(body, 2), 1))).toEqual(sealed);
      }),
    );
  });
});
