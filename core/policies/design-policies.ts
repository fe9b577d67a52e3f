/**
 * The design choices teams argue about, each with its naive option, so a
 * scenario can show in numbers what the naive choice costs. Every default is
 * the robust choice and is set here, in `resolveDesignPolicies`, only.
 */
export interface DesignPolicies {
  /**
   * `two-phase` (default): checkpoint, context written, handoff record
   * `preparing` → `accepted`, ACK wait with retries, rollback on failure.
   * `direct`: fire-and-forget — the offer is sent once and assumed accepted.
   */
  handoffProtocol?: 'direct' | 'two-phase';
  /**
   * Default true: a task's effect is committed under its idempotency key
   * (workflow, task) and a retry reuses it; handoff ids dedupe at the target.
   * false: every attempt applies its effect again.
   */
  idempotencyKeys?: boolean;
  /**
   * `epoch-checked` (default): a read older than the task's epoch is refused
   * and re-read from the primary. `any-replica`: whatever a replica returns is used.
   */
  readConsistency?: 'any-replica' | 'epoch-checked';
  /**
   * Default true: a supervisor assigns a task only after winning the task
   * store's version-checked UPDATE (compare-and-swap). false: it just sends.
   */
  assignmentLocking?: boolean;
  /**
   * Default true: envelopes are validated against their versioned JSON Schema
   * at send (with a fallback schema the target accepts) and at receive.
   * false: the receiver takes whatever arrives.
   */
  schemaValidation?: boolean;
  /** Default true: a cyclic or broken DAG is refused before any task runs. */
  dagValidation?: boolean;
  /**
   * `summary+pointer` (default): the full context goes to shared memory and the
   * envelope carries a summary plus a pointer, compressed under
   * `contextTokensMax`. `full`: the whole accumulated context is forwarded inline.
   */
  contextForwarding?: 'full' | 'summary+pointer';
  /** Context a handoff may carry before it is compressed by summarisation. Default 4,000 tokens. */
  contextTokensMax?: number;
}

/** Design policies with every default filled in. */
export type ResolvedDesignPolicies = Required<DesignPolicies>;

export const DEFAULT_CONTEXT_TOKENS_MAX = 4_000;

/** Fills in the defaults (the robust choices). */
export function resolveDesignPolicies(policies: DesignPolicies = {}): ResolvedDesignPolicies {
  return {
    handoffProtocol: policies.handoffProtocol ?? 'two-phase',
    idempotencyKeys: policies.idempotencyKeys ?? true,
    readConsistency: policies.readConsistency ?? 'epoch-checked',
    assignmentLocking: policies.assignmentLocking ?? true,
    schemaValidation: policies.schemaValidation ?? true,
    dagValidation: policies.dagValidation ?? true,
    contextForwarding: policies.contextForwarding ?? 'summary+pointer',
    contextTokensMax: policies.contextTokensMax ?? DEFAULT_CONTEXT_TOKENS_MAX,
  };
}

/** The naive choice of every policy, for scenarios and tests that want all of them. */
export const NAIVE_DESIGN_POLICIES: ResolvedDesignPolicies = {
  handoffProtocol: 'direct',
  idempotencyKeys: false,
  readConsistency: 'any-replica',
  assignmentLocking: false,
  schemaValidation: false,
  dagValidation: false,
  contextForwarding: 'full',
  contextTokensMax: DEFAULT_CONTEXT_TOKENS_MAX,
};
