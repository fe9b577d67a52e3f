/**
 * JSON Schema (draft 2020-12 subset that Ajv checks) of a scenario file.
 * Units are in the field names: `...Ms`, `...Ratio`, `...Tokens`.
 */
const distribution = {
  type: 'object',
  required: ['dist'],
  oneOf: [
    { properties: { dist: { const: 'fixed' }, value: { type: 'number', minimum: 0 } }, required: ['value'], additionalProperties: false },
    {
      properties: { dist: { const: 'uniform' }, min: { type: 'number', minimum: 0 }, max: { type: 'number', minimum: 0 } },
      required: ['min', 'max'],
      additionalProperties: false,
    },
    {
      properties: { dist: { const: 'exponential' }, mean: { type: 'number', exclusiveMinimum: 0 }, max: { type: 'number', minimum: 0 } },
      required: ['mean'],
      additionalProperties: false,
    },
    {
      properties: {
        dist: { const: 'lognormal' },
        median: { type: 'number', exclusiveMinimum: 0 },
        sigma: { type: 'number', minimum: 0 },
        max: { type: 'number', minimum: 0 },
      },
      required: ['median', 'sigma'],
      additionalProperties: false,
    },
  ],
} as const;

const ratio = { type: 'number', minimum: 0, maximum: 1 } as const;
const name = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,62}$' } as const;
const nonNegativeMs = { type: 'number', minimum: 0 } as const;

const backoff = {
  type: 'object',
  properties: { baseMs: nonNegativeMs, capMs: nonNegativeMs, jitterRatio: ratio },
  additionalProperties: false,
} as const;

const agent = {
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

const task = {
  type: 'object',
  required: ['agent'],
  properties: {
    agent: name,
    capability: name,
    dependsOn: { type: 'array', items: name },
  },
  additionalProperties: false,
} as const;

const fault = {
  type: 'object',
  required: ['kind', 'atMs', 'forMs'],
  oneOf: [
    {
      properties: {
        kind: { const: 'partition' },
        atMs: nonNegativeMs,
        forMs: nonNegativeMs,
        groups: { type: 'array', items: { type: 'array', items: name, minItems: 1 }, minItems: 2, maxItems: 2 },
        oneWay: { type: 'boolean' },
      },
      required: ['groups'],
      additionalProperties: false,
    },
    {
      properties: {
        kind: { const: 'crash' },
        atMs: nonNegativeMs,
        forMs: nonNegativeMs,
        targets: { type: 'array', items: name, minItems: 1 },
      },
      required: ['targets'],
      additionalProperties: false,
    },
  ],
} as const;

const link = {
  type: 'object',
  properties: { latencyMs: distribution, lossRatio: ratio },
  additionalProperties: false,
} as const;

export const scenarioSchema = {
  $id: 'https://baton.dev/schemas/scenario.json',
  type: 'object',
  required: ['name', 'agents', 'workflow'],
  properties: {
    name,
    description: { type: 'string' },
    agents: { type: 'object', minProperties: 1, propertyNames: name, additionalProperties: agent },
    workflow: {
      type: 'object',
      required: ['name', 'tasks'],
      properties: {
        name,
        tasks: { type: 'object', minProperties: 1, propertyNames: name, additionalProperties: task },
      },
      additionalProperties: false,
    },
    workload: {
      type: 'object',
      properties: {
        instances: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        interArrivalMs: distribution,
        query: { type: 'string' },
      },
      additionalProperties: false,
    },
    policies: {
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
    },
    network: {
      type: 'object',
      properties: {
        latencyMs: distribution,
        lossRatio: ratio,
        links: {
          type: 'array',
          items: { ...link, required: ['from', 'to'], properties: { ...link.properties, from: name, to: name } },
        },
      },
      additionalProperties: false,
    },
    faults: { type: 'array', items: fault },
    limits: {
      type: 'object',
      properties: {
        eventsMax: { type: 'integer', minimum: 1 },
        simulatedMsMax: { type: 'number', exclusiveMinimum: 0 },
      },
      additionalProperties: false,
    },
    assert: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
  additionalProperties: false,
} as const;
