import { distribution, name, nonNegativeMs, ratio } from './schema-parts.js';

/** Scenario schema of what core runs: agents, tasks, policies. */
export const backoff = {
  type: 'object',
  properties: { baseMs: nonNegativeMs, capMs: nonNegativeMs, jitterRatio: ratio },
  additionalProperties: false,
} as const;

export const agent = {
  type: 'object',
  properties: {
    capabilities: { type: 'array', items: name, minItems: 1 },
    maxConcurrent: { type: 'integer', minimum: 1, maximum: 10_000 },
    acceptsSchemaVersions: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
    emitsSchemaVersion: { type: 'integer', minimum: 1 },
    latencyMs: distribution,
    errorRatio: ratio,
    outputTokens: distribution,
    promptTokens: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
} as const;

export const task = {
  type: 'object',
  required: ['agent'],
  properties: {
    agent: name,
    capability: name,
    dependsOn: { type: 'array', items: name },
  },
  additionalProperties: false,
} as const;


export const policies = {
  type: 'object',
  properties: {
    handoff: {
      type: 'object',
      properties: { ackTimeoutMs: { type: 'number', exclusiveMinimum: 0 }, attemptsMax: { type: 'integer', minimum: 1, maximum: 100 }, backoff },
      additionalProperties: false,
    },
    supervisor: {
      type: 'object',
      properties: { taskTimeoutMs: { type: 'number', exclusiveMinimum: 0 }, taskAttemptsMax: { type: 'integer', minimum: 1, maximum: 100 }, backoff },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
