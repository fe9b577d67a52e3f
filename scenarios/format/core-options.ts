import type { SimulationOptions } from '../../simulator/options.js';
import type { ScenarioFile } from './scenario-types.js';

/** What core runs, from a scenario: agents, workflow, workload and policies. */
export function coreOptions(spec: ScenarioFile): Pick<SimulationOptions, 'agents' | 'workflow' | 'workload' | 'policies'> {
  return {
    agents: Object.entries(spec.agents).map(([name, agent]) => ({
      name,
      capabilities: agent.capabilities ?? [name],
      maxConcurrent: agent.maxConcurrent,
      acceptsSchemaVersions: agent.acceptsSchemaVersions,
      emitsSchemaVersion: agent.emitsSchemaVersion,
      contextWindowTokens: agent.contextWindowTokens,
      proficiency: agent.proficiency,
      costPerKiloTokenUsd: agent.costPerKiloTokenUsd,
      expectedTokens: agent.expectedTokens,
      behaviour: {
        latencyMs: agent.latencyMs,
        errorRatio: agent.errorRatio,
        outputTokens: agent.outputTokens,
        promptTokens: agent.promptTokens,
      },
    })),
    workflow: {
      name: spec.workflow.name,
      tasks: Object.entries(spec.workflow.tasks).map(([id, task]) => ({
        id,
        agent: task.agent,
        capability: task.capability,
        dependsOn: task.dependsOn ?? [],
      })),
    },
    workload: spec.workload,
    policies: corePolicies(spec.policies),
  };
}

/** Scenario `policies:` → the options core takes: flat design policies go to `design`. */
function corePolicies(policies: ScenarioFile['policies']): SimulationOptions['policies'] {
  if (policies === undefined) return undefined;
  const { handoff, supervisor, router, ...design } = policies;
  return { handoff, supervisor, router, design };
}
