import type { HandoffEnvelope } from './envelope.js';
import { validateV1, validateV2 } from './envelope-validators.generated.js';

const strings = { type: 'array', items: { type: 'string' } } as const;

/** JSON Schema of envelope version 1: the handoff context of seed 000. */
const ENVELOPE_V1 = {
  type: 'object',
  required: ['handoffId', 'workflowId', 'sourceTaskId', 'targetTaskId', 'task', 'execution', 'reasoning', 'memory', 'metadata'],
  properties: {
    handoffId: { type: 'string', minLength: 1 },
    workflowId: { type: 'string', minLength: 1 },
    sourceTaskId: { type: 'string' },
    targetTaskId: { type: 'string' },
    task: {
      type: 'object',
      required: ['originalQuery', 'taskDescription', 'constraints'],
      properties: { originalQuery: { type: 'string' }, taskDescription: { type: 'string' }, constraints: strings, deadlineUs: { type: 'number' } },
      additionalProperties: false,
    },
    execution: {
      type: 'object',
      required: ['stepsCompleted', 'currentProgress', 'partialResults', 'decisionsMade'],
      properties: {
        stepsCompleted: {
          type: 'array',
          items: {
            type: 'object',
            required: ['stepId', 'agentId', 'action', 'result'],
            properties: { stepId: { type: 'string' }, agentId: { type: 'string' }, action: { type: 'string' }, result: { type: 'string' } },
            additionalProperties: false,
          },
        },
        currentProgress: { type: 'number' },
        partialResults: strings,
        decisionsMade: strings,
      },
      additionalProperties: false,
    },
    reasoning: {
      type: 'object',
      required: ['keyFindings', 'assumptions', 'uncertainties', 'recommendations'],
      properties: { keyFindings: strings, assumptions: strings, uncertainties: strings, recommendations: strings },
      additionalProperties: false,
    },
    memory: { type: 'object', required: ['sharedFragmentIds'], properties: { sharedFragmentIds: strings }, additionalProperties: false },
    metadata: {
      type: 'object',
      required: ['schemaVersion', 'checksum', 'sourceAgentId', 'handoffTimestampUs', 'contextTokens'],
      properties: {
        schemaVersion: { type: 'integer', minimum: 1 },
        checksum: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        sourceAgentId: { type: 'string' },
        handoffTimestampUs: { type: 'number' },
        contextTokens: { type: 'number', minimum: 0 },
        compressed: { type: 'boolean' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/**
 * Version 2 adds `reasoning.reasoningTrace` (required): the field of seed 001's
 * "silent schema drift" story. A v1 receiver must not be handed a v2 envelope.
 */
const ENVELOPE_V2 = {
  ...ENVELOPE_V1,
  properties: {
    ...ENVELOPE_V1.properties,
    reasoning: {
      ...ENVELOPE_V1.properties.reasoning,
      required: [...ENVELOPE_V1.properties.reasoning.required, 'reasoningTrace'],
      properties: { ...ENVELOPE_V1.properties.reasoning.properties, reasoningTrace: strings },
    },
  },
} as const;

/** The versioned envelope schemas baton knows, by version. */
export const ENVELOPE_SCHEMAS: Readonly<Record<number, object>> = { 1: ENVELOPE_V1, 2: ENVELOPE_V2 };

/** What ajv's compiled validators are: true or false, with the errors of the last call on the function. */
interface CompiledValidator {
  (data: unknown): boolean;
  errors?: { instancePath?: string; message?: string }[] | null;
}

/**
 * The schemas' validators, compiled by ajv ahead of time (standalone code,
 * `npm run generate:validators`; a test fails when they no longer match the
 * schemas above). Compiling them at run time cost every process, and every
 * sweep worker, ajv's import and code generation (~0.6 G instructions).
 */
const VALIDATORS: Readonly<Record<number, CompiledValidator>> = { 1: validateV1, 2: validateV2 };

/**
 * Validates `envelope` against the schema of `version` (default: the version it
 * declares). Returns the first error as text, or undefined when valid. An
 * unknown version is an error.
 */
export function validateEnvelopeSchema(envelope: unknown, version?: number): string | undefined {
  const declared = version ?? (envelope as HandoffEnvelope)?.metadata?.schemaVersion;
  const validate = Object.hasOwn(VALIDATORS, declared) ? VALIDATORS[declared] : undefined;
  if (validate === undefined) return `unknown envelope schema version ${String(declared)}`;
  if (validate(envelope)) return undefined;
  const error = validate.errors?.[0];
  return `${error?.instancePath || '/'} ${error?.message ?? 'invalid'}`;
}

/**
 * Re-serializes an (unsealed) envelope body for schema `version`: v1 drops the
 * v2-only fields, v2 adds an empty reasoning trace when missing. The fallback
 * schema of the seed's "serialization failure" row.
 */
export function convertToVersion<E extends { reasoning: object; metadata: { schemaVersion: number } }>(envelope: E, version: number): E {
  const { reasoningTrace, ...reasoningV1 } = envelope.reasoning as { reasoningTrace?: string[] };
  const reasoning = version >= 2 ? { ...reasoningV1, reasoningTrace: reasoningTrace ?? [] } : reasoningV1;
  return { ...envelope, reasoning, metadata: { ...envelope.metadata, schemaVersion: version } };
}
