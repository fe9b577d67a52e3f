/**
 * Shared findings as a state-based CRDT: a map from finding id to a
 * last-writer-wins register ordered by (lamport, agent). Merge is commutative,
 * associative and idempotent, so replicas that exchange states in any order
 * converge (seed 000: "Shared findings — AP, eventual consistency, CRDT merge").
 */
export interface Finding {
  text: string;
  confidence: number;
  agent: string;
  /** Logical clock of the write; ties break on `agent`. */
  lamport: number;
}

/** Findings by id. Treat as immutable: merge returns a new value. */
export type FindingsCrdt = Readonly<Record<string, Finding>>;

/** True when `a` wins over `b` for the same id. Total order: lamport, agent, text, confidence. */
export function findingWins(a: Finding, b: Finding): boolean {
  if (a.lamport !== b.lamport) return a.lamport > b.lamport;
  if (a.agent !== b.agent) return a.agent > b.agent;
  if (a.text !== b.text) return a.text > b.text;
  return a.confidence > b.confidence;
}

/** Join of two states: per id, the winning register. Keys come out sorted. */
export function mergeFindings(left: FindingsCrdt, right: FindingsCrdt): FindingsCrdt {
  const ids = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  const merged: Record<string, Finding> = {};
  for (const id of ids) {
    const a = left[id];
    const b = right[id];
    merged[id] = a === undefined ? b! : b === undefined ? a : findingWins(b, a) ? b : a;
  }
  return merged;
}

/** Highest lamport clock in `state` (0 when empty); a writer's next clock is this + 1. */
export function lamportOf(state: FindingsCrdt): number {
  return Object.values(state).reduce((max, finding) => Math.max(max, finding.lamport), 0);
}
