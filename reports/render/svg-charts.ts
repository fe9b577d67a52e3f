import type { ChartData } from '../chart-data.js';
import type { ReportDocument } from './report-document.js';
import { xml } from './junit.js';

// Inline SVG charts for the HTML report, drawn server-side: no script, no CDN.
// Every chart is an <svg class="chart" data-chart="…"> so tests can find it.

export const KIND_COLOURS: Record<string, string> = {
  routing: '#6c8ebf',
  handoff: '#d79b00',
  queueing: '#9673a6',
  retry: '#b85450',
  checkpoint: '#82b366',
};
const WIDTH = 640;
const HEIGHT = 240;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };

const fmt = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));

function frame(name: string, title: string, body: string, height = HEIGHT, width = WIDTH): string {
  return (
    `<svg class="chart" data-chart="${name}" role="img" aria-label="${xml(title)}" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${xml(title)}</title>${body}</svg>`
  );
}

function empty(name: string, title: string, message: string): string {
  return frame(name, title, `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" class="muted">${xml(message)}</text>`);
}

function axes(xLabel: string, yLabel: string, xMax: number, yMax: number, yFormat: (value: number) => string): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const parts = [
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" class="axis"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" class="axis"/>`,
  ];
  for (let tick = 0; tick <= 4; tick++) {
    const x = PAD.left + (plotW * tick) / 4;
    const y = PAD.top + plotH - (plotH * tick) / 4;
    parts.push(`<text x="${x}" y="${PAD.top + plotH + 16}" text-anchor="middle" class="tick">${fmt((xMax * tick) / 4)}</text>`);
    parts.push(`<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" class="tick">${yFormat((yMax * tick) / 4)}</text>`);
  }
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="label">${xml(xLabel)}</text>`);
  parts.push(`<text x="12" y="${PAD.top + plotH / 2}" transform="rotate(-90 12 ${PAD.top + plotH / 2})" text-anchor="middle" class="label">${xml(yLabel)}</text>`);
  return parts.join('');
}

/** Histogram of handoff latencies (24 equal bins from 0 to the maximum). */
export function latencyHistogram(latenciesMs: readonly number[]): string {
  const title = 'Handoff latency histogram';
  if (latenciesMs.length === 0) return empty('latency-histogram', title, 'no handoffs');
  const bins = 24;
  const maxMs = Math.max(...latenciesMs) || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const value of latenciesMs) counts[Math.min(bins - 1, Math.floor((value / maxMs) * bins))]++;
  const top = Math.max(...counts);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const bars = counts.map((count, index) => {
    const h = (count / top) * plotH;
    const x = PAD.left + (plotW * index) / bins;
    const from = (maxMs * index) / bins;
    return `<rect class="bar" x="${x.toFixed(2)}" y="${(PAD.top + plotH - h).toFixed(2)}" width="${(plotW / bins - 1).toFixed(2)}" height="${h.toFixed(2)}"><title>${fmt(from)}–${fmt(from + maxMs / bins)} ms: ${count}</title></rect>`;
  });
  return frame('latency-histogram', title, axes('latency (virtual ms)', 'handoffs', maxMs, top, (value) => value.toFixed(0)) + bars.join(''));
}

/** Empirical CDF of handoff latencies with p50/p95/p99 marked. */
export function latencyCdf(latenciesMs: readonly number[], doc: ReportDocument): string {
  const title = 'Handoff latency CDF';
  if (latenciesMs.length === 0) return empty('latency-cdf', title, 'no handoffs');
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const maxMs = sorted[sorted.length - 1] || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms: number): number => PAD.left + (ms / maxMs) * plotW;
  const y = (share: number): number => PAD.top + plotH - share * plotH;
  let path = `M${x(0).toFixed(2)},${y(0).toFixed(2)}`;
  sorted.forEach((value, index) => {
    path += ` H${x(value).toFixed(2)} V${y((index + 1) / sorted.length).toFixed(2)}`;
  });
  const marks = (['p50', 'p95', 'p99'] as const).map((key) => {
    const value = doc.handoffs.latencyMs[key];
    return `<line class="mark" x1="${x(value).toFixed(2)}" y1="${PAD.top}" x2="${x(value).toFixed(2)}" y2="${PAD.top + plotH}"><title>${key} ${fmt(value)} ms</title></line><text class="tick" x="${(x(value) + 3).toFixed(2)}" y="${PAD.top + 10}">${key}</text>`;
  });
  return frame('latency-cdf', title, axes('latency (virtual ms)', 'share of handoffs', maxMs, 1, (v) => v.toFixed(2)) + `<path class="line" d="${path}"/>` + marks.join(''));
}

/** Success rate per (source, target) agent pair as a colour matrix. */
export function successMatrix(doc: ReportDocument): string {
  const title = 'Handoff success rate per agent pair';
  const pairs = doc.handoffs.byPair;
  if (pairs.length === 0) return empty('success-matrix', title, 'no handoffs');
  const sources = [...new Set(pairs.map((pair) => pair.source))].sort();
  const targets = [...new Set(pairs.map((pair) => pair.target))].sort();
  const cell = 72;
  const left = 110;
  const top = 84;
  const width = Math.max(WIDTH, left + targets.length * cell + 16);
  const height = top + sources.length * cell + 16;
  const parts: string[] = [];
  targets.forEach((target, col) =>
    parts.push(`<text class="label" x="${left + col * cell + cell / 2 - 12}" y="${top - 8}" text-anchor="start" transform="rotate(-30 ${left + col * cell + cell / 2 - 12} ${top - 8})">${xml(target)}</text>`),
  );
  sources.forEach((source, row) => {
    parts.push(`<text class="label" x="${left - 8}" y="${top + row * cell + cell / 2 + 4}" text-anchor="end">${xml(source)}</text>`);
    targets.forEach((target, col) => {
      const pair = pairs.find((item) => item.source === source && item.target === target);
      const x = left + col * cell;
      const y = top + row * cell;
      if (!pair) {
        parts.push(`<rect class="cell-empty" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}"/>`);
        return;
      }
      const hue = Math.round(120 * Math.max(0, Math.min(1, (pair.successRate - 0.5) * 2)));
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="hsl(${hue},60%,55%)"><title>${xml(`${source} → ${target}: ${pair.succeeded}/${pair.total}`)}</title></rect>` +
          `<text class="cell-text" x="${x + cell / 2 - 1}" y="${y + cell / 2}" text-anchor="middle">${(pair.successRate * 100).toFixed(1)}%</text>` +
          `<text class="tick" x="${x + cell / 2 - 1}" y="${y + cell / 2 + 16}" text-anchor="middle">n=${pair.total}</text>`,
      );
    });
  });
  parts.push(`<text class="muted" x="${left}" y="16">rows: source agent · columns: target agent</text>`);
  return frame('success-matrix', title, parts.join(''), height, width);
}

/** Coordination time by kind, as a share of workflow time, overall and per agent pair. */
export function overheadBreakdown(doc: ReportDocument): string {
  const title = 'Coordination overhead by kind';
  const rows: { label: string; shares: Record<string, number> }[] = [{ label: 'all workflows', shares: doc.coordination.shareByKind }];
  for (const pair of doc.coordination.byPair) rows.push({ label: `${pair.source} → ${pair.target} (of handoff time)`, shares: pair.shareByKind });
  const left = 230;
  const barH = 22;
  const height = 40 + rows.length * (barH + 12) + 30;
  const plotW = WIDTH - left - 20;
  const scale = Math.max(1, ...rows.map((row) => Object.values(row.shares).reduce((sum, share) => sum + share, 0)));
  const parts: string[] = [];
  rows.forEach((row, index) => {
    const y = 30 + index * (barH + 12);
    parts.push(`<text class="label" x="${left - 8}" y="${y + barH / 2 + 4}" text-anchor="end">${xml(row.label)}</text>`);
    let x = left;
    for (const [kind, share] of Object.entries(row.shares)) {
      const w = (share / scale) * plotW;
      if (w <= 0) continue;
      parts.push(`<rect class="segment" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${barH}" fill="${KIND_COLOURS[kind] ?? '#999'}"><title>${xml(`${kind}: ${(share * 100).toFixed(2)}%`)}</title></rect>`);
      x += w;
    }
    parts.push(`<rect class="outline" x="${left}" y="${y}" width="${plotW}" height="${barH}"/>`);
  });
  const legendY = height - 16;
  Object.entries(KIND_COLOURS).forEach(([kind, colour], index) => {
    parts.push(`<rect x="${left + index * 80}" y="${legendY - 10}" width="10" height="10" fill="${colour}"/><text class="tick" x="${left + index * 80 + 14}" y="${legendY}">${kind}</text>`);
  });
  parts.push(`<text class="muted" x="${left}" y="16">full width = ${(scale * 100).toFixed(0)}% of the enclosing time</text>`);
  return frame('overhead-breakdown', title, parts.join(''), height);
}

