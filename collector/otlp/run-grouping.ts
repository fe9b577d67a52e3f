import type { Attributes } from '@opentelemetry/api';
import type { RunColumns } from '../span-rows.js';
import { InvalidItem } from './otlp-error.js';

/** Resource attributes that put spans into a baton run. */
export const RUN_ID_ATTRIBUTE = 'baton.run.id';
export const SWEEP_ID_ATTRIBUTE = 'baton.sweep.id';
export const SCENARIO_ATTRIBUTE = 'baton.scenario';
export const SEED_ATTRIBUTE = 'baton.seed';
/** Prefix under which resource attributes are kept on each span's attributes. */
export const RESOURCE_ATTRIBUTE_PREFIX = 'resource.';
const UNKNOWN_SERVICE = 'unknown_service';
const RUN_ID_CHARS_MAX = 256;

/** What a resource says about the run its spans belong to. */
export interface RunIdentity {
  /** `baton.run.id`, or undefined: then the run is the service's time window. */
  runId: string | undefined;
  sweepId: string;
  scenario: string;
  seed: number;
  serviceName: string;
  /** The resource's attributes, prefixed with `resource.`, to store on each span. */
  resourceAttributes: Attributes;
}

/** Reads the run identity from resource attributes; throws InvalidItem naming a bad one (path `[key]`). */
export function runIdentityOf(attributes: Attributes): RunIdentity {
  const text = (key: string): string => {
    const value = attributes[key];
    if (value === undefined) return '';
    if (typeof value !== 'string' || value.length > RUN_ID_CHARS_MAX) {
      throw new InvalidItem(`[${key}]`, `expected a string of at most ${RUN_ID_CHARS_MAX} chars`);
    }
    return value;
  };
  const seedValue = attributes[SEED_ATTRIBUTE];
  let seed = 0;
  if (seedValue !== undefined) {
    seed = typeof seedValue === 'string' && /^\d{1,15}$/.test(seedValue) ? Number(seedValue) : Number.NaN;
    if (typeof seedValue === 'number') seed = seedValue;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidItem(`[${SEED_ATTRIBUTE}]`, 'expected a non-negative integer');
  }
  const resourceAttributes: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) resourceAttributes[RESOURCE_ATTRIBUTE_PREFIX + key] = value;
  return {
    runId: text(RUN_ID_ATTRIBUTE) || undefined,
    sweepId: text(SWEEP_ID_ATTRIBUTE),
    scenario: text(SCENARIO_ATTRIBUTE),
    seed,
    serviceName: text('service.name') || UNKNOWN_SERVICE,
    resourceAttributes,
  };
}

/**
 * The run columns of a span that started at `startNs`. Without `baton.run.id`
 * the run is `<service.name>@<window start, ISO minutes, UTC>`, windows of
 * `runWindowMs` aligned to the epoch: every span of a service in the same hour
 * (by default) is one run. The recorded date is the span's own start date, so
 * a re-sent span always lands in the same partition and FINAL dedupes it.
 */
export function runOf(identity: RunIdentity, startNs: bigint, runWindowMs: number): RunColumns {
  const startMs = Number(startNs / 1_000_000n);
  const windowStartMs = Math.floor(startMs / runWindowMs) * runWindowMs;
  return {
    runId: identity.runId ?? `${identity.serviceName}@${new Date(windowStartMs).toISOString().slice(0, 16)}Z`,
    sweepId: identity.sweepId,
    scenario: identity.scenario,
    seed: identity.seed,
    recordedDate: new Date(startMs).toISOString().slice(0, 10),
    serviceName: identity.serviceName,
  };
}
