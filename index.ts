/**
 * baton's programmatic API: run a scenario (with agent behaviours written in
 * TypeScript), sweep seeds, compare two designs, and read the report that the
 * CLI prints. Everything goes through the same pipeline as `baton run`:
 * simulate → spans into ClickHouse → SQL report → assertions.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createStore } from './collector/store/create-store.js';
import type { SpanStore } from './collector/store/span-store.js';
import type { RouterScoreFunction } from './core/routing/router-policy.js';
import type { AgentBehaviour } from './core/agents/types.js';
import { loadScenarioFile, parseScenario, type Scenario } from './scenarios/format/load-scenario.js';
import type { ScenarioFile } from './scenarios/format/scenario-types.js';
import type { SimulationOptions } from './simulator/options.js';
import { runScenario as runPipeline } from './cli/pipeline/run-scenario.js';
import { runSweep, type SweepOutcome } from './cli/pipeline/sweep.js';
import type { Shard } from './cli/pipeline/sweep-seeds.js';
import { applyOverrides } from './cli/scenario-overrides.js';
import { compareVariants } from './cli/commands/compare-command.js';
import { REPORT_FILES, type ReportFormat } from './cli/pipeline/report-outputs.js';
import { computeChartData } from './reports/chart-data.js';
import { renderHtml } from './reports/render/html.js';
import { renderJunit } from './reports/render/junit.js';
import { renderMarkdown } from './reports/render/markdown.js';
import { renderJson, type ReportDocument } from './reports/render/report-document.js';
import type { Comparison } from './reports/compare/compare-report.js';

export { computeRunReport, RunNotFoundError, type RunReport, type KeyMetrics, type ReportedViolation, type Percentiles } from './reports/run-report.js';
export { checkAssertions, metricNames, readMetric, AssertionSyntaxError, type AssertionResult } from './reports/assertions.js';
export { renderTerminal } from './reports/render/terminal.js';
export { renderMarkdown, renderJson, renderJunit, renderHtml, computeChartData };
export type { ReportDocument, WallFacts } from './reports/render/report-document.js';
export type { Comparison, MetricComparison } from './reports/compare/compare-report.js';
export { pairedBootstrap } from './reports/compare/paired-bootstrap.js';
export { ScenarioError, type ScenarioIssue } from './scenarios/format/scenario-error.js';
export { createStore } from './collector/store/create-store.js';
export type { SpanStore } from './collector/store/span-store.js';
export type { Scenario } from './scenarios/format/load-scenario.js';
export type { ScenarioFile } from './scenarios/format/scenario-types.js';
export type { AgentBehaviour, WorkRequest, WorkResult } from './core/agents/types.js';
export { createRealEnv, RealClock, InProcessTransport, InMemoryStorage, type RealEnvOptions } from './simulator/real/real-env.js';
export { createCoreNodes } from './simulator/core-nodes.js';
export type { Env } from './core/env/env.js';
export type { RouterScoreFunction, RouterScoreInput, RouterPolicy, ScoreWeights } from './core/routing/router-policy.js';
export type { SimulationOptions } from './simulator/options.js';
export type { SweepOutcome } from './cli/pipeline/sweep.js';
export type { SweepDocument } from './cli/pipeline/sweep-document.js';

/** A scenario: a file path, YAML/JSON text, a parsed scenario object, or a loaded Scenario. */
export type ScenarioInput = string | ScenarioFile | Scenario;

/** Where runs are stored: a store you own (not closed for you), or how to open one. */
export interface StoreChoice {
  store?: SpanStore;
  /** ClickHouse server URL (else BATON_CLICKHOUSE_URL, else embedded). */
  clickhouse?: string;
  /** Embedded data directory. Default `.baton/chdb`. */
  dataDir?: string;
}

export interface RunOptions extends StoreChoice {
  /** Default 1. */
  seed?: number;
  /** Agent behaviours written in TypeScript, by agent name; they replace the simulated ones. */
  behaviours?: Record<string, AgentBehaviour>;
  /**
   * Router scoring written in TypeScript: the total the `scored` strategy ranks
   * candidates by (fingerprinted into the run id like behaviours).
   */
  routerScore?: RouterScoreFunction;
  /** Changes the simulator options (hooks the scenario format cannot express); name it in `variant`. */
  customize?: (options: SimulationOptions) => SimulationOptions;
  /** Names code-level changes (behaviours are fingerprinted automatically); part of the run id. */
  variant?: string;
  /** Field overrides, as `baton run --set`: `["network.lossRatio=0.1"]` or `{ 'network.lossRatio': 0.1 }`. */
  set?: string[] | Record<string, unknown>;
  /** Assertions on top of the scenario's `assert:` block. */
  assert?: string[];
  /** Write report files here: report.json and report.md, plus `formats`. */
  outDir?: string;
  formats?: Exclude<ReportFormat, 'terminal'>[];
}

