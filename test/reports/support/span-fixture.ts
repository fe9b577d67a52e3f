import seedrandom from 'seedrandom';
import type { RunRow, SpanEventRow, SpanRow, ViolationRow } from '../../../collector/store/rows.js';
import type { SpanStore } from '../../../collector/store/span-store.js';

/**
 * A synthetic run built directly as storage rows: workflows with routing,
 * queueing, handoffs (attempts, backoff), agent invocations (some failing and
 * retried), checkpoints, fault events and violations. Tests insert it into a
 * store and compare the SQL report with values computed here in plain JS.
 */
export interface SpanFixture {
  runId: string;
  seed: number;
  spans: SpanRow[];
  events: SpanEventRow[];
  violations: ViolationRow[];
  run: RunRow;
}

const MS = 1_000_000;
const BASE_NS = 1_735_689_600_000_000_000n;
const AGENTS = ['researcher', 'analyst', 'writer'];
const FAULT_KINDS = ['crash', 'message_loss', 'partition'];

/** Builds a deterministic fixture from `seed`; `workflows` instances. */
export function buildFixture(runId: string, seed: number, workflows = 14): SpanFixture {
  const random = seedrandom(`fixture-${seed}`);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const hex = (length: number): string => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  const spans: SpanRow[] = [];
  const span = (fields: Partial<SpanRow> & { trace_id: string; startMs: number; durationMs: number }): SpanRow => {
    const start = BASE_NS + BigInt(Math.round(fields.startMs * 1000)) * 1000n;
    const end = start + BigInt(Math.round(fields.durationMs * 1000)) * 1000n;
    const { startMs: _s, durationMs: _d, ...rest } = fields;
    const row: SpanRow = {
      recorded_date: '2026-01-01', run_id: runId, sweep_id: '', scenario: 'fixture', seed, service_name: 'test',
      span_id: hex(16), parent_span_id: '', name: 'span', kind: 0, start_ns: start.toString(), end_ns: end.toString(),
      duration_ns: (end - start).toString(), status_code: 0, status_message: '', operation: '', workflow_id: '', task_id: '',
      agent_name: '', coordination_kind: '', handoff_id: '', handoff_source: '', handoff_target: '', handoff_phase: '',
      handoff_outcome: '', handoff_attempt: 0, handoff_schema_version: 1, context_bytes: 0, context_tokens: 0,
      input_tokens: 0, output_tokens: 0, error_type: '', 'attributes.key': [], 'attributes.value': [], ...rest,
    };
    spans.push(row);
    return row;
  };

  for (let index = 0; index < workflows; index++) {
    const trace = hex(32);
    const startMs = index * 900 + int(0, 400);
    const durationMs = int(2_000, 20_000) + random();
    const outcome = random() < 0.7 ? '' : random() < 0.6 ? 'partial' : index % 2 === 0 ? 'unfinished' : 'failed';
    const workflowId = `wf-${String(index + 1).padStart(4, '0')}`;
    const workflow = span({
      trace_id: trace, startMs, durationMs, name: 'invoke_workflow research', operation: 'invoke_workflow', workflow_id: workflowId,
      error_type: outcome, status_code: outcome === '' ? 0 : 2,
    });
    const child = (fields: Partial<SpanRow> & { startMs: number; durationMs: number }, parent = workflow): SpanRow =>
      span({ trace_id: trace, parent_span_id: parent.span_id, ...fields });
    for (let route = 0; route < int(1, 3); route++) {
      child({ startMs: startMs + route * 50, durationMs: int(0, 5) + random(), name: 'baton.route', coordination_kind: 'routing' });
    }
    if (random() < 0.6) child({ startMs: startMs + 10, durationMs: int(1, 900), name: 'baton.queue', coordination_kind: 'queueing', agent_name: 'writer' });
    for (let checkpoint = 0; checkpoint < int(0, 3); checkpoint++) {
      child({ startMs: startMs + int(0, Math.floor(durationMs)), durationMs: int(1, 30), name: 'baton.checkpoint', coordination_kind: 'checkpoint' });
    }
    for (let task = 0; task < AGENTS.length; task++) {
      const taskId = ['research', 'analyze', 'write'][task];
      let atMs = startMs + task * 600;
      const attempts = random() < 0.25 ? 2 : 1;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const failed = attempt < attempts || random() < 0.05;
        child({
          startMs: atMs, durationMs: int(100, 2000) + random(), name: `invoke_agent ${AGENTS[task]}`, operation: 'invoke_agent',
          agent_name: AGENTS[task], task_id: taskId, workflow_id: workflowId, status_code: failed ? 2 : 0, error_type: failed ? 'agent_error' : '',
          input_tokens: int(100, 3000), output_tokens: int(50, 2000),
        });
        atMs += int(100, 2100);
        if (attempt < attempts) child({ startMs: atMs, durationMs: int(50, 400), name: 'baton.backoff', coordination_kind: 'retry' });
      }
      if (task === AGENTS.length - 1) break;
      const handoffAttempts = random() < 0.7 ? 1 : int(2, 4);
      const outcomeRoll = random();
      const handoffOutcome = outcomeRoll < 0.8 ? 'accepted' : outcomeRoll < 0.9 ? 'failed' : 'rejected';
      const handoffDuration = int(10, 3000) + random();
      const handoff = child({
        startMs: atMs, durationMs: handoffDuration, name: `baton.handoff ${AGENTS[task]} -> ${AGENTS[task + 1]}`, workflow_id: workflowId,
        task_id: taskId, handoff_id: hex(12), handoff_source: AGENTS[task], handoff_target: AGENTS[task + 1],
        handoff_outcome: handoffOutcome, handoff_attempt: handoffAttempts, handoff_phase: handoffOutcome === 'accepted' ? 'accepted' : random() < 0.5 ? 'publish' : 'verify',
        context_tokens: int(500, 5000), status_code: handoffOutcome === 'accepted' ? 0 : 2, error_type: handoffOutcome === 'accepted' ? '' : 'ack-timeout',
      });
      let attemptAt = atMs;
      for (let attempt = 1; attempt <= handoffAttempts; attempt++) {
        const ok = attempt === handoffAttempts && handoffOutcome === 'accepted';
        child({
          startMs: attemptAt, durationMs: int(5, 300) + random(), name: 'baton.handoff.attempt', coordination_kind: 'handoff',
          handoff_id: handoff.handoff_id, handoff_attempt: attempt, handoff_phase: 'publish', status_code: ok ? 0 : 2, error_type: ok ? '' : 'ack_timeout',
        }, handoff);
        attemptAt += 310;
        if (attempt < handoffAttempts) child({ startMs: attemptAt, durationMs: int(20, 200), name: 'baton.backoff', coordination_kind: 'retry' }, handoff);
        attemptAt += 210;
      }
    }
  }
  const simulation = span({ trace_id: hex(32), startMs: 0, durationMs: 40_000, name: 'baton.simulation' });
  const events: SpanEventRow[] = [];
  for (let index = 0; index < 9; index++) {
    const kind = FAULT_KINDS[int(0, FAULT_KINDS.length - 1)];
    events.push({
      recorded_date: '2026-01-01', run_id: runId, trace_id: simulation.trace_id, span_id: simulation.span_id, event_index: index,
      time_ns: (BASE_NS + BigInt(int(0, 25_000)) * BigInt(MS)).toString(), name: 'baton.fault',
      'attributes.key': ['baton.fault.kind', 'baton.fault.target'], 'attributes.value': [kind, 'writer'],
    });
  }
  events.push({ ...events[0], event_index: 99, name: 'other.event' });
  const violations: ViolationRow[] = [
    { recorded_date: '2026-01-01', run_id: runId, violation_index: 0, checker: 'no-lost-handoff', classification: 'correctness', seed, at_ms: 1234.5, trace_id: spans[0].trace_id, span_id: spans[0].span_id, story: 'handoff h1 | orphaned' },
  ];
  const run: RunRow = {
    recorded_date: '2026-01-01', recorded_at: '2026-01-01 00:00:00', run_id: runId, sweep_id: '', scenario: 'fixture', seed,
    config_hash: 'cafe', baton_version: '0.1.0', verdict: 'fail', workflows_total: workflows, workflows_completed: 0,
    handoffs_total: 0, faults_injected: 9, violations: 1, event_log_hash: 'abc',
  };
  return { runId, seed, spans, events, violations, run };
}

/** Inserts a fixture's rows. */
export async function storeFixture(store: SpanStore, fixture: SpanFixture): Promise<void> {
  await store.migrate();
  await store.insert('spans', fixture.spans);
  await store.insert('span_events', fixture.events);
  await store.insert('violations', fixture.violations);
  await store.insert('runs', [fixture.run]);
}
