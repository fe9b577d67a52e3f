import type { Env } from '../env/env.js';
import type { FindingsCrdt } from '../memory/findings-crdt.js';
import { lamportOf } from '../memory/findings-crdt.js';
import type { MemoryFragment } from '../memory/memory-fragment.js';
import { SharedMemory } from '../memory/shared-memory.js';

/** How a blackboard session ended. */
export interface BlackboardOutcome {
  rounds: number;
  findings: FindingsCrdt;
  reason: 'converged' | 'rounds-exhausted';
}

/**
 * The blackboard pattern (seed 000 pattern 4): agents post findings to one
 * shared fragment (CRDT merge, so concurrent posts never overwrite each
 * other) and are notified of new versions; a controller runs rounds in which
 * every contributor reads the board and posts, until a round adds nothing new
 * (converged) or `roundsMax` is reached.
 */
export class Blackboard {
  private readonly memory: SharedMemory;

  constructor(
    private readonly env: Env,
    readonly spaceId: string,
    readonly id = 'blackboard',
  ) {
    this.memory = new SharedMemory(env, 'epoch-checked');
  }

  /** Posts findings by `agent` (each gets a lamport clock above what the board holds). */
  async post(agent: string, taskId: string, findings: Record<string, { text: string; confidence: number }>): Promise<number> {
    const board = await this.read();
    const lamport = lamportOf(board) + 1;
    const entries: Record<string, FindingsCrdt[string]> = {};
    for (const [key, finding] of Object.entries(findings)) entries[key] = { ...finding, agent, lamport };
    const stored = await this.memory.mergeFindings(this.template(agent, taskId), entries);
    return stored.version;
  }

  /** The board as the primary holds it. */
  async read(): Promise<FindingsCrdt> {
    const stored = await this.env.storage.read<Omit<MemoryFragment<FindingsCrdt>, 'version'>>(SharedMemory.key(this.spaceId, this.id), 'primary');
    return stored?.value.content.data ?? {};
  }

  /** Calls `listener` with the board's new version whenever a post lands (pub/sub). */
  subscribe(listener: (version: number) => void): () => void {
    return this.memory.subscribe(this.spaceId, (fragment) => {
      if (fragment.id === this.id) listener(fragment.version);
    });
  }

  /** Runs contributor rounds until a round adds no new finding id, at most `roundsMax` rounds. */
  async run(
    contributors: Record<string, (board: FindingsCrdt, round: number) => Promise<Record<string, { text: string; confidence: number }>>>,
    roundsMax = 5,
  ): Promise<BlackboardOutcome> {
    for (let round = 1; round <= roundsMax; round++) {
      const before = Object.keys(await this.read()).length;
      for (const [agent, contribute] of Object.entries(contributors)) {
        const posts = await contribute(await this.read(), round);
        if (Object.keys(posts).length > 0) await this.post(agent, `round-${round}`, posts);
      }
      const findings = await this.read();
      if (Object.keys(findings).length === before) return { rounds: round, findings, reason: 'converged' };
    }
    return { rounds: roundsMax, findings: await this.read(), reason: 'rounds-exhausted' };
  }

  private template(agent: string, taskId: string): MemoryFragment<FindingsCrdt> {
    return {
      id: this.id,
      spaceId: this.spaceId,
      version: 0,
      content: { type: 'structured', data: {} },
      provenance: { createdByAgent: agent, createdDuringTask: taskId, createdAtUs: this.env.clock.nowUs(), confidence: 1, sources: [] },
      access: { visibility: 'workflow', allowedAgents: [], deniedAgents: [] },
      lifecycle: {},
    };
  }
}
