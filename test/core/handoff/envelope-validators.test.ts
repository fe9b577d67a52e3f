import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_SCHEMAS, validateEnvelopeSchema } from '../../../core/handoff/envelope-schemas.js';
import { ENVELOPE_VALIDATORS } from '../../../core/handoff/envelope-validators.generated.js';
import { ENVELOPE_VALIDATORS_FILE, envelopeValidatorCode } from '../../support/envelope-validator-code.js';

/** The validators as baton compiled them at run time before: ajv.compile with the same options. */
const ajv = new Ajv2020({ allErrors: true, strict: false });
const versions = Object.keys(ENVELOPE_SCHEMAS).map(Number);
const compiled: Record<number, ValidateFunction> = Object.fromEntries(versions.map((version) => [version, ajv.compile(ENVELOPE_SCHEMAS[version]!)]));
const generated = ENVELOPE_VALIDATORS as unknown as Record<number, ValidateFunction>;

/** validateEnvelopeSchema as first written, on the run-time compiled validators. */
function referenceValidate(envelope: unknown, version?: number): string | undefined {
  const declared = version ?? (envelope as { metadata?: { schemaVersion?: number } })?.metadata?.schemaVersion;
  const validate = typeof declared === 'number' ? compiled[declared] : undefined;
  if (validate === undefined) return `unknown envelope schema version ${String(declared)}`;
  if (validate(envelope)) return undefined;
  const error = validate.errors?.[0];
  return `${error?.instancePath || '/'} ${error?.message ?? 'invalid'}`;
}

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constantFrom('', 'a'.repeat(64), 'f'.repeat(64), '\uD83D'));
const strings = fc.array(text, { maxLength: 3 });
const envelope = fc.record({
  handoffId: text,
  workflowId: text,
  sourceTaskId: text,
  targetTaskId: text,
  task: fc.record({ originalQuery: text, taskDescription: text, constraints: strings, deadlineUs: fc.double() }, { requiredKeys: ['originalQuery', 'taskDescription', 'constraints'] }),
  execution: fc.record({
    stepsCompleted: fc.array(fc.record({ stepId: text, agentId: text, action: text, result: text }), { maxLength: 2 }),
    currentProgress: fc.double(),
    partialResults: strings,
    decisionsMade: strings,
  }),
  reasoning: fc.record({ keyFindings: strings, assumptions: strings, uncertainties: strings, recommendations: strings, reasoningTrace: strings }, { requiredKeys: ['keyFindings', 'assumptions', 'uncertainties', 'recommendations'] }),
  memory: fc.record({ sharedFragmentIds: strings }),
  metadata: fc.record({
    schemaVersion: fc.constantFrom(1, 2, 0, 1.5, 3),
    checksum: fc.oneof(fc.constant('0'.repeat(64)), text),
    sourceAgentId: text,
    handoffTimestampUs: fc.double(),
    contextTokens: fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 })),
    compressed: fc.boolean(),
  }, { requiredKeys: ['schemaVersion', 'checksum', 'sourceAgentId', 'handoffTimestampUs', 'contextTokens'] }),
});

/** An envelope with one value somewhere replaced by something of another type, removed, or joined by an extra key. */
const damaged = fc.tuple(envelope, fc.nat(), fc.constantFrom('delete', 'null', 'number', 'string', 'array', 'extra')).map(([value, pick, damage]) => {
  const paths: { owner: Record<string, unknown>; key: string }[] = [];
  const visit = (owner: Record<string, unknown>): void => {
    for (const key of Object.keys(owner)) {
      paths.push({ owner, key });
      const item = owner[key];
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) visit(item as Record<string, unknown>);
    }
  };
  visit(value as Record<string, unknown>);
  const { owner, key } = paths[pick % paths.length]!;
  if (damage === 'delete') delete owner[key];
  else if (damage === 'extra') owner[`${key}Extra`] = 1;
  else owner[key] = damage === 'null' ? null : damage === 'number' ? 7 : damage === 'string' ? 'x' : ['x', 1];
  return value;
});

describe('envelope validators compiled ahead of time', () => {
  it('are the code ajv generates for the schemas now (run `npm run generate:validators` after a schema change)', () => {
    expect(readFileSync(ENVELOPE_VALIDATORS_FILE, 'utf8')).toBe(envelopeValidatorCode());
  });

  it('accept and refuse what the run-time compiled validators do, with the same errors', () => {
    expect(Object.keys(ENVELOPE_VALIDATORS).map(Number)).toEqual(versions);
    fc.assert(fc.property(fc.oneof(envelope, damaged), fc.constantFrom(...versions), (input, version) => {
        const expected = compiled[version]!(input);
        expect(generated[version]!(input)).toBe(expected);
        expect(generated[version]!.errors ?? null).toEqual(compiled[version]!.errors ?? null);
      }), { numRuns: 3000 });
  });

  it('give validateEnvelopeSchema the results it gave before, for the declared and for a given version', () => {
    fc.assert(fc.property(fc.oneof(envelope, damaged), fc.constantFrom(undefined, 7, ...versions), (input, version) => {
        expect(validateEnvelopeSchema(input, version)).toBe(referenceValidate(input, version));
      }), { numRuns: 2000 });
    expect(validateEnvelopeSchema({ metadata: { schemaVersion: 'toString' } })).toBe('unknown envelope schema version toString');
  });
});
