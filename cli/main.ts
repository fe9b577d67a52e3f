import { EXIT, OutputWriteError, UsageError } from './exit-codes.js';
import { ScenarioError } from '../scenarios/format/scenario-error.js';
import { AssertionSyntaxError } from '../reports/assertions.js';
import { StoreError } from '../collector/store/span-store.js';
import { CollectorConfigError, CollectorListenError } from '../collector/server/collector-errors.js';
import { SpoolDirError } from '../collector/spool/spool-lock.js';
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
  history            the report over many stored runs: all, one sweep's or one scenario's
  check <file>...    validate scenario files, every problem with file:line:column
  scenarios          list the built-in scenarios
  migrate            create or upgrade the ClickHouse schema
  prune              drop stored runs older than --older-than (e.g. 30d)
  collector          OTLP/HTTP trace receiver into ClickHouse, with the dashboard at /

Run "baton <command> --help" for a command's options.
Exit codes: 0 passed, 1 assertions or invariants failed, 2 bad input, 3 infrastructure failure.
`;

type Command = (argv: string[], out: NodeJS.WriteStream) => Promise<number>;

/**
 * Each command's module, imported when the command runs: a sweep need not
 * load fastify, nor the collector the simulator (loading every command took
 * ~0.2 s of each invocation's start).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run-command.js')).runCommand,
  compare: async () => (await import('./commands/compare-command.js')).compareCommand,
  report: async () => (await import('./commands/report-command.js')).reportCommand,
  history: async () => (await import('./commands/history-command.js')).historyCommand,
  check: async () => (await import('./commands/check-command.js')).checkCommand,
  scenarios: async () => (await import('./commands/scenarios-command.js')).scenariosCommand,
  migrate: async () => (await import('./commands/migrate-command.js')).migrateCommand,
  prune: async () => (await import('./commands/prune-command.js')).pruneCommand,
  sweep: async () => (await import('./commands/sweep-command.js')).sweepCommand,
  replay: async () => (await import('./commands/replay-command.js')).replayCommand,
  collector: async () => (await import('./commands/collector-command.js')).collectorCommand,
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
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!load) throw new UsageError(`unknown command "${name}"\n\n${HELP}`);
    const command = await load();
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
    error instanceof CollectorConfigError ||
    error instanceof SpoolDirError
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
  if (error instanceof OutputWriteError || error instanceof CollectorListenError) {
    process.stderr.write(`baton: ${message}\n`);
    return EXIT.infrastructure;
  }
  if (error instanceof StoreError) {
    process.stderr.write(`baton: storage error [${error.code}]: ${message}\n`);
    return EXIT.infrastructure;
  }
  process.stderr.write(`baton: internal error: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
  return EXIT.infrastructure;
}
