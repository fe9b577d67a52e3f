import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../../scenarios/format/load-scenario.js';
import { runScenario } from '../pipeline/run-scenario.js';
import { emitReport, parseFormats } from '../pipeline/report-outputs.js';
import { UsageError } from '../exit-codes.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';
import { applyOverrides, SET_HELP } from '../scenario-overrides.js';
import { checkAssertionsUpFront } from '../assertion-checks.js';
import { checkOutDir } from '../out-paths.js';

export const RUN_HELP = `Usage: baton run <scenario.yaml> [options]

Simulates one seed of a scenario, stores its spans in ClickHouse and prints the report.

Options:
  --seed N           seed of the run (default 1)
  --out DIR          where the report files go (default .baton/runs/<run-id>)
  --format LIST      comma-separated: terminal (default), md, json, junit, html.
                     One format is printed; with several, terminal is printed and
                     the others are written to DIR (report.md, report.json,
                     junit.xml, report.html). report.json and report.md are
                     always written.
  --assert EXPR      extra assertion, e.g. "handoffs.successRate >= 0.99" (repeatable)
${SET_HELP}${STORE_HELP}  -h, --help         this help

Examples:
  baton run scenarios/research-pipeline.yaml --seed 42
  baton run scenarios/research-pipeline.yaml --seed 7 --format json --out out/
  baton run scenarios/research-pipeline.yaml --format terminal,junit,html --assert "handoffs.latencyMs.p99 < 800"
  baton run scenarios/research-pipeline.yaml --set network.lossRatio=0.1
`;

/** Parses a seed: a non-negative safe integer. */
export function parseSeed(text: string, flag = '--seed'): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} must be a non-negative integer, got "${text}"`);
  }
  return Number(text);
}

/** The flags of `baton run`; `replay` takes all of them too. */
export const RUN_OPTIONS = {
  seed: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string', multiple: true },
  assert: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  ...STORE_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

/** `baton run`: returns the exit code. */
export async function runCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: RUN_OPTIONS,
  });
  if (values.help) {
    out.write(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`baton run takes one scenario file, got ${positionals.length}\n\n${RUN_HELP}`);
  const formats = parseFormats(values.format);
  const seed = parseSeed(values.seed ?? '1');
  const scenario = applyOverrides(loadScenarioFile(positionals[0]), values.set ?? []);
  // Before the store opens: a bad assertion or --out is bad input and stores nothing.
  checkAssertionsUpFront(scenario, values.assert);
  if (values.out !== undefined) checkOutDir('--out', values.out);
  const store = await openStore(values);
  try {
    const outcome = await runScenario({ scenario, seed, store, extraAssertions: values.assert });
    const dir = values.out ?? join('.baton', 'runs', outcome.document.run.id);
    await emitReport({ document: outcome.document, formats, dir, out, store });
    return outcome.exitCode;
  } finally {
    await store.close();
  }
}
