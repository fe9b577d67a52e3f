/** Shared pieces of the scenario JSON Schema. Units are in the field names. */
export const distribution = {
  type: 'object',
  required: ['dist'],
  properties: { dist: { enum: ['fixed', 'uniform', 'exponential', 'lognormal'] } },
  discriminator: { propertyName: 'dist' },
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

export const ratio = { type: 'number', minimum: 0, maximum: 1 } as const;
export const name = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,62}$' } as const;
export const nonNegativeMs = { type: 'number', minimum: 0 } as const;

