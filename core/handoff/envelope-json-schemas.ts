/**
 * The versioned JSON Schemas of the handoff envelope, and nothing else: the
 * input of the validators generated ahead of time (`npm run
 * generate:validators`), kept apart from the code that uses those validators
 * so that generating them never loads the file being generated.
 */
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
