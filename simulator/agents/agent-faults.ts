import type { AgentBehaviour, WorkRequest, WorkResult } from '../../core/agents/types.js';
import type { Clock } from '../../core/env/clock.js';
import { chance, type RandomStream } from '../../core/env/random.js';

/**
 * Faults currently applied to one agent. All off by default; the fault plan
 * turns them on and off on the timeline.
 */
export interface AgentFaultState {
  /** Work takes this many times as long. Default 1. */
  slowdownFactor: number;
  /** Share of attempts that fail with `agent_error_injected`, in [0, 1]. Default 0. */
  errorRatio: number;
  /** Share of attempts that never return (the caller's timeout must fire), in [0, 1]. Default 0. */
  hangRatio: number;
  /** Output tokens are multiplied by this. Default 1. */
  tokensFactor: number;
}

/** A fresh state with every agent fault off. */
export function healthyAgent(): AgentFaultState {
  return { slowdownFactor: 1, errorRatio: 0, hangRatio: 0, tokensFactor: 1 };
}

/** Reports an injected agent fault (counters and span events). */
export type AgentFaultListener = (kind: string, agent: string) => void;

/**
 * Wraps an agent's behaviour with the faults of `state`: slowdown (the extra
 * time is waited after the work), injected errors, hangs and token blow-up.
 * A behaviour that throws is reported to `onThrow` and counts as a failed attempt.
 * With every fault off it draws nothing and changes nothing.
 */
export class FaultyBehaviour implements AgentBehaviour {
  constructor(
    private readonly inner: AgentBehaviour,
    private readonly agent: string,
    readonly state: AgentFaultState,
    private readonly clock: Clock,
    private readonly stream: RandomStream,
    private readonly onFault: AgentFaultListener = () => {},
    private readonly onThrow: (agent: string, error: unknown) => void = () => {},
  ) {}

  async perform(request: WorkRequest): Promise<WorkResult> {
    if (chance(this.state.hangRatio, this.stream)) {
      this.onFault('agent_hang', this.agent);
      return new Promise<WorkResult>(() => {});
    }
    const injectError = chance(this.state.errorRatio, this.stream);
    const slowdown = this.state.slowdownFactor;
    const tokensFactor = this.state.tokensFactor;
    const startedUs = this.clock.nowUs();
    let result: WorkResult;
    try {
      result = await this.inner.perform(request);
    } catch (error) {
      // A behaviour that throws is a crash of the code under test: reported, and the attempt fails
      // (instead of an unhandled rejection that would end the process or the sweep worker).
      this.onThrow(this.agent, error);
      return { ok: false, error: 'behaviour_threw', inputTokens: 0, outputTokens: 0 };
    }
    if (slowdown > 1) {
      this.onFault('agent_slowdown', this.agent);
      await this.clock.sleepMs(((this.clock.nowUs() - startedUs) / 1000) * (slowdown - 1));
    }
    if (injectError) {
      this.onFault('agent_error', this.agent);
      return { ok: false, error: 'agent_error_injected', inputTokens: result.inputTokens, outputTokens: 0 };
    }
    if (tokensFactor !== 1 && result.ok) {
      this.onFault('token_blowup', this.agent);
      return { ...result, outputTokens: Math.round(result.outputTokens * tokensFactor) };
    }
    return result;
  }
}
