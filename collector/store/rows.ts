/** A row of `spans`, keyed by column name (Nested columns flattened). */
export interface SpanRow {
  recorded_date: string;
  run_id: string;
  sweep_id: string;
  scenario: string;
  seed: number;
  service_name: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  kind: number;
  start_ns: string;
  end_ns: string;
  duration_ns: string;
  status_code: number;
  status_message: string;
  operation: string;
  workflow_id: string;
  task_id: string;
  agent_name: string;
  coordination_kind: string;
  handoff_id: string;
  handoff_source: string;
  handoff_target: string;
  handoff_phase: string;
  handoff_outcome: string;
  handoff_attempt: number;
  handoff_schema_version: number;
  context_bytes: number;
  context_tokens: number;
  input_tokens: number;
  output_tokens: number;
  error_type: string;
  'attributes.key': string[];
  'attributes.value': string[];
}

/** A row of `span_events`. */
export interface SpanEventRow {
  recorded_date: string;
  run_id: string;
  trace_id: string;
  span_id: string;
  event_index: number;
  time_ns: string;
  name: string;
  'attributes.key': string[];
  'attributes.value': string[];
}

/** A row of `runs`. */
export interface RunRow {
  recorded_date: string;
  recorded_at: string;
  run_id: string;
  sweep_id: string;
  scenario: string;
  seed: number;
  config_hash: string;
  baton_version: string;
  verdict: string;
  workflows_total: number;
  workflows_completed: number;
  handoffs_total: number;
  faults_injected: number;
  violations: number;
  event_log_hash: string;
}

/** A row of `violations`. */
export interface ViolationRow {
  recorded_date: string;
  run_id: string;
  violation_index: number;
  checker: string;
  classification: string;
  seed: number;
  at_ms: number;
  trace_id: string;
  span_id: string;
  story: string;
}

/**
 * A row of `run_metrics`: one family and key of a run's metrics, summed when
 * the run is stored (collector/run-metrics.ts; schema.ts says what each
 * family's columns hold). 64-bit sums and durations as decimal strings.
 */
export interface RunMetricRow {
  recorded_date: string;
  run_id: string;
  family: RunMetricFamily;
  kind: string;
  source: string;
  target: string;
  count: number;
  succeeded: number;
  partial: number;
  sum_ns: string;
  max_ns: string;
  durations: string[];
}

export type RunMetricFamily = 'workflow' | 'handoff' | 'coordination' | 'fault';

/** A row of `sweep_runs`: `run_id` belongs to `sweep_id`; `recorded_date` is the run's partition date. */
export interface SweepRunRow {
  recorded_date: string;
  sweep_id: string;
  run_id: string;
  seed: number;
}