/** Loads and validates a scenario (file path, YAML/JSON text, or object); throws ScenarioError. */
export function loadScenario(input: ScenarioInput): Scenario {
  if (typeof input !== 'string') {
    if ('spec' in input && 'text' in input) return input as Scenario;
    return parseScenario(stringify(input), '<object>');
  }
  if (!input.includes('\n') && /\.(ya?ml|json)$/i.test(input.trim())) return loadScenarioFile(input.trim());
  return parseScenario(input, '<text>');
}

function overridesOf(set: RunOptions['set']): string[] {
  if (set === undefined) return [];
  if (Array.isArray(set)) return set;
  return Object.entries(set).map(([path, value]) => `${path}=${JSON.stringify(value)}`);
}

/** A fingerprint of TypeScript behaviours: their names, classes and code. */
export function behavioursFingerprint(behaviours: Record<string, AgentBehaviour>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(behaviours).sort()) {
    const behaviour = behaviours[name];
    hash.update(`${name}\n${behaviour.constructor?.name ?? ''}\n${String(behaviour.perform)}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function withStore<T>(choice: StoreChoice, use: (store: SpanStore) => Promise<T>): Promise<T> {
  if (choice.store) return use(choice.store);
  const store = createStore(choice.clickhouse, { dataDir: choice.dataDir });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs one seed of a scenario and returns its report (report.json's content):
 * `report.verdict.passed` tells whether assertions and invariants held.
 */
export async function runScenario(input: ScenarioInput, options: RunOptions = {}): Promise<ReportDocument> {
  const scenario = applyOverrides(loadScenario(input), overridesOf(options.set));
  const behaviours = options.behaviours;
  const routerScore = options.routerScore;
  const variant = [
    options.variant ?? '',
    behaviours ? `behaviours:${behavioursFingerprint(behaviours)}` : '',
    routerScore ? `router-score:${createHash('sha256').update(String(routerScore)).digest('hex').slice(0, 16)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const customize = (simulation: SimulationOptions): SimulationOptions => {
    let customized = behaviours ? { ...simulation, behaviours: { ...simulation.behaviours, ...behaviours } } : simulation;
    if (routerScore) {
      const policies = customized.policies ?? {};
      customized = { ...customized, policies: { ...policies, router: { ...policies.router, score: routerScore } } };
    }
    return options.customize ? options.customize(customized) : customized;
  };
  return withStore(options, async (store) => {
    const outcome = await runPipeline({ scenario, seed: options.seed ?? 1, store, extraAssertions: options.assert, customize, variant });
    if (options.outDir) await writeReports(store, outcome.document, options.outDir, options.formats ?? []);
    return outcome.document;
  });
}

async function writeReports(store: SpanStore, document: ReportDocument, dir: string, formats: readonly string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, REPORT_FILES.json), renderJson(document));
  writeFileSync(join(dir, REPORT_FILES.md), renderMarkdown(document));
  if (formats.includes('junit')) writeFileSync(join(dir, REPORT_FILES.junit), renderJunit(document));
  if (formats.includes('html')) writeFileSync(join(dir, REPORT_FILES.html), renderHtml(document, await computeChartData(store, document.run.id)));
}

export interface SweepOptions extends StoreChoice {
  /** Seeds to run, e.g. `[1, 2, 3]`. */
  seeds: readonly number[];
  /** Worker threads. Default 1. */
  jobs?: number;
  /** Default: derived from the scenario. */
  sweepId?: string;
  set?: RunOptions['set'];
  assert?: string[];
  /** `{ index, count }`: run only this shard of the seeds (1-based index). */
  shard?: Shard;
}

/**
 * Runs many seeds of a scenario (the `baton sweep` pipeline) and returns the
 * sweep document: per-seed table, aggregated metrics, failing seeds with
 * their replay commands. Agent behaviours cannot cross into worker threads;
 * use `runScenario` per seed for those.
 */
export async function sweep(input: ScenarioInput, options: SweepOptions): Promise<SweepOutcome> {
  const scenario = applyOverrides(loadScenario(input), overridesOf(options.set));
  const sweepId = options.sweepId ?? `sweep-${scenario.contentHash.slice(0, 12)}`;
  return withStore(options, (store) =>
    runSweep({
      scenario,
      scenarioRef: scenario.file,
      seeds: options.seeds,
      shard: options.shard,
      jobs: options.jobs ?? 1,
      sweepId,
      store,
      extraAssertions: options.assert,
    }),
  );
}

export interface CompareOptions extends StoreChoice {
  seeds: readonly number[];
  /** Metric names (as in assertions); default: the headline metrics. */
  metrics?: string[];
  resamples?: number;
}

/**
 * Runs two designs on the same seeds and compares them metric by metric:
 * mean(B − A) with a paired bootstrap 95% interval and whether it excludes 0.
 */
export async function compare(a: ScenarioInput, b: ScenarioInput, options: CompareOptions): Promise<Comparison> {
  const variantA = { label: 'A', scenario: loadScenario(a) };
  const variantB = { label: 'B', scenario: loadScenario(b) };
  return withStore(options, (store) =>
    compareVariants({ store, a: variantA, b: variantB, seeds: [...options.seeds], metrics: options.metrics, resamples: options.resamples }),
  );
}
