import type { Attributes } from '@opentelemetry/api';
import { attributeText, type RunColumns, type SpanRecord } from './span-rows.js';
import type { RunMetricFamily, RunMetricRow } from './store/rows.js';

/** One family-and-key group of a run's spans as it fills. */
interface Group {
  family: RunMetricFamily;
  kind: string;
  source: string;
  target: string;
  count: number;
  succeeded: number;
  partial: number;
  sumNs: bigint;
  maxNs: bigint;
  /** Kept for workflow and handoff rows only. */
  durations: bigint[] | undefined;
}

/**
 * The `run_metrics` rows of one run, built from its spans as they end: what
 * `runMetricsStatements` derives from the stored spans by SQL, row for row
 * (test/collector/store/run-metrics-engines.test.ts holds the two equal). The
 * definitions are those of the run report:
 * - workflow: spans with `gen_ai.operation.name` = invoke_workflow; completed
 *   without `error.type`, partial with `error.type` = partial;
 * - handoff: spans with a `baton.handoff.outcome`, by source and target
 *   (the `baton.` attributes, else the `gen_ai.agent.handoff.` ones), accepted
 *   ones succeeded;
 * - coordination: spans with a `baton.coordination.kind`, by kind;
 * - fault: `baton.fault` span events, by `baton.fault.kind`.
 */
export class RunMetrics {
  private readonly groups = new Map<string, Group>();

  add(span: SpanRecord): void {
    const attributes = span.attributes;
    const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
    const operation = text(attributes, 'gen_ai.operation.name');
    if (operation === 'invoke_workflow') {
      const errorType = text(attributes, 'error.type');
      this.count('workflow', '', '', '', durationNs, errorType === '', errorType === 'partial');
    }
    const outcome = text(attributes, 'baton.handoff.outcome');
    if (outcome !== '') {
      const source = text(attributes, 'baton.handoff.source') || text(attributes, 'gen_ai.agent.handoff.source.name');
      const target = text(attributes, 'baton.handoff.target') || text(attributes, 'gen_ai.agent.handoff.target.name');
      this.count('handoff', '', source, target, durationNs, outcome === 'accepted', false);
    }
    const coordination = text(attributes, 'baton.coordination.kind');
    if (coordination !== '') this.count('coordination', coordination, '', '', durationNs, false, false);
    for (const event of span.events) {
      if (event.name === 'baton.fault') this.count('fault', text(event.attributes, 'baton.fault.kind'), '', '', 0n, false, false);
    }
  }

  /** The rows, sorted by the table's sort key (family, kind, source, target). */
  rows(columns: Pick<RunColumns, 'runId' | 'recordedDate'>): RunMetricRow[] {
    const groups = [...this.groups.values()].sort(compareGroups);
    return groups.map((group) => ({
      recorded_date: columns.recordedDate,
      run_id: columns.runId,
      family: group.family,
      kind: group.kind,
      source: group.source,
      target: group.target,
      count: group.count,
      succeeded: group.succeeded,
      partial: group.partial,
      sum_ns: group.sumNs.toString(),
      max_ns: group.maxNs.toString(),
      durations: group.durations === undefined ? [] : group.durations.sort(compareBigInts).map(String),
    }));
  }

  private count(family: RunMetricFamily, kind: string, source: string, target: string, durationNs: bigint, succeeded: boolean, partial: boolean): void {
    const key = `${family}\u0000${kind}\u0000${source}\u0000${target}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      const keepsDurations = family === 'workflow' || family === 'handoff';
      group = { family, kind, source, target, count: 0, succeeded: 0, partial: 0, sumNs: 0n, maxNs: 0n, durations: keepsDurations ? [] : undefined };
      this.groups.set(key, group);
    }
    group.count++;
    if (succeeded) group.succeeded++;
    if (partial) group.partial++;
    group.sumNs += durationNs;
    if (durationNs > group.maxNs) group.maxNs = durationNs;
    group.durations?.push(durationNs);
  }
}

function text(attributes: Attributes, key: string): string {
  return attributeText(attributes[key]);
}

function compareBigInts(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ClickHouse's String order: bytes, as `Buffer.compare` orders UTF-8. */
function compareText(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function compareGroups(a: Group, b: Group): number {
  return compareText(a.family, b.family) || compareText(a.kind, b.kind) || compareText(a.source, b.source) || compareText(a.target, b.target);
}
