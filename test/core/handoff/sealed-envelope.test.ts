import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/handoff/canonical-json.js';
import { envelopeBytes, envelopeChecksum, sealEnvelope, verifyEnvelope, type HandoffEnvelope, type UnsealedEnvelope } from '../../../core/handoff/envelope.js';

/** The checksum and size as first written: serialize and hash every time. */
function referenceChecksum(envelope: UnsealedEnvelope | HandoffEnvelope): string {
  const { checksum: _ignored, ...metadata } = envelope.metadata as HandoffEnvelope['metadata'];
  return createHash('sha256').update(canonicalJson({ ...envelope, metadata })).digest('hex');
}
const referenceBytes = (envelope: HandoffEnvelope): number => Buffer.byteLength(canonicalJson(envelope), 'utf8');

const text = fc.string({ unit: 'binary', maxLength: 12 });
const texts = fc.array(text, { maxLength: 4 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined });

const unsealedEnvelope: fc.Arbitrary<UnsealedEnvelope> = fc.record({
  handoffId: text,
  workflowId: text,
  sourceTaskId: text,
  targetTaskId: text,
  task: fc.record({ originalQuery: text, taskDescription: text, constraints: texts, deadlineUs: maybe(fc.nat()) }),
  execution: fc.record({
    stepsCompleted: fc.array(fc.record({ stepId: text, agentId: text, action: text, result: text }), { maxLength: 3 }),
    currentProgress: fc.nat(),
    partialResults: texts,
    decisionsMade: texts,
  }),
  reasoning: fc.record({ keyFindings: texts, assumptions: texts, uncertainties: texts, recommendations: texts, reasoningTrace: maybe(texts) }),
  memory: fc.record({ sharedFragmentIds: texts }),
  metadata: fc.record({
    schemaVersion: fc.integer({ min: 1, max: 3 }),
    sourceAgentId: text,
    handoffTimestampUs: fc.nat(),
    contextTokens: fc.nat(),
    compressed: maybe(fc.boolean()),
  }),
});

describe('sealed envelopes: checksum and size computed once, same values as serializing each time', () => {
  it('envelopeChecksum and envelopeBytes of a sealed envelope equal the reference computation', () => {
    fc.assert(
      fc.property(unsealedEnvelope, (body) => {
        const sealed = sealEnvelope(body);
        expect(sealed.metadata.checksum).toBe(referenceChecksum(body));
        expect(envelopeChecksum(sealed)).toBe(referenceChecksum(sealed));
        expect(envelopeBytes(sealed)).toBe(referenceBytes(sealed));
        expect(canonicalJson(sealed)).toBe(canonicalJson({ ...body, metadata: { ...body.metadata, checksum: sealed.metadata.checksum } }));
        expect(verifyEnvelope(sealed, [sealed.metadata.schemaVersion])).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('metadata with nothing but the checksum: no comma in the size', () => {
    const body = { ...fc.sample(unsealedEnvelope, { seed: 7, numRuns: 1 })[0], metadata: {} } as unknown as UnsealedEnvelope;
    const sealed = sealEnvelope(body);
    expect(envelopeBytes(sealed)).toBe(referenceBytes(sealed));
  });

  it('a sealed envelope is a deeply frozen copy: the sender keeps its own objects, nobody changes the sealed one', () => {
    const body = fc.sample(unsealedEnvelope, { seed: 3, numRuns: 1 })[0];
    const sealed = sealEnvelope(body);
    expect(Object.isFrozen(sealed) && Object.isFrozen(sealed.reasoning.keyFindings) && Object.isFrozen(sealed.metadata)).toBe(true);
    expect(Object.isFrozen(body.reasoning.keyFindings)).toBe(false);
    body.reasoning.keyFindings.push('changed after sealing');
    expect(envelopeChecksum(sealed)).toBe(referenceChecksum(sealed));
    expect(() => (sealed.reasoning.keyFindings as string[]).push('x')).toThrow(TypeError);
  });

  it('a copy altered on the wire is hashed afresh and refused', () => {
    fc.assert(
      fc.property(unsealedEnvelope, text, (body, extra) => {
        const sealed = sealEnvelope(body);
        const wire: HandoffEnvelope = structuredClone(sealed);
        wire.reasoning.keyFindings = [...wire.reasoning.keyFindings, `\u0000${extra}`];
        expect(envelopeChecksum(wire)).toBe(referenceChecksum(wire));
        expect(verifyEnvelope(wire, [wire.metadata.schemaVersion])).toBe('checksum-mismatch');
      }),
      { numRuns: 100 },
    );
  });
});
