import { EXIT, UsageError } from './exit-codes.js';
import { runCommand } from './commands/run-command.js';
import { reportCommand } from './commands/report-command.js';
import { checkCommand } from './commands/check-command.js';
import { scenariosCommand } from './commands/scenarios-command.js';
import { migrateCommand } from './commands/migrate-command.js';
import { pruneCommand } from './commands/prune-command.js';
import { compareCommand } from './commands/compare-command.js';
import { sweepCommand } from './commands/sweep-command.js';
import { replayCommand } from './commands/replay-command.js';
import { collectorCommand } from './commands/collector-command.js';
import { ScenarioError } from '../scenarios/format/scenario-error.js';
import { AssertionSyntaxError } from '../reports/assertions.js';
import { StoreError } from '../collector/store/span-store.js';
import { CollectorConfigError } from '../collector/server/collector-errors.js';
import { RunNotFoundError } from '../reports/run-report.js';
import { BATON_VERSION } from './version.js';

const HELP = `baton ${BATON_VERSION}: chaos-test and benchmark multi-agent designs

Usage: baton <command> [options]

Commands:
  run <scenario>     simulate one seed, store spans, print the report
  replay <scenario>  reproduce one seed exactly; event log around a violation; --shrink, --check-determinism
  sweep <scenario>   simulate many seeds in worker threads; failing seeds and how to replay them
  compare <scenario> run two variants on the same seeds; differences with bootstrap CIs
  report <run-id>    recompute a stored run's report (terminal, md, json, junit, html)
  check <file>...    validate scenario files, every problem with file:line:column
  scenarios          list the built-in scenarios
  migrate            create or upgrade the ClickHouse schema
  prune              drop stored runs older than --older-than (e.g. 30d)
  collector          OTLP/HTTP trace receiver into ClickHouse, with the dashboard at /

Run "baton <command> --help" for a command's options.
Exit codes: 0 passed, 1 assertions or invariants failed, 2 bad input, 3 infrastructure failure.
`;

type Command = (argv: string[], out: NodeJS.WriteStream) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  compare: compareCommand,
  report: reportCommand,
  check: checkCommand,
  scenarios: scenariosCommand,
  migrate: migrateCommand,
  prune: pruneCommand,
  sweep: sweepCommand,
  replay: replayCommand,
  collector: collectorCommand,
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === '--version') {
    process.stdout.write(`${BATON_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"\n\n${HELP}`);
    return await command(rest, process.stdout);
  } catch (error) {
    return reportError(error);
  }
}

/** Prints an error as the user should see it and maps it to an exit code. */
export function reportError(error: unknown): number {
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (
    error instanceof ScenarioError ||
    error instanceof UsageError ||
    error instanceof AssertionSyntaxError ||
    error instanceof RunNotFoundError ||
    error instanceof CollectorConfigError
  ) {
    process.stderr.write(`baton: ${message}\n`);
    return EXIT.badInput;
  }
  if (code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`baton: ${message}\n`);
    return EXIT.badInput;
  }
  if (code === 'BATON_ERR_CONFIG_CLICKHOUSE_URL' || code === 'BATON_ERR_SWEEP_NOT_FOUND') {
    process.stderr.write(`baton: ${message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof StoreError) {
    process.stderr.write(`baton: storage error [${error.code}]: ${message}\n`);
    return EXIT.infrastructure;
  }
  process.stderr.write(`baton: internal error: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
  return EXIT.infrastructure;
}
