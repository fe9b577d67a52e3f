import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile, type Scenario } from '../../scenarios/format/load-scenario.js';
import { metricProblem, readMetric } from '../../reports/assertions.js';
import { compareReports, DEFAULT_COMPARE_METRICS, renderComparisonMarkdown, renderComparisonText, type Comparison } from '../../reports/compare/compare-report.js';
import { DEFAULT_RESAMPLES } from '../../reports/compare/paired-bootstrap.js';
import type { RunReport } from '../../reports/run-report.js';
import { sweepReports } from '../../reports/compare/sweep-reports.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import { runScenario } from '../pipeline/run-scenario.js';
import { parseSeeds } from '../pipeline/sweep-seeds.js';
import { applyOverrides, SET_HELP } from '../scenario-overrides.js';
import { UsageError } from '../exit-codes.js';
import { openStore, STORE_HELP, STORE_OPTIONS } from '../store-option.js';
import { checkOutDir, writingTo } from '../out-paths.js';
import { checkAssertionsUpFront } from '../assertion-checks.js';

export const COMPARE_HELP = `Usage: baton compare <scenario.yaml> --set PATH=A --set PATH=B [options]
       baton compare <a.yaml> <b.yaml> [options]
       baton compare --sweeps <sweep-id-a> <sweep-id-b> [options]

Runs two variants of a design on the same seeds (common random numbers: the
simulator's named streams make seed i draw the same network, faults and agent
behaviour in both) and reports, per metric, mean(B − A) with a paired bootstrap
confidence interval, and whether the difference is significant (the interval
excludes 0; never with fewer than 2 seeds, shown as "n/a (1 seed)").

With one scenario, each --set is one variant (A is the first); with two
scenario files, A and B are the files; with --sweeps, A and B are two sweeps
already stored ("baton sweep --sweep-id"), paired by seed, nothing is run.

Options:
  --seeds LIST       seeds to run, as for sweep: "1..500", "1,2,3" or "1..10,42" (default 1..20)
  --sweeps           the two arguments are stored sweep ids
${SET_HELP}  --common PATH=V    an override applied to both variants (repeatable), e.g.
                     policies.router.strategy=scored
  --metric NAME      metric to compare (repeatable; default: success rate, latency
                     p50/p99, workflows completed, duration p99, overhead, agent
                     error rate, recovery operations, invariant violations)
  --resamples N      bootstrap resamples (default ${DEFAULT_RESAMPLES})
  --format F         terminal (default), md or json
  --out DIR          where comparison.json and comparison.md go (default .baton/compare/<id>)
${STORE_HELP}  -h, --help         this help

Examples:
  baton compare scenarios/research-pipeline.yaml --seeds 1..200 --set network.lossRatio=0 --set network.lossRatio=0.05
  baton compare scenarios/customer-support-triage.yaml --seeds 1..500 --common policies.router.strategy=scored \
    --set policies.router.weights=a.yaml --set policies.router.weights=b.yaml
  baton compare design-a.yaml design-b.yaml --seeds 1..100 --format md >> "$GITHUB_STEP_SUMMARY"
  baton compare --sweeps nightly-41 nightly-42 --clickhouse http://ci:secret@clickhouse:8123/baton
`;

interface Variant {
  label: string;
  scenario: Scenario;
}

/** The two variants the command line names. */
function variantsOf(positionals: string[], sets: string[], common: string[]): [Variant, Variant] {
  if (positionals.length === 2) {
    const [a, b] = positionals.map((file) => applyOverrides(loadScenarioFile(file), [...common, ...sets]));
    return [
      { label: positionals[0], scenario: a },
      { label: positionals[1], scenario: b },
    ];
  }
  if (positionals.length === 1 && sets.length === 2) {
    const base = loadScenarioFile(positionals[0]);
    return [
      { label: `${positionals[0]} --set ${sets[0]}`, scenario: applyOverrides(base, [...common, sets[0]]) },
      { label: `${positionals[0]} --set ${sets[1]}`, scenario: applyOverrides(base, [...common, sets[1]]) },
    ];
  }
  throw new UsageError(`baton compare takes one scenario and two --set variants, or two scenario files\n\n${COMPARE_HELP}`);
}

/** Runs `variant` on every seed and returns the reports, in seed order. */
async function runVariant(store: SpanStore, variant: Variant, seeds: number[], sweepId: string): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (const seed of seeds) {
    const outcome = await runScenario({ scenario: variant.scenario, seed, store, sweepId });
    reports.push(outcome.document);
  }
  return reports;
}

