import { writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';
import { createRunTracer } from '../../collector/tracing/run-tracer.js';
import { simulationOptions, type Scenario } from '../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { DEFAULT_SHRINK_RUNS_MAX, shrinkFaultPlan, type ShrinkResult } from '../../simulator/shrink/shrink-plan.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { writingTo } from '../out-paths.js';

/** Flags of `baton replay` that drive shrinking. */
export const SHRINK_OPTIONS = {
  shrink: { type: 'boolean' },
  'shrink-out': { type: 'string' },
  'shrink-runs': { type: 'string' },
} as const;

export const SHRINK_HELP = `  --shrink               find the smallest fault plan (fewest faults, shortest windows)
                         that still violates the same invariant and print it as a
                         scenario to commit as a regression test (nothing is stored)
  --shrink-out FILE      also write that scenario to FILE
  --shrink-runs N        simulations the search may run (default ${DEFAULT_SHRINK_RUNS_MAX})
`;

/**
 * The shrunk plan as a scenario file: the original scenario's text with its
 * `faults` replaced by the plan (flow style, one fault a line), `swarm` and
 * `randomFaults` removed, the safety phase kept, and a header telling the story.
 */
export function shrunkScenarioYaml(scenario: Scenario, seed: number, result: ShrinkResult, swarm: string | undefined): string {
  const document = parseDocument(scenario.text);
  document.delete('swarm');
  document.delete('randomFaults');
  const faults = document.createNode(result.shrunk);
  if (isSeq(faults)) for (const item of faults.items) if (isMap(item)) item.flow = true;
  document.set('faults', faults);
  const { safetyMs, livenessMsMax } = result.options.phases ?? {};
  if (safetyMs !== undefined) document.setIn(['phases', 'safetyMs'], safetyMs);
  if (livenessMsMax !== undefined) document.setIn(['phases', 'livenessMsMax'], livenessMsMax);
  const story = [
    ` Regression (found by baton): seed ${seed}${swarm ? ` under --swarm ${swarm}` : ''} broke "${result.checker}":`,
    ` ${result.violation.story} (at ${result.violation.atMs} virtual ms).`,
    ` Shrunk from ${result.original.length} faults to ${result.shrunk.length} by baton replay --shrink (${result.runs} runs).`,
    ` Reproduce: baton run <this file> --seed ${seed}`,
  ];
  document.commentBefore = [...story, ...(document.commentBefore ? ['', document.commentBefore] : [])].join('\n');
  return document.toString({ lineWidth: 0 });
}

/** `baton replay --shrink`: shrinks, prints the scenario, exits 1 when the seed failed (0 when it passed). */
export async function shrinkCommandPart(request: {
  scenario: Scenario;
  scenarioRef: string;
  seed: number;
  values: { 'shrink-out'?: string; 'shrink-runs'?: string; swarm?: string };
  out: NodeJS.WritableStream;
}): Promise<number> {
  const { scenario, seed, values, out } = request;
  const runsMax = values['shrink-runs'] === undefined ? DEFAULT_SHRINK_RUNS_MAX : Number(values['shrink-runs']);
  if (!Number.isInteger(runsMax) || runsMax < 1 || runsMax > 100_000) throw new UsageError(`--shrink-runs must be an integer from 1 to 100000, got "${values['shrink-runs']}"`);
  const result = await shrinkFaultPlan({
    options: simulationOptions(scenario, seed),
    tracerFor: (runSeed) => createRunTracer(new SeededRandom(runSeed).stream('ids'), () => {}),
    runsMax,
  });
  if (!result) {
    out.write(`seed ${seed} of ${request.scenarioRef} violates no invariant: nothing to shrink\n`);
    return EXIT.ok;
  }
  const yaml = shrunkScenarioYaml(scenario, seed, result, values.swarm);
  out.write(
    `shrunk seed ${seed}: "${result.checker}" still fails with ${result.shrunk.length} of ${result.original.length} faults ` +
      `(${result.runs} runs)\n  ${result.violation.story}\n\n${yaml}`,
  );
  if (values['shrink-out']) {
    const file = values['shrink-out'];
    writingTo(file, () => writeFileSync(file, yaml));
    out.write(`\nwritten to ${values['shrink-out']}; run it with: baton run ${values['shrink-out']} --seed ${seed}\n`);
  }
  return EXIT.verdictFailed;
}
