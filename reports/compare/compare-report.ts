import type { RunReport } from '../run-report.js';
import { pairedBootstrap, DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, MIN_SIGNIFICANT_SEEDS } from './paired-bootstrap.js';

/** Metrics `baton compare` reports unless `--metric` names others. */
export const DEFAULT_COMPARE_METRICS = [
  'handoffs.successRate',
  'handoffs.latencyMs.p50',
  'handoffs.latencyMs.p99',
  'workflows.completed',
  'workflows.durationMs.p99',
  'coordination.overheadRatio',
  'agents.errorRate',
  'recovery.operations',
  'invariants.violations',
] as const;

/** One metric of a comparison: the means, the paired difference and its interval. */
export interface MetricComparison {
  metric: string;
  meanA: number;
  meanB: number;
  /** Mean of B − A over the seeds. */
  difference: number;
  low: number;
  high: number;
  /** The interval excludes 0; never with fewer than MIN_SIGNIFICANT_SEEDS seeds. */
  significant: boolean;
  /** difference ÷ meanA (0 when meanA is 0). */
  relative: number;
}

/** The outcome of comparing variant B against variant A on the same seeds. */
export interface Comparison {
  a: string;
  b: string;
  seeds: number[];
  resamples: number;
  confidence: number;
  metrics: MetricComparison[];
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * Compares two variants run on the same seeds: `reportsA[i]` and `reportsB[i]`
 * come from seed `seeds[i]`. `value` reads a metric (see assertions).
 */
export function compareReports(options: {
  a: string;
  b: string;
  seeds: number[];
  reportsA: RunReport[];
  reportsB: RunReport[];
  metrics: readonly string[];
  value: (report: RunReport, metric: string) => number;
  resamples?: number;
  confidence?: number;
}): Comparison {
  const { seeds, reportsA, reportsB } = options;
  if (reportsA.length !== seeds.length || reportsB.length !== seeds.length) throw new Error('compareReports: one report per seed and variant');
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const metrics = options.metrics.map((metric) => {
    const valuesA = reportsA.map((report) => options.value(report, metric));
    const valuesB = reportsB.map((report) => options.value(report, metric));
    const differences = valuesB.map((value, index) => value - valuesA[index]);
    const interval = pairedBootstrap(differences, { resamples, confidence, seed: `baton-compare/${metric}` });
    const meanA = valuesA.reduce((sum, value) => sum + value, 0) / Math.max(1, valuesA.length);
    const meanB = valuesB.reduce((sum, value) => sum + value, 0) / Math.max(1, valuesB.length);
    return {
      metric,
      meanA: round(meanA),
      meanB: round(meanB),
      difference: round(interval.mean),
      low: round(interval.low),
      high: round(interval.high),
      significant: interval.significant,
      relative: meanA === 0 ? 0 : round(interval.mean / meanA),
    };
  });
  return { a: options.a, b: options.b, seeds, resamples, confidence, metrics };
}

const seedCount = (n: number): string => `${n} seed${n === 1 ? '' : 's'}`;

/** `20 paired seeds, 2000 bootstrap resamples, 95% CI of mean(B − A)`. */
function methodLine(comparison: Comparison): string {
  const n = comparison.seeds.length;
  return `${n} paired seed${n === 1 ? '' : 's'}, ${comparison.resamples} bootstrap resamples, ${Math.round(comparison.confidence * 100)}% CI of mean(B − A)`;
}

/** Why no row says "significant", when the seeds are too few for an interval; else nothing. */
function tooFewSeedsNote(comparison: Comparison): string | undefined {
  const n = comparison.seeds.length;
  if (n >= MIN_SIGNIFICANT_SEEDS) return undefined;
  return `${seedCount(n)} is too few for an interval (at least ${MIN_SIGNIFICANT_SEEDS} needed): no difference is called significant`;
}

/** The result column; with too few seeds it says so rather than "not significant". */
function resultText(comparison: Comparison, m: MetricComparison, significant: string): string {
  const n = comparison.seeds.length;
  if (n < MIN_SIGNIFICANT_SEEDS) return `n/a (${seedCount(n)})`;
  return m.significant ? significant : 'not significant';
}

const num = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(1) : Math.abs(value) >= 1 ? value.toFixed(3) : value.toPrecision(3));
const signed = (value: number): string => `${value > 0 ? '+' : ''}${num(value)}`;

/** Plain-text table of a comparison. */
export function renderComparisonText(comparison: Comparison): string {
  const note = tooFewSeedsNote(comparison);
  const lines = [
    `A: ${comparison.a}`,
    `B: ${comparison.b}`,
    methodLine(comparison),
    ...(note ? [note] : []),
    '',
  ];
  const header = ['metric', 'A', 'B', 'B − A', 'CI', 'result'];
  const rows = comparison.metrics.map((m) => [
    m.metric,
    num(m.meanA),
    num(m.meanB),
    signed(m.difference),
    `[${signed(m.low)}, ${signed(m.high)}]`,
    resultText(comparison, m, `significant (${m.difference > 0 ? 'B higher' : 'B lower'})`),
  ]);
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col].length)));
  for (const row of [header, ...rows]) lines.push(row.map((text, col) => text.padEnd(widths[col])).join('  ').trimEnd());
  return `${lines.join('\n')}\n`;
}

/** Markdown table of a comparison (fits a GitHub step summary). */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const note = tooFewSeedsNote(comparison);
  const lines = [
    `# baton compare`,
    '',
    `- A: \`${comparison.a}\``,
    `- B: \`${comparison.b}\``,
    `- ${methodLine(comparison)}`,
    ...(note ? [`- ${note}`] : []),
    '',
    '| metric | A | B | B − A | CI | result |',
    '|---|---|---|---|---|---|',
  ];
  for (const m of comparison.metrics) {
    lines.push(`| ${m.metric} | ${num(m.meanA)} | ${num(m.meanB)} | ${signed(m.difference)} | [${signed(m.low)}, ${signed(m.high)}] | ${resultText(comparison, m, '**significant**')} |`);
  }
  return `${lines.join('\n')}\n`;
}
