import type { Clock } from '../core/env/clock.js';
import type { Env } from '../core/env/env.js';
import type { RandomSource } from '../core/env/random.js';
import { AgentRuntime } from '../core/agents/agent-runtime.js';
import { Supervisor } from '../core/supervisor/supervisor.js';
import { SimBehaviour } from './agents/sim-behaviour.js';
import type { SimulationOptions } from './options.js';

/** The core nodes of a simulated world, as the run loop drives them. */
export interface CoreNodes {
  supervisor: Supervisor;
  agents: AgentRuntime[];
}

/**
 * Creates core's nodes (supervisor and agent runtimes with their behaviours)
 * on `env`. This is the one place the simulator decides which core components
 * and policies a scenario runs.
 */
export function createCoreNodes(env: Env, clock: Clock, random: RandomSource, options: SimulationOptions): CoreNodes {
  const supervisor = new Supervisor(env, options.agents, options.policies?.supervisor ?? {});
  const agents = options.agents.map((agent) => {
    const behaviour = options.behaviours?.[agent.name] ?? new SimBehaviour(clock, random.stream(`agent/${agent.name}`), agent.behaviour);
    return new AgentRuntime(env, agent, behaviour, { supervisor: supervisor.node, handoff: options.policies?.handoff ?? {} });
  });
  return { supervisor, agents };
}
