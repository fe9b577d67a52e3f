import { agent, policies, task } from './core-schema.js';
import { distribution, name } from './schema-parts.js';
import { fault, network, orchestrators, phases, randomFaults, storage, swarm } from './world-schema.js';

/**
 * JSON Schema (2020-12, checked by Ajv) of a scenario file. Units are in the field
 * names: `...Ms`, `...Ratio`, `...Tokens`. Parts: core-schema.ts (agents, tasks,
 * policies), world-schema.ts (network, faults), schema-parts.ts (shared).
 */
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
    policies,
    network,
    faults: { type: 'array', items: fault },
    storage,
    phases,
    swarm,
    randomFaults,
    orchestrators,
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
