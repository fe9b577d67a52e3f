import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { computeRunReport } from '../../reports/run-report.js';
import { loadScenarioFile, type Scenario } from '../../scenarios/format/load-scenario.js';
import { checkAssertions } from '../../reports/assertions.js';
import type { ReportDocument } from '../../reports/render/report-document.js';
import { emitReport, parseFormats } from '../pipeline/report-outputs.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';
import { checkAssertionsUpFront } from '../assertion-checks.js';
import { checkOutDir } from '../out-paths.js';

export const REPORT_HELP = `Usage: baton report <run-id> [options]

Recomputes the report of a stored run from its spans (SQL only, no simulation).
The run id is printed by "baton run" and is the name of its .baton/runs/ folder.

Options:
  --format LIST      comma-separated: terminal (default), md, json, junit, html
  --out DIR          where the report files go (default .baton/runs/<run-id>)
  --assert EXPR      assertion to check, e.g. "handoffs.successRate >= 0.99" (repeatable)
  --scenario FILE    the run's scenario file: its assert: block is checked too, and
                     replay commands name it (default scenarios/<name>.yaml, whose
                     assert: block is checked when its text is the run's)
${STORE_HELP}  -h, --help         this help

Examples:
  baton report 49a92869004d2022
  baton report 49a92869004d2022 --format html,junit --out public/
  baton report 49a92869004d2022 --clickhouse http://ci:secret@clickhouse:8123/baton --assert "invariants.violations == 0"
`;

/** `baton report`: the exit code is the verdict of the recomputed report. */
export async function reportCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', multiple: true },
      out: { type: 'string' },
      assert: { type: 'string', multiple: true },
      scenario: { type: 'string' },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(REPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`baton report takes one run id, got ${positionals.length}\n\n${REPORT_HELP}`);
  const formats = parseFormats(values.format);
  const runId = positionals[0];
  // Before the store opens: a bad assertion or --out is bad input and reads nothing.
  const scenario = values.scenario ? loadScenarioFile(values.scenario) : undefined;
  checkAssertionsUpFront(scenario, values.assert);
  if (values.out !== undefined) checkOutDir('--out', values.out);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const store = await openStore(values);
  try {
    await store.migrate();
    const report = await computeRunReport(store, runId, { scenarioRef: values.scenario });
    const scenarioAsserts = scenarioAssertions(report.run, scenario, values.scenario);
    const assertions = checkAssertions(report, [...scenarioAsserts, ...(values.assert ?? [])]);
    const passed = report.invariants.violations.length === 0 && assertions.every((assertion) => assertion.passed);
    const reportMs = Math.round(performance.now() - started);
    const document: ReportDocument = {
      ...report,
      verdict: { passed, exitCode: passed ? EXIT.ok : EXIT.verdictFailed, assertions },
      wall: { startedAt, host: hostname(), simulateMs: 0, storeMs: 0, reportMs, totalMs: reportMs, spansStored: 0 },
    };
    await emitReport({ document, formats, dir: values.out ?? join('.baton', 'runs', runId), out, store });
    return document.verdict.exitCode;
  } finally {
    await store.close();
  }
}

/**
 * The `assert:` block to check again: the scenario file's when its text is the
 * run's (the stored config hash), so a report never judges a run by another
 * scenario's thresholds. A `--scenario` given explicitly is checked even when
 * its text differs (a run made with `--set` has other text), with a note; the
 * default `scenarios/<name>.yaml` only when it matches, with a note when it
 * does not.
 */
function scenarioAssertions(run: { scenario: string; configHash: string }, given: Scenario | undefined, givenFile: string | undefined): string[] {
  const note = (text: string): void => void process.stderr.write(`baton report: ${text}\n`);
  const matches = (scenario: Scenario): boolean => scenario.contentHash.slice(0, run.configHash.length) === run.configHash;
  if (given !== undefined) {
    if (!matches(given)) note(`${givenFile}'s text is not the one run ${JSON.stringify(run.scenario)} was made from (config hash ${run.configHash}; edited, or the run had --set): its assert: block is checked anyway`);
    return [...(given.spec.assert ?? [])];
  }
  const fallback = join('scenarios', `${run.scenario}.yaml`);
  if (!existsSync(fallback)) return [];
  let scenario: Scenario;
  try {
    scenario = loadScenarioFile(fallback);
  } catch (error) {
    note(`${fallback} does not load (${(error as Error).message.split('\n')[0]}): its assert: block is not checked`);
    return [];
  }
  if (matches(scenario)) return [...(scenario.spec.assert ?? [])];
  note(`${fallback}'s text is not the one this run was made from (config hash ${run.configHash}): its assert: block is not checked; name the run's file with --scenario`);
  return [];
}
