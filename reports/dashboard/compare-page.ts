import { readMetric } from '../assertions.js';
import type { ChartData } from '../chart-data.js';
import { DEFAULT_COMPARE_METRICS } from '../compare/compare-report.js';
import type { ReportDocument } from '../render/report-document.js';
import { latencyHistogram, overheadBreakdown } from '../render/svg-charts.js';
import { dashboardPage, html, pageLink } from './dashboard-layout.js';

/** Metrics where a higher value is the better one; every other compared metric is better lower. */
const HIGHER_IS_BETTER = new Set(['handoffs.successRate', 'workflows.completed']);

/** One metric of two runs side by side. */
export interface MetricDifference {
  metric: string;
  a: number;
  b: number;
  /** b − a. */
  difference: number;
  /** (b − a) ÷ a; 0 when a is 0. */
  relative: number;
}

/** Per-metric differences of run B against run A (the metrics `baton compare` reports). */
export function metricDifferences(a: ReportDocument, b: ReportDocument): MetricDifference[] {
  return DEFAULT_COMPARE_METRICS.map((metric) => {
    const valueA = readMetric(a, metric);
    const valueB = readMetric(b, metric);
    const difference = valueB - valueA;
    return { metric, a: valueA, b: valueB, difference, relative: valueA === 0 ? 0 : difference / valueA };
  });
}

const number = (value: number): string => (Number.isInteger(value) ? String(value) : Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4));

/** The form asking for two run ids (GET /compare without both). */
export function compareForm(a = '', b = ''): string {
  const body =
    '<h1>Compare two runs</h1><section><form class="inline" method="get" action="/compare">' +
    `<label>A <input type="text" name="a" value="${html(a)}" required></label> ` +
    `<label>B <input type="text" name="b" value="${html(b)}" required></label> <button type="submit">compare</button></form>` +
    '<p>Run ids are listed on the runs page; pick A and B there.</p></section>';
  return dashboardPage('compare two runs', body);
}

/** GET /compare?a=&b=: the two runs' metrics side by side with B − A, and their charts next to each other. */
export function comparePage(a: { doc: ReportDocument; charts: ChartData }, b: { doc: ReportDocument; charts: ChartData }): string {
  const rows = metricDifferences(a.doc, b.doc)
    .map((row) => {
      const better = row.difference === 0 ? '' : (row.difference > 0) === HIGHER_IS_BETTER.has(row.metric) ? 'better' : 'worse';
      const relative = row.a === 0 ? '' : `${row.relative > 0 ? '+' : ''}${(row.relative * 100).toFixed(1)}%`;
      return `<tr data-metric="${html(row.metric)}"><td><code>${html(row.metric)}</code></td><td class="num">${number(row.a)}</td><td class="num">${number(row.b)}</td>` +
        `<td class="num ${better}">${row.difference > 0 ? '+' : ''}${number(row.difference)}</td><td class="num ${better}">${relative}</td></tr>`;
    })
    .join('');
  const describe = (label: string, doc: ReportDocument): string =>
    `<div><b>${label}</b>: ${pageLink('/run', { id: doc.run.id }, doc.run.id)}, scenario ${html(doc.run.scenario)}, seed ${doc.run.seed}</div>`;
  const side = (label: string, run: { doc: ReportDocument; charts: ChartData }): string =>
    `<section><h3>${label}: ${html(run.doc.run.id)}</h3>${latencyHistogram(run.charts.handoffLatenciesMs)}${overheadBreakdown(run.doc)}</section>`;
  const body = [
    `<h1>Run B against run A</h1>`,
    describe('A', a.doc),
    describe('B', b.doc),
    `<p>One seed each: differences, not statistics. For confidence intervals over many seeds use <code>baton compare</code>.</p>`,
    `<h2>Metrics</h2><section><table data-table="differences"><thead><tr><th>metric</th><th class="num">A</th><th class="num">B</th>` +
      `<th class="num">B − A</th><th class="num">relative</th></tr></thead><tbody>${rows}</tbody></table></section>`,
    `<h2>Charts</h2><div class="side">${side('A', a)}${side('B', b)}</div>`,
  ];
  return dashboardPage(`compare ${a.doc.run.id} and ${b.doc.run.id}`, body.join('\n'));
}
