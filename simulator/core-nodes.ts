import type { Clock } from '../core/env/clock.js';
import type { Env } from '../core/env/env.js';
import type { RandomSource } from '../core/env/random.js';
import { AgentRuntime } from '../core/agents/agent-runtime.js';
import { Supervisor } from '../core/supervisor/supervisor.js';
import { AgentRouter } from '../core/routing/router.js';
import { SimBehaviour } from './agents/sim-behaviour.js';
import type { SimulationOptions } from './options.js';

/** The core nodes of a simulated world, as the run loop drives them. */
export interface CoreNodes {
  /** The first supervisor instance (the only one unless supervisors race). */
  supervisor: Supervisor;
  /** Every supervisor instance; with `supervisorsCount > 1` they race for the same workflows. */
  supervisors: Supervisor[];
  agents: AgentRuntime[];
}

/**
 * Creates core's nodes (supervisor instances and agent runtimes with their
 * behaviours) on `env`. This is the one place the simulator decides which core
 * components and policies a scenario runs. Supervisor instances are named
 * `supervisor`, `supervisor-2`, ...
 */
export function createCoreNodes(env: Env, clock: Clock, random: RandomSource, options: SimulationOptions): CoreNodes {
  const policies = options.policies ?? {};
  const instances = Math.max(1, options.supervisorsCount ?? 1);
  const supervisors: Supervisor[] = [];
  for (let index = 0; index < instances; index++) {
    const node = index === 0 ? 'supervisor' : `supervisor-${index + 1}`;
    supervisors.push(new Supervisor(env, options.agents, policies.supervisor ?? {}, { node, design: policies.design, router: new AgentRouter(env, options.agents, policies.router ?? {}) }));
  }
  const agents = options.agents.map((agent) => {
    const behaviour = options.behaviours?.[agent.name] ?? new SimBehaviour(clock, random.stream(`agent/${agent.name}`), agent.behaviour);
    return new AgentRuntime(env, agent, behaviour, { handoff: policies.handoff ?? {}, design: policies.design });
  });
  return { supervisor: supervisors[0]!, supervisors, agents };
}
