import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile, type Scenario } from '../../scenarios/format/load-scenario.js';
import { SWARM_PRESETS } from '../../simulator/faults/swarm.js';
import { UsageError } from '../exit-codes.js';
import { applyOverrides, SET_HELP } from '../scenario-overrides.js';
import { checkAssertionsUpFront } from '../assertion-checks.js';
import { checkOutDir, writingTo } from '../out-paths.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';
import { BATON_VERSION } from '../version.js';
import { runSweep } from '../pipeline/sweep.js';
import { JOBS_MAX } from '../pipeline/sweep-pool.js';
import { defaultSweepId, parseSeeds, parseShard } from '../pipeline/sweep-seeds.js';
import { renderSweepJson, renderSweepJunit, renderSweepMarkdown, renderSweepTerminal, writeSweepFiles } from '../pipeline/sweep-render.js';

export const SWEEP_HELP = `Usage: baton sweep <scenario.yaml> [options]

Simulates many seeds of a scenario in worker threads, stores every run's spans,
and prints the failing seeds with the command that replays each. Exit code 1 if
any seed violates an invariant or an assertion.

Options:
  --seeds LIST       seeds: ranges and seeds, e.g. 1..1000 or 1..10,42 (default 1..100)
  --jobs N           worker threads (default: the machine's parallelism, ${Math.min(availableParallelism(), JOBS_MAX)} here; 1 runs in-process,
                     often the faster choice for a sweep of a few seconds)
  --shard K/N        run only every N-th seed starting at the K-th (CI shards); store all
                     shards under one --sweep-id and the last shard's sweep.json covers all
  --sweep-id ID      id the runs are stored under (default: derived from scenario and seeds)
  --swarm PRESET     random faults drawn per seed: ${SWARM_PRESETS.join(', ')}
  --out DIR          where sweep.json, sweep.md and junit.xml go (default .baton/sweeps/<sweep-id>)
  --format F         what is printed: terminal (default), md, json or junit
  --assert EXPR      extra assertion checked on every seed (repeatable)
${SET_HELP}${STORE_HELP}  -h, --help         this help

Examples:
  baton sweep scenarios/research-pipeline.yaml --seeds 1..1000 --swarm default
  baton sweep scenarios/research-pipeline.yaml --seeds 1..1000 --shard 2/4 --sweep-id nightly-42
`;

const FORMATS = ['terminal', 'md', 'json', 'junit'] as const;

/** The scenario as a sweep or replay runs it: `--set` overrides, then `--swarm` (which is `--set swarm=P`). */
export function scenarioWithSwarm(file: string, sets: readonly string[] | undefined, swarm: string | undefined): Scenario {
  if (swarm !== undefined && !(SWARM_PRESETS as readonly string[]).includes(swarm)) {
    throw new UsageError(`--swarm must be one of ${SWARM_PRESETS.join(', ')}, got "${swarm}"`);
  }
  return applyOverrides(loadScenarioFile(file), [...(sets ?? []), ...(swarm === undefined ? [] : [`swarm=${swarm}`])]);
}

/** `baton sweep`: returns the exit code. */
export async function sweepCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      seeds: { type: 'string' },
      jobs: { type: 'string' },
      shard: { type: 'string' },
      'sweep-id': { type: 'string' },
      swarm: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      assert: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(SWEEP_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`baton sweep takes one scenario file, got ${positionals.length}\n\n${SWEEP_HELP}`);
  const format = values.format ?? 'terminal';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const jobs = values.jobs === undefined ? Math.min(availableParallelism(), JOBS_MAX) : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > JOBS_MAX) throw new UsageError(`--jobs must be an integer from 1 to ${JOBS_MAX}, got "${values.jobs}"`);
  const seeds = parseSeeds(values.seeds ?? '1..100');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const scenario = scenarioWithSwarm(positionals[0], values.set, values.swarm);
  // Before the store opens: a bad assertion or --out is bad input and stores nothing.
  checkAssertionsUpFront(scenario, values.assert);
  if (values.out !== undefined) checkOutDir('--out', values.out);
  const sweepId = values['sweep-id'] ?? defaultSweepId(scenario.text, seeds, BATON_VERSION);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(sweepId)) throw new UsageError(`--sweep-id may use letters, digits, _ . - (at most 64), got "${sweepId}"`);
  const store = await openStore(values);
  try {
    const outcome = await runSweep({
      scenario,
      scenarioRef: positionals[0],
      seeds,
      shard,
      jobs,
      sweepId,
      store,
      extraAssertions: values.assert,
      progress: process.stderr,
    });
    const dir = values.out ?? join('.baton', 'sweeps', sweepId);
    writingTo(dir, () => writeSweepFiles(dir, outcome.document));
    if (format === 'json') out.write(renderSweepJson(outcome.document));
    else if (format === 'md') out.write(renderSweepMarkdown(outcome.document));
    else if (format === 'junit') out.write(renderSweepJunit(outcome.document));
    else out.write(renderSweepTerminal(outcome.document));
    return outcome.exitCode;
  } finally {
    await store.close();
  }
}
