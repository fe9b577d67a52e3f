import * as crypto from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** Current version of the handoff envelope schema that baton emits. */
export const ENVELOPE_SCHEMA_VERSION = 1;

/** What the task is (required). */
export interface TaskContext {
  originalQuery: string;
  taskDescription: string;
  constraints: string[];
  deadlineUs?: number;
}

/** One step already done in the workflow. */
export interface CompletedStep {
  stepId: string;
  agentId: string;
  action: string;
  result: string;
}

/** What has happened so far (required). */
export interface ExecutionContext {
  stepsCompleted: CompletedStep[];
  currentProgress: number;
  partialResults: string[];
  decisionsMade: string[];
}

/** Why: findings, assumptions, uncertainties, recommendations (important). */
export interface ReasoningContext {
  keyFindings: string[];
  assumptions: string[];
  uncertainties: string[];
  recommendations: string[];
  /** Schema version 2 only: the reasoning trace an upgraded agent emits. */
  reasoningTrace?: string[];
}

/** Pointers into shared memory (optional). */
export interface MemoryReferences {
  sharedFragmentIds: string[];
}

/** Envelope metadata; `checksum` covers every other field of the envelope. */
export interface EnvelopeMetadata {
  schemaVersion: number;
  checksum: string;
  sourceAgentId: string;
  handoffTimestampUs: number;
  /** Context size in tokens as the source estimated it. */
  contextTokens: number;
  /** True when the context was compressed by summarisation to fit a limit. */
  compressed?: boolean;
}

/**
 * The handoff context of the seed documents: task, execution, reasoning,
 * memory references and metadata. Sent from one agent to the next.
 */
export interface HandoffEnvelope {
  handoffId: string;
  workflowId: string;
  sourceTaskId: string;
  targetTaskId: string;
  task: TaskContext;
  execution: ExecutionContext;
  reasoning: ReasoningContext;
  memory: MemoryReferences;
  metadata: EnvelopeMetadata;
}

/** An envelope before its checksum is computed. */
export type UnsealedEnvelope = Omit<HandoffEnvelope, 'metadata'> & {
  metadata: Omit<EnvelopeMetadata, 'checksum'>;
};

/** Checksum and canonical size of every envelope `sealEnvelope` returned (frozen, so they cannot go stale). */
const sealedFacts = new WeakMap<object, { checksum: string; bytes: number }>();

/**
 * SHA-256 (hex) of the canonical JSON of the envelope without its checksum.
 * An envelope `sealEnvelope` returned is deeply frozen, so its checksum is
 * the one computed when it was sealed; any other object (a copy received
 * over the wire, a corrupted or re-sealed copy) is serialized and hashed.
 */
export function envelopeChecksum(envelope: UnsealedEnvelope | HandoffEnvelope): string {
  return sealedFacts.get(envelope)?.checksum ?? checksumOf(canonicalJson(withoutChecksum(envelope)));
}

/**
 * Computes and sets the checksum; returns the sealed envelope: a deeply
 * frozen copy (the caller's objects are neither shared nor frozen), whose
 * content can no longer change, so its checksum and size are computed once.
 */
export function sealEnvelope(envelope: UnsealedEnvelope): HandoffEnvelope {
  const text = canonicalJson(withoutChecksum(envelope));
  const checksum = checksumOf(text);
  const copy = frozenCopy({ ...envelope, metadata: { ...envelope.metadata, checksum } }) as HandoffEnvelope;
  // The sealed text is the unsealed one with `"checksum":"<64 hex>"` (77 bytes) added to
  // metadata, plus a comma when metadata serializes any other key.
  const bytes = Buffer.byteLength(text, 'utf8') + 77 + (serializesAnyKey(envelope.metadata) ? 1 : 0);
  sealedFacts.set(copy, { checksum, bytes });
  return copy;
}

function withoutChecksum(envelope: UnsealedEnvelope | HandoffEnvelope): object {
  const { checksum: _ignored, ...metadata } = envelope.metadata as EnvelopeMetadata;
  return { ...envelope, metadata };
}

/**
 * SHA-256 (hex) of the text. `crypto.hash` (Node ≥ 20.12) hashes in one call,
 * without the Hash object `createHash` builds: an envelope is sealed on every
 * handoff. Older Node 20 releases take the createHash path (same digest).
 */
const checksumOf: (canonicalText: string) => string =
  typeof crypto.hash === 'function'
    ? (canonicalText) => crypto.hash('sha256', canonicalText, 'hex')
    : (canonicalText) => crypto.createHash('sha256').update(canonicalText).digest('hex');

/** True when JSON.stringify of `object` writes at least one key (it skips undefined, functions and symbols). */
function serializesAnyKey(object: object): boolean {
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'checksum' && value !== undefined && typeof value !== 'function' && typeof value !== 'symbol') return true;
  }
  return false;
}

/** A deep copy of plain data (arrays and objects), frozen at every level. */
function frozenCopy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
    return Object.freeze(copy);
  }
  return value;
}

/** Why an envelope was refused by its receiver. */
export type EnvelopeRejection = 'checksum-mismatch' | 'schema-version-unsupported' | 'malformed';

/**
 * Checks an envelope as its receiver does: well-formed, checksum matches, and
 * schema version is one the receiver accepts. Returns the reason on refusal.
 */
export function verifyEnvelope(
  envelope: HandoffEnvelope,
  acceptedSchemaVersions: readonly number[],
): EnvelopeRejection | undefined {
  if (!isWellFormed(envelope)) return 'malformed';
  if (envelopeChecksum(envelope) !== envelope.metadata.checksum) return 'checksum-mismatch';
  if (!acceptedSchemaVersions.includes(envelope.metadata.schemaVersion)) return 'schema-version-unsupported';
  return undefined;
}

function isWellFormed(envelope: HandoffEnvelope): boolean {
  return (
    typeof envelope === 'object' &&
    envelope !== null &&
    typeof envelope.handoffId === 'string' &&
    typeof envelope.task?.originalQuery === 'string' &&
    Array.isArray(envelope.execution?.decisionsMade) &&
    Array.isArray(envelope.reasoning?.keyFindings) &&
    typeof envelope.metadata?.checksum === 'string' &&
    typeof envelope.metadata?.schemaVersion === 'number'
  );
}

/** Size of the envelope in bytes of canonical JSON (what crosses the wire). */
export function envelopeBytes(envelope: HandoffEnvelope): number {
  return sealedFacts.get(envelope)?.bytes ?? Buffer.byteLength(canonicalJson(envelope), 'utf8');
}
