import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../../scenarios/format/load-scenario.js';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { renderTerminal } from '../../reports/render/terminal.js';
import { renderMarkdown } from '../../reports/render/markdown.js';
import { renderJson } from '../../reports/render/report-document.js';
import { runScenario } from '../pipeline/run-scenario.js';
import { writeReportFiles } from '../pipeline/report-files.js';
import { UsageError } from '../exit-codes.js';

export const RUN_HELP = `Usage: baton run <scenario.yaml> [options]

Simulates one seed of a scenario, stores its spans in ClickHouse and prints the report.

Options:
  --seed N          seed of the run (default 1)
  --out DIR         where report.json and report.md go (default .baton/runs/<run-id>)
  --format F        terminal (default), md or json: what is printed
  --assert EXPR     extra assertion, e.g. "handoffs.successRate >= 0.99" (repeatable)
  --data-dir DIR    embedded ClickHouse data directory (default .baton/chdb)
  -h, --help        this help

Examples:
  baton run scenarios/research-pipeline.yaml --seed 42
  baton run scenarios/research-pipeline.yaml --seed 7 --format json --out out/
`;

const FORMATS = ['terminal', 'md', 'json'] as const;

/** Parses a seed: a non-negative safe integer. */
export function parseSeed(text: string, flag = '--seed'): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} must be a non-negative integer, got "${text}"`);
  }
  return Number(text);
}

/** `baton run`: returns the exit code. */
export async function runCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      assert: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`baton run takes one scenario file, got ${positionals.length}\n\n${RUN_HELP}`);
  const format = values.format ?? 'terminal';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  }
  const seed = parseSeed(values.seed ?? '1');
  const scenario = loadScenarioFile(positionals[0]);
  const store = new ChdbStore(values['data-dir'] ?? join('.baton', 'chdb'));
  try {
    const outcome = await runScenario({
      scenario,
      seed,
      store,
      outDir: values.out,
      extraAssertions: values.assert,
    });
    // The default location needs the run id, known once the run is stored.
    if (!values.out) writeReportFiles(join('.baton', 'runs', outcome.document.run.id), outcome.document);
    if (format === 'json') out.write(renderJson(outcome.document));
    else if (format === 'md') out.write(renderMarkdown(outcome.document));
    else out.write(renderTerminal(outcome.document, out.isTTY === true));
    return outcome.exitCode;
  } finally {
    await store.close();
  }
}
