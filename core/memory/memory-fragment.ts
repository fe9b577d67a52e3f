/** Who may see a fragment: only its author, its team, its workflow, or everyone. */
export type Visibility = 'private' | 'team' | 'workflow' | 'global';

/**
 * A unit of shared memory (seed 000, "Memory Fragment Structure"): identity
 * with a monotonic version, content, provenance, access control and lifecycle.
 * `version` is the storage version the fragment was read at (0 before its first write).
 */
export interface MemoryFragment<Content = unknown> {
  id: string;
  spaceId: string;
  version: number;
  content: { type: 'text' | 'structured'; data: Content };
  provenance: { createdByAgent: string; createdDuringTask: string; createdAtUs: number; confidence: number; sources: string[] };
  access: { visibility: Visibility; allowedAgents: string[]; deniedAgents: string[]; team?: string[] };
  lifecycle: { expiresAtUs?: number; deleted?: boolean };
}

/** Why a reader did not get a fragment. */
export type AccessRefusal = 'denied' | 'expired' | 'deleted';

/**
 * Access check of seed 000: denied agents never read; `private` only the
 * author; `team` the author and `team`; allowed agents always (unless denied);
 * `workflow` and `global` everyone else. Expired and deleted fragments are refused.
 */
export function checkAccess(fragment: MemoryFragment, reader: string, nowUs: number): AccessRefusal | undefined {
  if (fragment.lifecycle.deleted) return 'deleted';
  if (fragment.lifecycle.expiresAtUs !== undefined && nowUs >= fragment.lifecycle.expiresAtUs) return 'expired';
  const { access, provenance } = fragment;
  if (access.deniedAgents.includes(reader)) return 'denied';
  if (reader === provenance.createdByAgent || access.allowedAgents.includes(reader)) return undefined;
  if (access.visibility === 'private') return 'denied';
  if (access.visibility === 'team' && !(access.team ?? []).includes(reader)) return 'denied';
  return undefined;
}
