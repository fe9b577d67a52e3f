import { describe, expect, it } from 'vitest';
import { drawSwarmPlan, SWARM_PRESETS } from '../../../simulator/faults/swarm.js';
import { SCRIPTED_FAULT_KINDS } from '../../../simulator/faults/scripted-faults.js';
import { livenessBoundMs, safetyPhaseMs } from '../../../simulator/faults/run-plan.js';
import { drawRandomFaults } from '../../../simulator/faults/random-faults.js';
import { SeededRandom } from '../../../simulator/random/seeded-random.js';
import { parseScenario, simulationOptions } from '../../../scenarios/format/load-scenario.js';
import { runTiny, tinyWorld } from '../support/tiny-world.js';

const targets = { agents: ['researcher', 'analyst', 'writer'], others: ['supervisor'] };

describe('swarm', () => {
  it('draws the plan from the seed alone: same seed same plan, other seed other plan', () => {
    expect(drawSwarmPlan('default', 11, targets, 15_000)).toEqual(drawSwarmPlan('default', 11, targets, 15_000));
    expect(drawSwarmPlan('default', 12, targets, 15_000)).not.toEqual(drawSwarmPlan('default', 11, targets, 15_000));
  });

  it('keeps every fault inside the safety phase, and harsher presets inject more', () => {
    const counts: Record<string, number> = {};
    for (const preset of SWARM_PRESETS) {
      counts[preset] = 0;
      for (let seed = 1; seed <= 200; seed++) {
        for (const fault of drawSwarmPlan(preset, seed, targets, 10_000)) {
          counts[preset]++;
          expect(fault.atMs).toBeGreaterThanOrEqual(0);
          expect(fault.atMs + fault.forMs).toBeLessThanOrEqual(10_000);
          expect(SCRIPTED_FAULT_KINDS).toContain(fault.kind);
        }
      }
    }
    expect(counts.lite).toBeLessThan(counts.default);
    expect(counts.default).toBeLessThan(counts.harsh);
  });

  it('a swarm run records its drawn plan, and running that plan as a script reproduces the run', async () => {
    const swarmed = await runTiny(tinyWorld({ seed: 5, swarm: 'harsh' }));
    expect(swarmed.result.faultPlan.length).toBeGreaterThan(0);
    const scripted = await runTiny(tinyWorld({ seed: 5, faults: swarmed.result.faultPlan, phases: { safetyMs: 15_000 } }));
    expect(scripted.result.eventLogHash).toBe(swarmed.result.eventLogHash);
  });

  it('a swarm run bounds both phases unless the scenario does', () => {
    const options = tinyWorld({ swarm: 'lite' });
    expect(safetyPhaseMs(options)).toBe(15_000);
    expect(livenessBoundMs(options)).toBe(120_000);
    expect(livenessBoundMs(tinyWorld({ swarm: 'lite', phases: { livenessMsMax: 5_000 } }))).toBe(5_000);
    expect(livenessBoundMs(tinyWorld())).toBeUndefined();
    expect(safetyPhaseMs(tinyWorld())).toBeUndefined();
  });

  it('the liveness phase starts when every fault is healed', async () => {
    const run = await runTiny(tinyWorld({ faults: [{ kind: 'pause', atMs: 100, forMs: 400, targets: ['analyst'] }, { kind: 'loss', atMs: 0, forMs: 9_000, lossRatio: 0.1 }], phases: { safetyMs: 2_000 } }));
    expect(run.result.healedAtMs).toBe(2_000);
    expect(run.result.log.entries.find((entry) => entry.text.startsWith('phase.liveness'))?.timeUs).toBe(2_000_000);
  });
});

describe('random faults by rate', () => {
  it('draws only the kinds with a rate, about rate × minutes of each, from the seed', () => {
    const rates = { perMinute: { crash: 2, loss: 8 }, windowMsMin: 100, windowMsMax: 500 };
    const counts = { crash: 0, loss: 0, other: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const plan = drawRandomFaults(rates, new SeededRandom(seed).stream('faults/random'), targets, 30_000);
      for (const fault of plan) {
        if (fault.kind === 'crash' || fault.kind === 'loss') counts[fault.kind]++;
        else counts.other++;
        expect(fault.forMs).toBeLessThanOrEqual(500);
        expect(fault.atMs + fault.forMs).toBeLessThanOrEqual(30_000);
      }
    }
    expect(counts.other).toBe(0);
    expect(counts.crash / 200).toBeGreaterThan(0.8); // mean 1 per 30 s run
    expect(counts.crash / 200).toBeLessThan(1.2);
    expect(counts.loss / 200).toBeGreaterThan(3.5); // mean 4
    expect(counts.loss / 200).toBeLessThan(4.5);
    expect(drawRandomFaults({ perMinute: {} }, new SeededRandom(1).stream('x'), targets, 30_000)).toEqual([]);
  });

  it('a run with randomFaults records the drawn windows in its plan, inside its safety phase', async () => {
    const run = await runTiny(tinyWorld({ randomFaults: { perMinute: { 'agent-slowdown': 20 } }, phases: { safetyMs: 3_000 } }));
    expect(run.result.faultPlan.length).toBeGreaterThan(0);
    expect(run.result.faultPlan.every((fault) => fault.kind === 'agent-slowdown' && fault.atMs + fault.forMs <= 3_000)).toBe(true);
    expect(run.faultEvents.some((event) => event.startsWith('agent-slowdown '))).toBe(true);
  });
});