/** Runs both variants and compares them; exported for the programmatic API. */
export async function compareVariants(options: {
  store: SpanStore;
  a: Variant;
  b: Variant;
  seeds: number[];
  metrics?: readonly string[];
  resamples?: number;
}): Promise<Comparison> {
  const metrics = options.metrics ?? DEFAULT_COMPARE_METRICS;
  checkMetrics(metrics);
  const id = createHash('sha256').update(`${options.a.scenario.text}\n--\n${options.b.scenario.text}`).digest('hex').slice(0, 12);
  const reportsA = await runVariant(options.store, options.a, options.seeds, `compare-${id}-a`);
  const reportsB = await runVariant(options.store, options.b, options.seeds, `compare-${id}-b`);
  return compareReports({ a: options.a.label, b: options.b.label, seeds: options.seeds, reportsA, reportsB, metrics, value: readMetric, resamples: options.resamples });
}

function checkMetrics(metrics: readonly string[]): void {
  for (const metric of metrics) {
    const problem = metricProblem(metric);
    if (problem) throw new UsageError(`--metric: ${problem}`);
  }
}

/** Compares two stored sweeps, paired by the seeds they share; runs nothing. */
export async function compareSweeps(options: {
  store: SpanStore;
  a: string;
  b: string;
  metrics?: readonly string[];
  resamples?: number;
}): Promise<Comparison> {
  const metrics = options.metrics ?? DEFAULT_COMPARE_METRICS;
  checkMetrics(metrics);
  const [reportsA, reportsB] = [await sweepReports(options.store, options.a), await sweepReports(options.store, options.b)];
  const seeds = [...reportsA.keys()].filter((seed) => reportsB.has(seed)).sort((x, y) => x - y);
  if (seeds.length === 0) throw new UsageError(`sweeps "${options.a}" and "${options.b}" share no seed`);
  return compareReports({
    a: `sweep ${options.a}`,
    b: `sweep ${options.b}`,
    seeds,
    reportsA: seeds.map((seed) => reportsA.get(seed)!),
    reportsB: seeds.map((seed) => reportsB.get(seed)!),
    metrics,
    value: readMetric,
    resamples: options.resamples,
  });
}

/** `baton compare`. */
export async function compareCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      seeds: { type: 'string' },
      set: { type: 'string', multiple: true },
      common: { type: 'string', multiple: true },
      sweeps: { type: 'boolean' },
      metric: { type: 'string', multiple: true },
      resamples: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(COMPARE_HELP);
    return 0;
  }
  const format = values.format ?? 'terminal';
  if (!['terminal', 'md', 'json'].includes(format)) throw new UsageError(`--format must be terminal, md or json; got "${format}"`);
  const seeds = parseSeeds(values.seeds ?? '1..20');
  const resamples = values.resamples === undefined ? undefined : Number(values.resamples);
  if (resamples !== undefined && (!Number.isInteger(resamples) || resamples < 100 || resamples > 1_000_000)) {
    throw new UsageError(`--resamples must be an integer from 100 to 1000000, got "${values.resamples}"`);
  }
  if (values.sweeps && positionals.length !== 2) throw new UsageError(`baton compare --sweeps takes two sweep ids\n\n${COMPARE_HELP}`);
  if (values.metric) checkMetrics(values.metric);
  // Before anything runs or is stored: both variants load, and their assert: blocks parse.
  const variants = values.sweeps ? undefined : variantsOf(positionals, values.set ?? [], values.common ?? []);
  for (const variant of variants ?? []) checkAssertionsUpFront(variant.scenario, undefined);
  if (values.out !== undefined) checkOutDir('--out', values.out);
  const store = await openStore(values);
  try {
    let comparison: Comparison;
    let labels: [string, string];
    if (variants === undefined) {
      labels = [`sweep ${positionals[0]}`, `sweep ${positionals[1]}`];
      comparison = await compareSweeps({ store, a: positionals[0], b: positionals[1], metrics: values.metric, resamples });
    } else {
      const [a, b] = variants;
      labels = [a.label, b.label];
      comparison = await compareVariants({ store, a, b, seeds, metrics: values.metric, resamples });
    }
    const json = `${JSON.stringify(comparison, null, 2)}\n`;
    const markdown = renderComparisonMarkdown(comparison);
    const id = createHash('sha256').update(`${labels[0]}\n${labels[1]}\n${comparison.seeds.join(',')}`).digest('hex').slice(0, 12);
    const dir = values.out ?? join('.baton', 'compare', id);
    writingTo(dir, () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'comparison.json'), json);
      writeFileSync(join(dir, 'comparison.md'), markdown);
    });
    out.write(format === 'json' ? json : format === 'md' ? markdown : renderComparisonText(comparison));
    return 0;
  } finally {
    await store.close();
  }
}
