/** What the router knows of an agent's health. */
export interface HealthSnapshot {
  /** Share of recent attempts that succeeded, in [0, 1] (1 before any attempt). */
  successRatio: number;
  /** Mean latency of recent attempts, ms (0 before any attempt). */
  latencyMs: number;
  attempts: number;
}

/** Attempts remembered per agent (a sliding window). Default 50. */
export const DEFAULT_HEALTH_WINDOW = 50;

/**
 * Agent health from observed attempts: success ratio and mean latency over a
 * sliding window (seed 000 HealthScore inputs: success_rate_7d, latency).
 */
export class AgentHealth {
  private readonly windows = new Map<string, { ok: boolean; latencyMs: number }[]>();

  constructor(private readonly window = DEFAULT_HEALTH_WINDOW) {}

  /** Records one attempt of `agent`. */
  record(agent: string, ok: boolean, latencyMs: number): void {
    let entries = this.windows.get(agent);
    if (!entries) this.windows.set(agent, (entries = []));
    entries.push({ ok, latencyMs: Math.max(0, latencyMs) });
    if (entries.length > this.window) entries.shift();
  }

  /** Current health of `agent`. */
  of(agent: string): HealthSnapshot {
    const entries = this.windows.get(agent) ?? [];
    if (entries.length === 0) return { successRatio: 1, latencyMs: 0, attempts: 0 };
    const ok = entries.filter((entry) => entry.ok).length;
    const latency = entries.reduce((sum, entry) => sum + entry.latencyMs, 0) / entries.length;
    return { successRatio: ok / entries.length, latencyMs: latency, attempts: entries.length };
  }
}
