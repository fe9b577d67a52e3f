import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulationOptions } from '../../scenarios/format/load-scenario.js';

// The design policies travel from the scenario's `policies:` block to the
// options core is built from; a wrong value is refused with its path.
const base = readFileSync('scenarios/stale-state-propagation-naive.yaml', 'utf8');

describe('scenario policies', () => {
  it('flat design policies and the router block reach the simulation options', () => {
    const text = base.replace(
      'readConsistency: any-replica',
      'readConsistency: any-replica\n  handoffProtocol: direct\n  router: { strategy: round-robin, weights: { capability: 0.5, cost: 0.5 } }',
    );
    const options = simulationOptions(parseScenario(text, 'x.yaml'), 1);
    expect(options.policies?.design).toMatchObject({ readConsistency: 'any-replica', handoffProtocol: 'direct' });
    expect(options.policies?.router).toEqual({ strategy: 'round-robin', weights: { capability: 0.5, cost: 0.5 } });
  });

  it('an unknown policy value is refused with its path', () => {
    const text = base.replace('readConsistency: any-replica', 'readConsistency: eventual');
    expect(() => parseScenario(text, 'x.yaml')).toThrow(/policies\.readConsistency/);
  });

  it('budgets are part of the supervisor policy', () => {
    const text = base.replace('readConsistency: any-replica', 'readConsistency: any-replica\n  supervisor:\n    budgets: { workflow: { tokens: 1000, calls: 3 } }');
    expect(simulationOptions(parseScenario(text, 'x.yaml'), 1).policies?.supervisor?.budgets).toEqual({ workflow: { tokens: 1000, calls: 3 } });
  });
});
