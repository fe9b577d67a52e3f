import type { ChartData } from '../chart-data.js';
import type { ReportDocument } from './report-document.js';
import { xml } from './junit.js';
import { latencyCdf, latencyHistogram, overheadBreakdown, successMatrix, workflowTimeline } from './svg-charts.js';

/** The report stylesheet (charts included); the dashboard pages share it. */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.pass{background:#1a7f37}.fail{background:#cf222e}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px;margin:16px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:20px}.card span{color:#57606a;font-size:12px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:12px 0;overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left}
code{background:#eff1f3;padding:1px 4px;border-radius:4px}
svg.chart{max-width:100%;height:auto}
svg .axis{stroke:#57606a}svg .tick{font-size:10px;fill:#57606a}svg .label{font-size:11px;fill:#1f2328}
svg .muted{font-size:11px;fill:#57606a}svg .bar{fill:#5b8def}svg .line{fill:none;stroke:#5b8def;stroke-width:2}
svg .mark{stroke:#cf222e;stroke-dasharray:3 3}svg .cell-text{font-size:13px;font-weight:600;fill:#fff}
svg .cell-empty{fill:#eaeef2}svg .outline{fill:none;stroke:#d0d7de}
svg .fault{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:4 3}svg .fault-label{font-size:10px;fill:#cf222e}
`;

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, nothing
 * fetched) with the summary, the charts and the tables of a run.
 */
export function renderHtml(doc: ReportDocument, charts: ChartData): string {
  const verdict = doc.verdict.passed ? '<span class="verdict pass">PASS</span>' : '<span class="verdict fail">FAIL</span>';
  const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const cards: [string, string][] = [
    ['workflows completed', `${doc.workflows.completed} / ${doc.workflows.total}`],
    ['handoff success rate', pct(doc.handoffs.successRate)],
    ['handoff latency p99', ms(doc.handoffs.latencyMs.p99)],
    ['workflow duration p99', ms(doc.workflows.durationMs.p99)],
    ['coordination overhead', doc.coordination.overheadRatio.toFixed(4)],
    ['agent error rate', pct(doc.agents.errorRate)],
    ['recovery operations', String(doc.recovery.operations)],
    ['checkpoint lag (max)', ms(doc.checkpoints.lagMsMax)],
    ['faults injected', String(doc.faults.injected)],
    ['invariant violations', String(doc.invariants.violations.length)],
  ];
  const body = [
    `<h1>baton run <code>${xml(doc.run.id)}</code> ${verdict}</h1>`,
    `<div>Scenario <b>${xml(doc.run.scenario)}</b>, seed ${doc.run.seed}, baton ${xml(doc.run.batonVersion)}. Times are virtual milliseconds.</div>`,
    `<div class="cards">${cards.map(([label, value]) => `<div class="card"><b>${xml(value)}</b><span>${xml(label)}</span></div>`).join('')}</div>`,
    `<h2>Handoff latency</h2><section>${latencyHistogram(charts.handoffLatenciesMs)}${latencyCdf(charts.handoffLatenciesMs, doc)}</section>`,
    `<h2>Success rate per agent pair</h2><section>${successMatrix(doc)}</section>`,
    `<h2>Coordination overhead</h2><section>${overheadBreakdown(doc)}</section>`,
    `<h2>Timeline of one workflow with its faults</h2><section>${workflowTimeline(charts)}</section>`,
    tables(doc),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>baton ${xml(doc.run.scenario)} seed ${doc.run.seed}</title><style>${REPORT_CSS}</style></head>` +
    `<body><main>${body.join('\n')}</main></body></html>\n`;
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p>none</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${xml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((value) => `<td>${value}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function tables(doc: ReportDocument): string {
  const parts: string[] = [];
  parts.push(
    `<h2>Faults and the failures after them</h2><section>${table(
      ['fault', 'failure', 'failures'],
      doc.faults.precededFailures.map((link) => [xml(link.fault), xml(link.failure), String(link.failures)]),
    )}</section>`,
  );
  parts.push(
    `<h2>Agents</h2><section>${table(
      ['agent', 'invocations', 'errors', 'error rate', 'p50 / p99 ms'],
      doc.agents.byAgent.map((agent) => [xml(agent.agent), String(agent.invocations), String(agent.errors), `${(agent.errorRate * 100).toFixed(2)}%`, `${agent.latencyMs.p50.toFixed(1)} / ${agent.latencyMs.p99.toFixed(1)}`]),
    )}</section>`,
  );
  parts.push(
    `<h2>Invariant violations</h2><section>${table(
      ['checker', 'class', 'at ms', 'story', 'replay'],
      doc.invariants.violations.slice(0, 100).map((v) => [xml(v.checker), xml(v.classification), v.atMs.toFixed(1), xml(v.story), `<code>${xml(v.replayCommand)}</code>`]),
    )}</section>`,
  );
  if (doc.verdict.assertions.length > 0) {
    parts.push(
      `<h2>Assertions</h2><section>${table(
        ['assertion', 'actual', 'result'],
        doc.verdict.assertions.map((a) => [`<code>${xml(a.expression)}</code>`, String(a.actual), a.passed ? 'pass' : '<b>fail</b>']),
      )}</section>`,
    );
  }
  return parts.join('\n');
}
