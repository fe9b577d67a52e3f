import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJson, type ReportDocument } from '../../reports/render/report-document.js';
import { renderMarkdown } from '../../reports/render/markdown.js';

/** Writes report.json and report.md of a run into `dir`. */
export function writeReportFiles(dir: string, document: ReportDocument): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), renderJson(document));
  writeFileSync(join(dir, 'report.md'), renderMarkdown(document));
}
