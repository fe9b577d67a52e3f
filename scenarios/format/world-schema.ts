import { SCRIPTED_FAULT_KINDS } from '../../simulator/faults/scripted-faults.js';
import { distribution, name, nonNegativeMs, ratio } from './schema-parts.js';

/** Scenario schema of the simulated world: network, faults, storage, phases, swarm. */

const nodes = { type: 'array', items: name, minItems: 1 } as const;
const links = {
  type: 'array',
  minItems: 1,
  items: { type: 'object', required: ['from', 'to'], properties: { from: name, to: name }, additionalProperties: false },
} as const;
const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const FAULT_KINDS = SCRIPTED_FAULT_KINDS;

/** One variant of the fault union: `kind`, the window, and the variant's own fields. */
function variant(kind: string, properties: Record<string, unknown>, required: string[] = []) {
  return {
    properties: { kind: { const: kind }, atMs: nonNegativeMs, forMs: nonNegativeMs, ...properties },
    required: ['kind', 'atMs', 'forMs', ...required],
    additionalProperties: false,
  };
}

/** A scripted fault (simulator/faults/scripted-faults.ts documents each kind). */
export const fault = {
  type: 'object',
  required: ['kind', 'atMs', 'forMs'],
  properties: { kind: { enum: [...FAULT_KINDS] }, atMs: nonNegativeMs, forMs: nonNegativeMs },
  // Only the variant `kind` names is checked, so an error is about that variant's fields
  // (not one line per other kind); an unknown kind is one error.
  discriminator: { propertyName: 'kind' },
  oneOf: [
    variant('partition', { groups: { type: 'array', items: nodes, minItems: 2, maxItems: 2 }, oneWay: { type: 'boolean' } }, ['groups']),
    variant('hold', { links }),
    variant('loss', { lossRatio: ratio, links }, ['lossRatio']),
    variant('duplicate', { duplicateRatio: ratio, links }, ['duplicateRatio']),
    variant('reorder', { reorderRatio: ratio, reorderDelayMsMax: nonNegativeMs, links }, ['reorderRatio', 'reorderDelayMsMax']),
    variant('slow-link', { latencyMs: distribution, links }, ['latencyMs']),
    variant('corrupt', { corruptRatio: ratio, links }, ['corruptRatio']),
    variant('crash', { targets: nodes, phase: { enum: ['checkpointed', 'context-written', 'published', 'ack-received'] } }, ['targets']),
    variant('pause', { targets: nodes }, ['targets']),
    variant('replica-lag', { replicaLagMs: distribution }, ['replicaLagMs']),
    variant('write-failure', { writeFailureRatio: ratio }, ['writeFailureRatio']),
    variant('clock', { targets: nodes, skewMs: { type: 'number' }, driftPpm: { type: 'number', minimum: -500_000, maximum: 500_000 } }, ['targets']),
    variant('agent-slowdown', { targets: nodes, slowdownFactor: { type: 'number', minimum: 1, maximum: 1000 } }, ['targets', 'slowdownFactor']),
    variant('agent-errors', { targets: nodes, errorRatio: ratio }, ['targets', 'errorRatio']),
    variant('agent-hang', { targets: nodes, hangRatio: ratio }, ['targets', 'hangRatio']),
    variant('token-blowup', { targets: nodes, tokensFactor: { type: 'number', minimum: 0, maximum: 1000 } }, ['targets', 'tokensFactor']),
    variant('schema-drift', { targets: nodes, schemaVersion: { type: 'integer', minimum: 1 } }, ['targets', 'schemaVersion']),
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

/** The simulated store: latency and its faults. */
export const storage = {
  type: 'object',
  properties: {
    operationMs: nonNegativeMs,
    replicaLagMs: distribution,
    writeFailureRatio: ratio,
    syncDelayMs: nonNegativeMs,
  },
  additionalProperties: false,
} as const;

/** Safety phase (faults on), then liveness phase (healed, bounded time to finish). */
export const phases = {
  type: 'object',
  properties: { safetyMs: positive, livenessMsMax: positive },
  additionalProperties: false,
} as const;

/** Random faults by rate: windows per minute of the safety phase, by kind (simulator/faults/random-faults.ts). */
export const randomFaults = {
  type: 'object',
  required: ['perMinute'],
  properties: {
    perMinute: {
      type: 'object',
      propertyNames: { enum: [...FAULT_KINDS] },
      additionalProperties: { type: 'number', minimum: 0, maximum: 10_000 },
    },
    windowMsMin: nonNegativeMs,
    windowMsMax: nonNegativeMs,
    ratioMax: ratio,
  },
  additionalProperties: false,
} as const;

/** Random faults drawn per seed from a preset. */
export const swarm = { enum: ['lite', 'default', 'harsh'] } as const;

/** Racing orchestrators. */
export const orchestrators = {
  type: 'object',
  properties: { supervisorsCount: { type: 'integer', minimum: 1, maximum: 16 } },
  additionalProperties: false,
} as const;