describe('scenario format: world faults', () => {
  const base = `
name: t
agents: { a: {}, b: {} }
workflow: { name: w, tasks: { x: { agent: a }, y: { agent: b, dependsOn: [x] } } }
`;
  it('accepts every fault kind, storage, phases, swarm and orchestrators', () => {
    const text = `${base}
swarm: lite
randomFaults: { perMinute: { crash: 0.5, loss: 2 }, windowMsMax: 2000, ratioMax: 0.2 }
phases: { safetyMs: 5000, livenessMsMax: 60000 }
storage: { replicaLagMs: { dist: fixed, value: 20 }, writeFailureRatio: 0.01, syncDelayMs: 5 }
orchestrators: { supervisorsCount: 2 }
faults:
  - { kind: partition, atMs: 0, forMs: 10, groups: [[a], [b]], oneWay: true }
  - { kind: hold, atMs: 0, forMs: 10, links: [{ from: a, to: b }] }
  - { kind: loss, atMs: 0, forMs: 10, lossRatio: 0.1 }
  - { kind: duplicate, atMs: 0, forMs: 10, duplicateRatio: 0.1 }
  - { kind: reorder, atMs: 0, forMs: 10, reorderRatio: 0.1, reorderDelayMsMax: 100 }
  - { kind: slow-link, atMs: 0, forMs: 10, latencyMs: { dist: fixed, value: 100 } }
  - { kind: corrupt, atMs: 0, forMs: 10, corruptRatio: 0.1 }
  - { kind: crash, atMs: 0, forMs: 10, targets: [a], phase: published }
  - { kind: crash, atMs: 0, forMs: 10, targets: [store, supervisor-2] }
  - { kind: pause, atMs: 0, forMs: 10, targets: [b] }
  - { kind: replica-lag, atMs: 0, forMs: 10, replicaLagMs: { dist: exponential, mean: 100 } }
  - { kind: write-failure, atMs: 0, forMs: 10, writeFailureRatio: 0.5 }
  - { kind: clock, atMs: 0, forMs: 10, targets: [supervisor], skewMs: -200, driftPpm: 500 }
  - { kind: agent-slowdown, atMs: 0, forMs: 10, targets: [a], slowdownFactor: 2 }
  - { kind: agent-errors, atMs: 0, forMs: 10, targets: [a], errorRatio: 0.5 }
  - { kind: agent-hang, atMs: 0, forMs: 10, targets: [a], hangRatio: 0.5 }
  - { kind: token-blowup, atMs: 0, forMs: 10, targets: [a], tokensFactor: 4 }
  - { kind: schema-drift, atMs: 0, forMs: 10, targets: [a], schemaVersion: 2 }
`;
    const options = simulationOptions(parseScenario(text), 1);
    expect(options.faults?.map((fault) => fault.kind)).toEqual([...SCRIPTED_FAULT_KINDS.slice(0, 8), 'crash', ...SCRIPTED_FAULT_KINDS.slice(8)]);
    expect(options.swarm).toBe('lite');
    expect(options.randomFaults).toEqual({ perMinute: { crash: 0.5, loss: 2 }, windowMsMax: 2000, ratioMax: 0.2 });
    expect(options.phases).toEqual({ safetyMs: 5000, livenessMsMax: 60000 });
    expect(options.supervisorsCount).toBe(2);
    expect(options.storage?.syncDelayMs).toBe(5);
  });

  it('refuses an unknown fault kind, a missing ratio, an unknown target and an unknown preset', () => {
    expect(() => parseScenario(`${base}\nfaults: [{ kind: meteor, atMs: 0, forMs: 1 }]`)).toThrow(/faults/);
    expect(() => parseScenario(`${base}\nfaults: [{ kind: loss, atMs: 0, forMs: 1 }]`)).toThrow(/faults/);
    expect(() => parseScenario(`${base}\nfaults: [{ kind: pause, atMs: 0, forMs: 1, targets: [zed] }]`)).toThrow(/unknown node "zed"/);
    expect(() => parseScenario(`${base}\nswarm: apocalyptic`)).toThrow(/swarm/);
    expect(() => parseScenario(`${base}\nrandomFaults: { perMinute: { meteor: 1 } }`)).toThrow(/randomFaults/);
  });
});
