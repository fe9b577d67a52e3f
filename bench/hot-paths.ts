/**
 * Hot paths of a simulated run that baton's profile points at, each against
 * the replacement BENCHMARKS.md proposes (bench/proposals/), on real inputs,
 * interleaved in the same process. Ratios > 1 mean the proposal is faster.
 *
 * - canonical JSON of a handoff envelope (core/handoff/canonical-json.ts),
 *   computed 3–4 times per handoff attempt (seal, size, receiver check), is
 *   measured against plain JSON.stringify as the bound of any rewrite (a
 *   single-pass serializer was tried and was 0.8× — slower than the native
 *   stringify of a sorted copy; see BENCHMARKS.md);
 * - the event log's running SHA-256 (simulator/world/event-log.ts): one
 *   `hash.update` per line, ~20 lines per handoff;
 * - a span's storage line (collector/span-lines.ts, JSONCompactEachRow as the
 *   sweep's workers build it), typed columns found in one pass over the
 *   attribute keys (`attributeColumns`) against one lookup per column name
 *   (bench/harness/lookup-span-line.ts, the builder before).
 *
 *   node --import tsx bench/hot-paths.ts [--rounds 7]
 */
import { canonicalJson } from '../core/handoff/canonical-json.js';
import { EventLog, type LogEntry } from '../simulator/world/event-log.js';
import { simulationOptions } from '../scenarios/format/load-scenario.js';
import { simulate } from '../simulator/simulate.js';
import { trace } from '@opentelemetry/api';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { loadResearchPipeline, RESEARCH_PIPELINE_FILE } from './harness/research-pipeline.js';
import { scenarioWithSwarm } from '../cli/commands/sweep-command.js';
import { argInteger, interleave, median, pairedRatio } from './harness/timing.js';
import { BufferedEventLog } from './proposals/buffered-event-log.js';
import { RunRowLines } from '../collector/span-lines.js';
import type { SpanRecord } from '../collector/span-rows.js';
import { researchPipelineSpans } from './harness/span-corpus.js';
import { lookupSpanLine } from './harness/lookup-span-line.js';

/** A handoff envelope of the research pipeline's size (~1 KB of canonical JSON). */
export function sampleEnvelope(index: number): unknown {
  return {
    handoffId: `wf-${String(index % 9999).padStart(4, '0')}/research->analyze`,
    workflowId: `wf-${String(index % 9999).padStart(4, '0')}`,
    sourceTaskId: 'research',
    targetTaskId: 'analyze',
    task: {
      originalQuery: 'Compare SaaS pricing in the devtools market',
      taskDescription: 'analysis for research: turn gathered sources into insights',
      constraints: ['cite sources', 'budget 8000 tokens'],
      deadlineUs: 1_735_689_608_000_000 + index,
    },
    execution: {
      stepsCompleted: [{ stepId: 'research', agentId: 'researcher', action: 'research', result: `sources gathered (${1500 + (index % 2500)} tokens)` }],
      currentProgress: 0.25,
      partialResults: ['research: 12 sources on devtools pricing tiers'],
      decisionsMade: ['route research → researcher (capability match, weight 1)'],
    },
    reasoning: {
      keyFindings: ['usage-based pricing dominates CI tools', 'seat pricing persists for IDE plugins'],
      assumptions: ['public list prices reflect contracts'],
      uncertainties: ['enterprise discounts unknown'],
      recommendations: ['segment by buyer: individual vs team vs enterprise'],
    },
    memory: { sharedFragmentIds: [`wf-${index % 9999}/findings`] },
    metadata: { schemaVersion: 1, sourceAgentId: 'researcher', handoffTimestampUs: 1_735_689_601_207_247 + index, contextTokens: 1892 },
  };
}

async function eventLogLines(seeds: number): Promise<LogEntry[]> {
  const scenario = loadResearchPipeline();
  const lines: LogEntry[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const options = { ...simulationOptions(scenario, seed), retainLog: true };
    const result = await simulate(options, trace.getTracer('baton-bench-off'));
    lines.push(...result.log.entries);
  }
  return lines;
}

