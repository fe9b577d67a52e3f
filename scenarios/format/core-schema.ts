import { distribution, name, nonNegativeMs, ratio } from './schema-parts.js';

/** Scenario schema of what core runs: agents, tasks, policies. */
export const backoff = {
  type: 'object',
  properties: { baseMs: nonNegativeMs, capMs: nonNegativeMs, jitterRatio: ratio },
  additionalProperties: false,
} as const;

const budgetLimits = {
  type: 'object',
  properties: {
    tokens: { type: 'integer', minimum: 0 },
    calls: { type: 'integer', minimum: 0 },
    costUsd: { type: 'number', minimum: 0 },
    timeMs: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
} as const;

const weight = { type: 'number', minimum: 0, maximum: 100 } as const;

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
    contextWindowTokens: { type: 'integer', minimum: 1 },
    proficiency: { type: 'object', additionalProperties: ratio },
    costPerKiloTokenUsd: { type: 'number', minimum: 0 },
    expectedTokens: { type: 'integer', minimum: 0 },
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
      properties: {
        taskTimeoutMs: { type: 'number', exclusiveMinimum: 0 },
        taskAttemptsMax: { type: 'integer', minimum: 1, maximum: 100 },
        backoff,
        maxConcurrentAgents: { type: 'integer', minimum: 1, maximum: 10_000 },
        followPollMs: { type: 'number', exclusiveMinimum: 0 },
        checkpointPhases: { type: 'boolean' },
        budgets: {
          type: 'object',
          properties: { workflow: budgetLimits, agents: { type: 'object', additionalProperties: budgetLimits } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    handoffProtocol: { enum: ['direct', 'two-phase'] },
    idempotencyKeys: { type: 'boolean' },
    readConsistency: { enum: ['any-replica', 'epoch-checked'] },
    assignmentLocking: { type: 'boolean' },
    schemaValidation: { type: 'boolean' },
    dagValidation: { type: 'boolean' },
    contextForwarding: { enum: ['full', 'summary+pointer'] },
    contextTokensMax: { type: 'integer', minimum: 1 },
    router: {
      type: 'object',
      properties: {
        strategy: { enum: ['scored', 'static', 'round-robin', 'least-connections', 'weighted', 'cost-aware', 'latency-aware'] },
        weights: {
          type: 'object',
          properties: { capability: weight, health: weight, cost: weight, availability: weight, affinity: weight },
          additionalProperties: false,
        },
        healthMinRatio: ratio,
        taskBudgetTokens: { type: 'integer', minimum: 1 },
        breakerFailuresMax: { type: 'integer', minimum: 1, maximum: 1000 },
        breakerResetMs: { type: 'number', minimum: 0 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
