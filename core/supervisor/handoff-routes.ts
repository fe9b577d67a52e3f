import type { AgentSpec } from '../agents/types.js';
import type { TaskSpec } from '../workflow/types.js';
import { successorsOf } from '../workflow/dag.js';
import type { HandoffRoute } from './protocol.js';

/**
 * Routes of the handoffs from `taskId` to its successors: the agent chosen for
 * each successor, the schema versions it accepts (for the fallback schema), and
 * backup agents with the same capability when the successor has a single input
 * (a task with several inputs must get them all in one agent's inbox).
 */
export function handoffRoutes(
  tasks: readonly TaskSpec[],
  agents: readonly AgentSpec[],
  taskId: string,
  agentFor: (targetTaskId: string) => string,
): HandoffRoute[] {
  return successorsOf(tasks, taskId).map((targetTaskId) => {
    const targetAgent = agentFor(targetTaskId);
    const spec = agents.find((agent) => agent.name === targetAgent);
    const target = tasks.find((task) => task.id === targetTaskId)!;
    const capability = target.capability ?? targetTaskId;
    const backupAgents =
      target.dependsOn.length === 1
        ? agents.filter((agent) => agent.name !== targetAgent && agent.capabilities.includes(capability)).map((agent) => agent.name)
        : [];
    return { targetTaskId, targetAgent, acceptsSchemaVersions: spec?.acceptsSchemaVersions ?? [1], backupAgents };
  });
}