/** Gantt chart of one workflow's spans, with the faults injected while it ran. */
export function workflowTimeline(charts: ChartData): string {
  const title = 'Timeline of one workflow';
  const timeline = charts.timeline;
  if (!timeline || timeline.spans.length === 0) return empty('timeline', title, 'no workflow spans');
  const rowH = 16;
  const left = 210;
  const top = 60;
  const spans = timeline.spans;
  const height = top + spans.length * rowH + 30;
  const minMs = Math.min(0, ...timeline.faults.map((fault) => fault.atMs));
  const maxMs = Math.max(timeline.durationMs, ...spans.map((span) => span.endMs)) || 1;
  const plotW = WIDTH + 200 - left - 20;
  const x = (ms: number): number => left + ((ms - minMs) / (maxMs - minMs)) * plotW;
  const parts: string[] = [];
  spans.forEach((span, index) => {
    const y = top + index * rowH;
    const colour = span.failed ? '#d9534f' : (KIND_COLOURS[span.coordinationKind] ?? '#5b8def');
    const w = Math.max(1, x(span.endMs) - x(span.startMs));
    parts.push(`<text class="tick" x="${left - 6}" y="${y + 11}" text-anchor="end">${xml(span.name.slice(0, 34))}</text>`);
    parts.push(
      `<rect class="span" x="${x(span.startMs).toFixed(2)}" y="${y + 2}" width="${w.toFixed(2)}" height="${rowH - 4}" fill="${colour}">` +
        `<title>${xml(`${span.name}: ${fmt(span.startMs)}–${fmt(span.endMs)} ms${span.failed ? ` (${span.errorType || 'error'})` : ''}`)}</title></rect>`,
    );
  });
  timeline.faults.forEach((fault, index) => {
    const fx = x(fault.atMs).toFixed(2);
    // Labels of faults close in time would overlap: alternate three heights.
    const labelY = top - 10 - (index % 3) * 11;
    parts.push(`<line class="fault" x1="${fx}" y1="${labelY + 2}" x2="${fx}" y2="${top + spans.length * rowH}"><title>${xml(`${fault.kind} ${fault.target} at ${fmt(fault.atMs)} ms`)}</title></line>`);
    parts.push(`<text class="fault-label" x="${fx}" y="${labelY}" text-anchor="start">${xml(` ${fault.kind} ${fault.target}`)}</text>`);
  });
  parts.push(`<text class="muted" x="8" y="16">${xml(`${timeline.workflowId} (trace ${timeline.traceId.slice(0, 12)}…), ${fmt(timeline.durationMs)} ms; red = failed span, dashed = injected fault`)}</text>`);
  parts.push(`<text class="tick" x="${left}" y="${height - 8}">${fmt(minMs)} ms</text><text class="tick" x="${left + plotW}" y="${height - 8}" text-anchor="end">${fmt(maxMs)} ms</text>`);
  return frame('timeline', title, parts.join(''), height, WIDTH + 200);
}
