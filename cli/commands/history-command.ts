import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkHistoryAssertions, historyMetricNames, parseHistoryAssertions } from '../../reports/history-assertions.js';
import { computeHistoryReport, type HistoryFilter } from '../../reports/history-report.js';
import { renderHistoryMarkdown, renderHistoryTerminal } from '../../reports/render/history-text.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { parseFormats, useColor } from '../pipeline/report-outputs.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';
import { checkOutDir, writingTo } from '../out-paths.js';

export const HISTORY_HELP = `Usage: baton history [options]

The report over many stored runs at once: every run "baton run", "baton sweep"
and "baton compare" stored, or those of one sweep or scenario. Handoff success
and latency (by pair), workflow outcomes and durations, coordination overhead,
faults, and the runs with the lowest handoff success. Percentiles are exact over
every handoff and workflow. Reads each run's summary rows (run_metrics), not its
spans; runs stored by an older baton are summarized from their spans first
(once, as "baton migrate" does).

Options:
  --sweep ID         only the runs of this sweep (the id "baton sweep" prints first, or its --sweep-id)
  --scenario NAME    only the runs of this scenario (its name: field)
  --assert EXPR      a threshold on the figures, e.g. "handoffs.successRate >= 0.95"
                     (repeatable): exit 1 when one fails; metrics below
  --format LIST      comma-separated: terminal (default), md, json
  --out DIR          where history.md and history.json go (default .baton/history);
                     with one format, that format is also printed
${STORE_HELP}  -h, --help         this help

Without --assert it exits 0: it reports, it does not judge. A --sweep or
--scenario that matches no stored run is exit 2. Metrics for
--assert (a <key> the runs lack reads as 0):
${wrap(historyMetricNames().join(', '), 78, '  ')}

Examples:
  baton history
  baton history --sweep 3f9c2a7d10b4e861 --format md,json --out public/
  baton history --sweep nightly --assert "handoffs.successRate >= 0.95" --assert "runs.violations == 0"
  baton history --scenario research-pipeline --clickhouse http://ci:secret@clickhouse:8123/baton
`;

const FORMATS = ['terminal', 'md', 'json'] as const;

/** `text` in lines of at most `width` characters (breaking at spaces), each after `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

/** `baton history`: exit 0 whatever the runs' verdicts (it reports); with `--assert`, 1 when an assertion fails. */
export async function historyCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      sweep: { type: 'string' },
      scenario: { type: 'string' },
      format: { type: 'string', multiple: true },
      out: { type: 'string' },
      assert: { type: 'string', multiple: true },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(HISTORY_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`baton history takes no arguments, got "${positionals[0]}" (filter with --sweep or --scenario)\n\n${HISTORY_HELP}`);
  const formats = parseFormats(values.format, FORMATS);
  const expressions = values.assert ?? [];
  // Before the store opens: a bad assertion or --out is bad input and reads nothing.
  parseHistoryAssertions(expressions);
  if (values.out !== undefined) checkOutDir('--out', values.out);
  const filter: HistoryFilter = {};
  const sweepId = nonEmpty('--sweep', values.sweep);
  const scenario = nonEmpty('--scenario', values.scenario);
  if (sweepId !== undefined) filter.sweepId = sweepId;
  if (scenario !== undefined) filter.scenario = scenario;
  const store = await openStore(values);
  try {
    await store.migrate();
    const report = await computeHistoryReport(store, filter);
    if ((sweepId !== undefined || scenario !== undefined) && report.runs.total === 0 && report.runs.collectorRuns === 0) {
      // A filter that matches nothing is a wrong id or name, as an unknown run id is for "baton report".
      const what = [sweepId === undefined ? '' : `sweep "${sweepId}"`, scenario === undefined ? '' : `scenario "${scenario}"`].filter(Boolean).join(' and ');
      throw new UsageError(`no stored run matches ${what} (baton sweep prints its sweep id first; a scenario is named by its name: field)`);
    }
    const assertions = checkHistoryAssertions(report, expressions);
    const code = assertions.every((assertion) => assertion.passed) ? EXIT.ok : EXIT.verdictFailed;
    const texts: Partial<Record<(typeof FORMATS)[number], string>> = {};
    // history.json is the report, plus `assertions` when there are any.
    if (formats.includes('json')) texts.json = `${JSON.stringify(assertions.length > 0 ? { ...report, assertions } : report, null, 2)}\n`;
    if (formats.includes('md')) texts.md = renderHistoryMarkdown(report, assertions);
    const files: string[] = [];
    if (texts.json !== undefined || texts.md !== undefined) {
      const dir = values.out ?? join('.baton', 'history');
      writingTo(dir, () => {
        mkdirSync(dir, { recursive: true });
        for (const format of ['json', 'md'] as const) {
          const text = texts[format];
          if (text === undefined) continue;
          writeFileSync(join(dir, `history.${format}`), text);
          files.push(join(dir, `history.${format}`));
        }
      });
    }
    // As "baton report" does: one format goes to stdout as well (history.json can be piped), several
    // give the terminal summary (if asked) and the files written.
    if (formats.length === 1) {
      out.write(formats[0] === 'terminal' ? renderHistoryTerminal(report, useColor(out), assertions) : (texts[formats[0]!] ?? ''));
      return code;
    }
    if (formats.includes('terminal')) out.write(renderHistoryTerminal(report, useColor(out), assertions));
    for (const file of files) out.write(`wrote ${file}\n`);
    return code;
  } finally {
    await store.close();
  }
}
