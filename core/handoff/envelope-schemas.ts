import type { HandoffEnvelope } from './envelope.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { ENVELOPE_VALIDATORS } from './envelope-validators.generated.js';

export { ENVELOPE_SCHEMAS } from './envelope-json-schemas.js';

/**
 * The schemas' validators by version, compiled by ajv ahead of time (standalone
 * code, `npm run generate:validators`; a test fails when they no longer match
 * the schemas of envelope-json-schemas.ts). Compiling them at run time cost
 * every process, and every sweep worker, ajv's import and code generation
 * (~0.6 G instructions).
 */
const VALIDATORS: Readonly<Record<number, StandaloneValidator>> = ENVELOPE_VALIDATORS;

/** A standalone ajv validator: ajv's ValidateFunction without the schema it was compiled from. */
type StandaloneValidator = ((data: unknown) => boolean) & Pick<ValidateFunction, 'errors'>;

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
