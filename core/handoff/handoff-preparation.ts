import type { Env } from '../env/env.js';
import type { SharedMemory } from '../memory/shared-memory.js';
import type { ResolvedDesignPolicies } from '../policies/design-policies.js';
import type { HandoffRoute } from '../supervisor/protocol.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { minimalContext, summarizeContext } from './context-compression.js';
import { sealEnvelope, type HandoffEnvelope, type UnsealedEnvelope } from './envelope.js';
import { convertToVersion, validateEnvelopeSchema } from './envelope-schemas.js';

/** An envelope ready to publish, the body it was sealed from, and the context fragments written for it. */
export interface PreparedEnvelope {
  envelope: HandoffEnvelope;
  body: UnsealedEnvelope;
  fragmentIds: string[];
}

/** Fragment id under which the full context of a handoff is stored. */
export function contextFragmentId(body: { sourceTaskId: string; targetTaskId: string }): string {
  return `context/${body.sourceTaskId}->${body.targetTaskId}`;
}

/**
 * Serializes a handoff for its target. With schema validation: converts to a
 * schema version the target accepts (fallback schema) and validates the result.
 * With `summary+pointer`: writes the full context to shared memory and sends a
 * summary under `contextTokensMax` plus the pointer. `full` forwards everything.
 */
export async function prepareEnvelope(
  env: Env,
  memory: SharedMemory,
  design: ResolvedDesignPolicies,
  original: UnsealedEnvelope,
  route: HandoffRoute,
  source: string,
): Promise<PreparedEnvelope> {
  let body = original;
  if (design.schemaValidation) body = fallbackSchema(body, route);
  const fragmentIds: string[] = [];
  if (design.contextForwarding === 'summary+pointer') {
    const id = contextFragmentId(body);
    const written = await memory.write({
      id,
      spaceId: body.workflowId,
      version: 0,
      content: { type: 'structured', data: { execution: body.execution, reasoning: body.reasoning } },
      provenance: { createdByAgent: source, createdDuringTask: body.sourceTaskId, createdAtUs: env.clock.nowUs(), confidence: 1, sources: [] },
      access: { visibility: 'workflow', allowedAgents: [], deniedAgents: [] },
      lifecycle: {},
    });
    if (written.ok) fragmentIds.push(id);
    body = summarizeContext({ ...body, memory: { sharedFragmentIds: [...body.memory.sharedFragmentIds, ...fragmentIds] } }, design.contextTokensMax);
  }
  return { envelope: sealEnvelope(body), body, fragmentIds };
}

/** Converts to the newest version the target accepts when it does not accept the body's own. */
function fallbackSchema(body: UnsealedEnvelope, route: HandoffRoute): UnsealedEnvelope {
  const accepted = route.acceptsSchemaVersions ?? [1];
  let converted = accepted.includes(body.metadata.schemaVersion) ? body : convertToVersion(body, Math.max(...accepted));
  if (validateEnvelopeSchema(withChecksumPlaceholder(converted)) !== undefined) converted = convertToVersion(converted, Math.min(...accepted));
  return converted;
}

/**
 * The body with a well-formed stand-in checksum: what schema validation of the
 * sealed envelope sees, without hashing (the schema only checks the checksum's
 * form, 64 hex digits).
 */
function withChecksumPlaceholder(body: UnsealedEnvelope): HandoffEnvelope {
  return { ...body, metadata: { ...body.metadata, checksum: CHECKSUM_PLACEHOLDER } };
}

const CHECKSUM_PLACEHOLDER = '0'.repeat(64);

/** A recovery the source applies after a NACK, and the body it re-sends. */
export interface NackRecovery {
  recovery: 'restore-from-checkpoint' | 'fallback-schema' | 'minimal-context';
  body: UnsealedEnvelope;
}

/**
 * Seed 000's recovery rows for a refused handoff: checksum mismatch → restore
 * from the checkpoint taken before the handoff; unsupported schema → fallback
 * schema the target accepts; any other rejection → re-serialize with minimal
 * context. Undefined when there is nothing to restore.
 */
export async function recoverFromNack(
  checkpoints: CheckpointStore,
  checkpointKey: string,
  body: UnsealedEnvelope,
  reason: string,
  route: HandoffRoute,
): Promise<NackRecovery | undefined> {
  if (reason === 'checksum-mismatch') {
    // The copy on the wire was damaged: restore the content from the checkpoint taken before
    // the handoff (or, when that write failed, from the source's own copy) and re-send.
    const saved = await checkpoints.load<{ body: UnsealedEnvelope }>(checkpointKey);
    const source = saved?.body ?? body;
    const restored = { ...source, execution: body.execution, memory: body.memory, metadata: { ...body.metadata } };
    return { recovery: 'restore-from-checkpoint', body: restored };
  }
  if (reason === 'schema-version-unsupported' || reason.startsWith('schema-invalid')) {
    return { recovery: 'fallback-schema', body: fallbackSchema(convertToVersion(body, 1), route) };
  }
  return { recovery: 'minimal-context', body: minimalContext(body) };
}
