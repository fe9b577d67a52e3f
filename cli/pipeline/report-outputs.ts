import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpanStore } from '../../collector/store/span-store.js';
import { computeChartData } from '../../reports/chart-data.js';
import { renderHtml } from '../../reports/render/html.js';
import { renderJunit } from '../../reports/render/junit.js';
import { renderMarkdown } from '../../reports/render/markdown.js';
import { renderJson, type ReportDocument } from '../../reports/render/report-document.js';
import { renderTerminal } from '../../reports/render/terminal.js';
import { UsageError } from '../exit-codes.js';
import { writingTo } from '../out-paths.js';

/** Report formats `--format` accepts. */
export const REPORT_FORMATS = ['terminal', 'md', 'json', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file each non-terminal format is written to, inside the run directory. */
export const REPORT_FILES: Record<Exclude<ReportFormat, 'terminal'>, string> = {
  md: 'report.md',
  json: 'report.json',
  junit: 'junit.xml',
  html: 'report.html',
};

/**
 * Parses `--format a,b,c` (repeatable) among `known`; the default is the first
 * of `known` (terminal). Unknown names are a usage error.
 */
export function parseFormats<Format extends string = ReportFormat>(
  values: readonly string[] | undefined,
  known: readonly Format[] = REPORT_FORMATS as readonly string[] as readonly Format[],
): Format[] {
  const names = (values ?? []).flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean);
  const formats: Format[] = [];
  for (const name of names) {
    if (!(known as readonly string[]).includes(name)) {
      throw new UsageError(`--format must be a comma-separated list of ${known.join(', ')}; got "${name}"`);
    }
    if (!formats.includes(name as Format)) formats.push(name as Format);
  }
  return formats.length === 0 ? [known[0]!] : formats;
}

/** Whether terminal output to `out` is coloured: on a terminal, unless NO_COLOR is set (no-color.org). */
export function useColor(out: { isTTY?: boolean }): boolean {
  return out.isTTY === true && !process.env.NO_COLOR;
}

/**
 * Emits a run's report in every format asked for. Every format but terminal is
 * written to `dir` (report.json and report.md always are); with one format, it
 * is also what goes to `out`; with several, `out` gets the terminal summary (if
 * asked) and the list of files written.
 */
export async function emitReport(options: {
  document: ReportDocument;
  formats: readonly ReportFormat[];
  dir: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  store: SpanStore;
}): Promise<void> {
  const { document, formats, dir, out, store } = options;
  const texts: Partial<Record<ReportFormat, string>> = {
    json: renderJson(document),
    md: renderMarkdown(document),
  };
  if (formats.includes('junit')) texts.junit = renderJunit(document);
  if (formats.includes('html')) texts.html = renderHtml(document, await computeChartData(store, document.run.id));
  const written: string[] = [];
  writingTo(dir, () => {
    mkdirSync(dir, { recursive: true });
    for (const format of ['json', 'md', 'junit', 'html'] as const) {
      const text = texts[format];
      if (text === undefined) continue;
      const path = join(dir, REPORT_FILES[format]);
      writeFileSync(path, text);
      if (formats.includes(format)) written.push(path);
    }
  });
  const terminal = renderTerminal(document, useColor(out));
  if (formats.length === 1) {
    out.write(formats[0] === 'terminal' ? terminal : (texts[formats[0]] ?? ''));
    return;
  }
  if (formats.includes('terminal')) out.write(terminal);
  for (const path of written) out.write(`wrote ${path}\n`);
}
