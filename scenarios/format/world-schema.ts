import { distribution, name, nonNegativeMs, ratio } from './schema-parts.js';

/** Scenario schema of the simulated world: network and faults. */
export const fault = {
  type: 'object',
  required: ['kind', 'atMs', 'forMs'],
  properties: { kind: { enum: ['partition', 'crash'] }, atMs: nonNegativeMs, forMs: nonNegativeMs },
  discriminator: { propertyName: 'kind' },
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

export const link = {
  type: 'object',
  properties: { latencyMs: distribution, lossRatio: ratio },
  additionalProperties: false,
} as const;


export const network = {
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
} as const;
