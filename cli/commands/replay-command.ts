import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRunTracer } from '../../collector/tracing/run-tracer.js';
import { simulationOptions, type Scenario } from '../../scenarios/format/load-scenario.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { checkDeterminism } from '../../simulator/replay/check-determinism.js';
import { eventWindow, formatEntry } from '../../simulator/replay/event-window.js';
import { simulate } from '../../simulator/simulate.js';
import { SWARM_PRESETS } from '../../simulator/faults/swarm.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { emitReport, parseFormats } from '../pipeline/report-outputs.js';
import { runScenario } from '../pipeline/run-scenario.js';
import { shrinkCommandPart, SHRINK_HELP, SHRINK_OPTIONS } from '../pipeline/shrink-report.js';
import { SET_HELP } from '../scenario-overrides.js';
import { checkAssertionsUpFront } from '../assertion-checks.js';
import { checkOutDir, checkOutFile } from '../out-paths.js';
import { openStore, STORE_HELP } from '../store-option.js';
import { parseSeed, RUN_OPTIONS } from './run-command.js';
import { scenarioWithSwarm } from './sweep-command.js';

export const REPLAY_HELP = `Usage: baton replay <scenario.yaml> --seed N [options]

Reproduces one run exactly (the same flags as run, plus --swarm), stores and
prints its report, then prints the event log around the first violation.

Options:
  --seed N               seed of the run (required)
  --swarm PRESET         the random faults of a swarm sweep: ${SWARM_PRESETS.join(', ')}
  --around MS            print the event log within --window of this virtual time
                         (default: the first violation's time)
  --window MS            half-width of the printed window in virtual ms (default 250)
  --log                  print the window even when the run passed (around 0 by default)
  --check-determinism    run twice, compare event-log hashes and report the first
                         divergence; exit 1 when they differ (nothing is stored)
${SHRINK_HELP}  --out DIR              where the report files go (default .baton/runs/<run-id>)
  --format LIST          as for run: terminal (default), md, json, junit, html
  --assert EXPR          extra assertion (repeatable)
${SET_HELP}${STORE_HELP}  -h, --help             this help

Examples:
  baton replay scenarios/research-pipeline.yaml --seed 17 --swarm default
  baton replay scenarios/research-pipeline.yaml --seed 17 --swarm default --around 5230 --window 100
  baton replay scenarios/research-pipeline.yaml --seed 17 --check-determinism
`;

/** Default half-width of the printed event-log window, virtual ms. */
export const DEFAULT_WINDOW_MS = 250;

const tracerFor = (seed: number) => createRunTracer(new SeededRandom(seed).stream('ids'), () => {});

/** `baton replay`: returns the exit code. */
export async function replayCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...RUN_OPTIONS,
      swarm: { type: 'string' },
      around: { type: 'string' },
      window: { type: 'string' },
      log: { type: 'boolean' },
      'check-determinism': { type: 'boolean' },
      ...SHRINK_OPTIONS,
    },
  });
  if (values.help) {
    out.write(REPLAY_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`baton replay takes one scenario file, got ${positionals.length}\n\n${REPLAY_HELP}`);
  if (values.seed === undefined) throw new UsageError(`baton replay needs --seed N\n\n${REPLAY_HELP}`);
  const seed = parseSeed(values.seed);
  const aroundMs = values.around === undefined ? undefined : parseMs(values.around, '--around');
  const windowMs = values.window === undefined ? DEFAULT_WINDOW_MS : parseMs(values.window, '--window');
  const scenario = scenarioWithSwarm(positionals[0], values.set, values.swarm);
  // Before anything runs: a bad assertion, --out or --shrink-out is bad input and stores nothing.
  checkAssertionsUpFront(scenario, values.assert);
  if (values.out !== undefined) checkOutDir('--out', values.out);
  if (values['shrink-out'] !== undefined) checkOutFile('--shrink-out', values['shrink-out']);
  if (values['check-determinism']) return determinism(scenario, seed, out);
  if (values.shrink) return shrinkCommandPart({ scenario, scenarioRef: positionals[0], seed, values, out });
  const formats = parseFormats(values.format);
  const store = await openStore(values);
  let exitCode: number;
  try {
    const outcome = await runScenario({ scenario, seed, store, extraAssertions: values.assert });
    const dir = values.out ?? join('.baton', 'runs', outcome.document.run.id);
    await emitReport({ document: outcome.document, formats, dir, out, store });
    exitCode = outcome.exitCode;
  } finally {
    await store.close();
  }
  const replayed = await simulate({ ...simulationOptions(scenario, seed), retainLog: true }, tracerFor(seed));
  const firstViolation = replayed.violations[0];
  const centre = aroundMs ?? firstViolation?.atMs ?? (values.log ? 0 : undefined);
  if (centre !== undefined) {
    const window = eventWindow(replayed.log.entries, centre, windowMs);
    out.write(`\nevent log around ${centre} ms (±${windowMs} ms, seed ${seed}${values.swarm ? `, swarm ${values.swarm}` : ''}), hash ${replayed.eventLogHash.slice(0, 16)}\n`);
    if (firstViolation) out.write(`  first violation: ${firstViolation.checker} (${firstViolation.classification}) at ${firstViolation.atMs} ms: ${firstViolation.story}\n`);
    if (window.omittedBefore > 0) out.write(`  … ${window.omittedBefore} earlier entries\n`);
    for (const entry of window.entries) out.write(`  ${formatEntry(entry)}\n`);
    if (window.omittedAfter > 0) out.write(`  … ${window.omittedAfter} later entries\n`);
  }
  return exitCode;
}

async function determinism(scenario: Scenario, seed: number, out: NodeJS.WritableStream): Promise<number> {
  const report = await checkDeterminism(simulationOptions(scenario, seed), tracerFor);
  if (report.deterministic) {
    out.write(`deterministic: seed ${seed} gave the same event log twice (${report.entries[0]} entries, sha256 ${report.hashes[0]})\n`);
    return EXIT.ok;
  }
  const divergence = report.divergence!;
  out.write(
    `NOT deterministic: seed ${seed} gave two event logs (${report.hashes[0].slice(0, 16)} vs ${report.hashes[1].slice(0, 16)}, ${report.entries[0]} vs ${report.entries[1]} entries)\n` +
      `  first divergence at entry ${divergence.index}:\n` +
      `    run 1: ${divergence.first ? formatEntry(divergence.first) : '(log ended)'}\n` +
      `    run 2: ${divergence.second ? formatEntry(divergence.second) : '(log ended)'}\n`,
  );
  return EXIT.verdictFailed;
}

function parseMs(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} must be a non-negative number of virtual ms, got "${text}"`);
  return value;
}
