import { describe, expect, it } from 'vitest';
import * as core from '../../core/index.js';

describe('core entry point', () => {
  it('exposes the components a team uses without the simulator', () => {
    for (const name of ['Supervisor', 'AgentRuntime', 'AgentRouter', 'SharedMemory', 'TaskStore', 'EventBus', 'CircuitBreaker', 'Saga', 'Blackboard', 'resolveDesignPolicies']) {
      expect(core).toHaveProperty(name);
    }
    expect(core.resolveDesignPolicies()).toMatchObject({ handoffProtocol: 'two-phase', readConsistency: 'epoch-checked' });
  });
});
