import type { Attributes } from '@opentelemetry/api';
import { attributeText, type AttributeColumns, type RunColumns, type SpanRecord } from './span-rows.js';
import type { RunMetricFamily, RunMetricRow } from './store/rows.js';

/** The attribute columns a span's metrics need (what `attributeColumns` gives). */
export type MetricColumns = Pick<AttributeColumns, 'operation' | 'errorType' | 'handoffOutcome' | 'handoffSource' | 'handoffTarget' | 'coordinationKind'>;

/** One family-and-key group of a run's spans as it fills: its row's counts, and its durations. */
interface Group extends Pick<RunMetricRow, 'family' | 'kind' | 'source' | 'target' | 'count' | 'succeeded' | 'partial'> {
  /**
   * Every duration in nanoseconds: a Number (exact below 2^53 ns, 104 days),
   * or the BigInt itself for a longer span (`huge` is then set).
   */
  durations: (number | bigint)[];
  huge: boolean;
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
 * It runs on every span of a sweep: one map per family, and only the spans of
 * a family pay for their duration.
 */
export class RunMetrics {
  private workflow: Group | undefined;
  private readonly handoffs = new Map<string, Group>();
  private readonly coordination = new Map<string, Group>();
  private readonly faults = new Map<string, Group>();

  /**
   * Counts `span`. `columns`: its attribute columns when the caller has them
   * already (`RunRowBinary.add` returns them), else they are read here.
   */
  add(span: SpanRecord, columns?: MetricColumns): void {
    const attributes = span.attributes;
    const operation = columns ? columns.operation : text(attributes, 'gen_ai.operation.name');
    if (operation === 'invoke_workflow') {
      const errorType = columns ? columns.errorType : text(attributes, 'error.type');
      this.workflow ??= group('workflow', '', '', '');
      record(this.workflow, span, errorType === '', errorType === 'partial');
    }
    const outcome = columns ? columns.handoffOutcome : text(attributes, 'baton.handoff.outcome');
    if (outcome !== '') {
      const source = columns ? columns.handoffSource : text(attributes, 'baton.handoff.source') || text(attributes, 'gen_ai.agent.handoff.source.name');
      const target = columns ? columns.handoffTarget : text(attributes, 'baton.handoff.target') || text(attributes, 'gen_ai.agent.handoff.target.name');
      const key = `${source}\u0000${target}`;
      let pair = this.handoffs.get(key);
      if (pair === undefined) this.handoffs.set(key, (pair = group('handoff', '', source, target)));
      record(pair, span, outcome === 'accepted', false);
    }
    const coordination = columns ? columns.coordinationKind : text(attributes, 'baton.coordination.kind');
    if (coordination !== '') {
      let kind = this.coordination.get(coordination);
      if (kind === undefined) this.coordination.set(coordination, (kind = group('coordination', coordination, '', '')));
      record(kind, span, false, false);
    }
    for (let index = 0; index < span.events.length; index++) {
      const event = span.events[index]!;
      if (event.name !== 'baton.fault') continue;
      const faultKind = text(event.attributes, 'baton.fault.kind');
      let fault = this.faults.get(faultKind);
      if (fault === undefined) this.faults.set(faultKind, (fault = group('fault', faultKind, '', '')));
      fault.count++;
    }
  }

  /** The rows, sorted by the table's sort key (family, kind, source, target). */
  rows(columns: Pick<RunColumns, 'runId' | 'recordedDate'>): RunMetricRow[] {
    const groups = [...this.coordination.values(), ...this.faults.values(), ...this.handoffs.values()];
    if (this.workflow !== undefined) groups.push(this.workflow);
    return groups.sort(compareGroups).map((group) => {
      const keepsDurations = group.family === 'workflow' || group.family === 'handoff';
      const durations = group.durations;
      if (keepsDurations) durations.sort(group.huge ? compareMixed : (a, b) => (a as number) - (b as number));
      let max: number | bigint = 0;
      let sum = 0;
      for (const duration of durations) {
        if (duration > max) max = duration;
        if (!group.huge) sum += duration as number;
      }
      // With a BigInt duration, or past 2^53 where a Number sum rounds: add exactly.
      const sumNs = !group.huge && Number.isSafeInteger(sum) ? sum : durations.reduce<bigint>((exact, duration) => exact + BigInt(duration), 0n);
      return {
        recorded_date: columns.recordedDate,
        run_id: columns.runId,
        family: group.family,
        kind: group.kind,
        source: group.source,
        target: group.target,
        count: group.count,
        succeeded: group.succeeded,
        partial: group.partial,
        sum_ns: String(sumNs),
        max_ns: String(max),
        durations: keepsDurations ? durations.map(String) : [],
      };
    });
  }
}

function compareMixed(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function group(family: RunMetricFamily, kind: string, source: string, target: string): Group {
  return { family, kind, source, target, count: 0, succeeded: 0, partial: 0, durations: [], huge: false };
}

/** Counts `span` in `into`, with its duration (`duration_ns` of its row: end − start, 0 when negative). */
function record(into: Group, span: SpanRecord, succeeded: boolean, partial: boolean): void {
  into.count++;
  if (succeeded) into.succeeded++;
  if (partial) into.partial++;
  if (span.endNs <= span.startNs) {
    into.durations.push(0);
    return;
  }
  const duration = span.endNs - span.startNs;
  if (duration <= MAX_SAFE_NS) {
    into.durations.push(Number(duration));
  } else {
    into.durations.push(duration);
    into.huge = true;
  }
}

const MAX_SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);

function text(attributes: Attributes, key: string): string {
  return attributeText(attributes[key]);
}

/** ClickHouse's String order: bytes, as `Buffer.compare` orders UTF-8. */
function compareText(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function compareGroups(a: Group, b: Group): number {
  return compareText(a.family, b.family) || compareText(a.kind, b.kind) || compareText(a.source, b.source) || compareText(a.target, b.target);
}