export async function hotPathsBench(): Promise<BenchRow[]> {
  const rounds = argInteger('rounds', 7);
  const envelopes = Array.from({ length: 20_000 }, (_, index) => sampleEnvelope(index));
  const lines = await eventLogLines(20);
  const feed = (log: { append(timeUs: number, text: string): void; digest(): string }): string => {
    for (const line of lines) log.append(line.timeUs, line.text);
    return log.digest();
  };
  if (feed(new EventLog(false)) !== feed(new BufferedEventLog(false))) throw new Error('buffered event log digest differs');
  // The sweep benchmark's scenario (`--swarm default`): the spans whose lines `baton sweep` builds.
  const runs = await researchPipelineSpans(20, 'bench', scenarioWithSwarm(RESEARCH_PIPELINE_FILE, undefined, 'default'));
  const spanCount = runs.reduce((total, run) => total + run.records.length, 0);
  const builders = runs.map((run) => new RunRowLines(run.columns, 'JSONCompactEachRow'));
  const linesBy = (line: (runIndex: number, record: SpanRecord) => string): string[] =>
    runs.flatMap((run, runIndex) => run.records.map((record) => line(runIndex, record)));
  const onePass = (runIndex: number, record: SpanRecord): string => builders[runIndex]!.span(record);
  const lookups = (runIndex: number, record: SpanRecord): string => lookupSpanLine(record, runs[runIndex]!.columns);
  if (linesBy(onePass).join('') !== linesBy(lookups).join('')) throw new Error('span lines differ between the one-pass and the lookup builders');
  const buildAll = (line: typeof onePass): number => {
    let bytes = 0;
    for (const [runIndex, run] of runs.entries()) for (const record of run.records) bytes += line(runIndex, record).length;
    sink += bytes;
    return spanCount;
  };
  let sink = 0;
  const samples = await interleave(
    [
      { name: 'json', run: () => envelopes.reduce<number>((count, envelope) => count + (canonicalJson(envelope).length > 0 ? 1 : 0), 0) },
      { name: 'jsonPlain', run: () => envelopes.reduce<number>((count, envelope) => count + (JSON.stringify(envelope).length > 0 ? 1 : 0), 0) },
      { name: 'log', run: () => ((sink += feed(new EventLog(false)).length), lines.length) },
      { name: 'logProposal', run: () => ((sink += feed(new BufferedEventLog(false)).length), lines.length) },
      { name: 'lineOnePass', run: () => buildAll(onePass) },
      { name: 'lineLookups', run: () => buildAll(lookups) },
    ],
    rounds,
  );
  if (sink === 0) throw new Error('nothing hashed');
  return [
    {
      bench: 'hot-paths',
      metric: 'canonical JSON of a handoff envelope (current sortKeys + JSON.stringify)',
      value: median(samples.json),
      unit: 'envelopes/s',
      samples: rounds,
      baseline: 'plain JSON.stringify, unsorted (bound)',
      baselineValue: median(samples.jsonPlain),
      ratio: pairedRatio(samples.json, samples.jsonPlain),
      note: `${canonicalJson(envelopes[0]).length} bytes each; the fix is fewer calls per handoff`,
    },
    {
      bench: 'hot-paths',
      metric: `event log SHA-256: proposed 16 KiB chunks (${lines.length.toLocaleString('en-US')} real lines, 20 seeds)`,
      value: median(samples.logProposal),
      unit: 'lines/s',
      samples: rounds,
      baseline: 'current hash.update per line',
      baselineValue: median(samples.log),
      ratio: pairedRatio(samples.logProposal, samples.log),
      note: 'same digest (checked)',
    },
    {
      bench: 'hot-paths',
      metric: `span line, JSONCompactEachRow: typed columns in one pass over the attributes (${spanCount.toLocaleString('en-US')} real spans, 20 seeds, --swarm default)`,
      value: median(samples.lineOnePass),
      unit: 'spans/s',
      samples: rounds,
      baseline: 'one lookup per column name (the builder before)',
      baselineValue: median(samples.lineLookups),
      ratio: pairedRatio(samples.lineOnePass, samples.lineLookups),
      note: 'same bytes (checked)',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await hotPathsBench());
