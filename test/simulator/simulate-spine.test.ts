import { describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { simulate } from '../../simulator/simulate.js';
import type { SimulationOptions } from '../../simulator/options.js';
import { SeededRandom } from '../../simulator/random/seeded-random.js';
import { createRunTracer } from '../../collector/tracing/run-tracer.js';
import { loadScenarioFile, simulationOptions } from '../../scenarios/format/load-scenario.js';

async function run(options: SimulationOptions) {
  const spans: ReadableSpan[] = [];
  const tracer = createRunTracer(new SeededRandom(options.seed).stream('ids'), (span) => spans.push(span));
  const result = await simulate({ ...options, retainLog: true }, tracer);
  return { result, spans };
}

const pipeline = (seed: number): SimulationOptions => simulationOptions(loadScenarioFile('scenarios/research-pipeline.yaml'), seed);

describe('simulate (spine)', () => {
  it('runs the research pipeline to terminal workflows with handoffs and faults', async () => {
    const { result, spans } = await run(pipeline(42));
    expect(result.outcomes).toHaveLength(20);
    expect(result.outcomes.every((outcome) => outcome.status !== 'running')).toBe(true);
    expect(result.outcomes.filter((outcome) => outcome.status === 'completed').length).toBeGreaterThan(10);
    expect(result.faultsByKind.partition).toBe(1);
    expect(result.faultsByKind.crash).toBe(1);
    expect(spans.filter((span) => span.attributes['baton.handoff.outcome'] !== undefined).length).toBeGreaterThan(40);
    expect(result.violations.filter((violation) => violation.classification === 'correctness')).toEqual([]);
  });

  it('two-phase handoffs: a handoff span counts the offers it published (its attempt spans), so attempts and resent context are reported', async () => {
    const { spans } = await run(pipeline(42));
    const handoffs = spans.filter((span) => span.attributes['baton.handoff.outcome'] !== undefined);
    const offers = new Map<string, number>();
    for (const span of spans.filter((span) => span.name === 'baton.handoff.attempt')) {
      const parent = span.parentSpanContext?.spanId ?? '';
      offers.set(parent, (offers.get(parent) ?? 0) + 1);
    }
    expect(handoffs.length).toBeGreaterThan(40);
    for (const span of handoffs) expect(span.attributes['baton.handoff.attempt'], span.name).toBe(offers.get(span.spanContext().spanId) ?? 0);
    // Seed 42 retries some offers: more offers than handoffs.
    expect([...offers.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(handoffs.length);
  });

  it('gives the same event log and spans for the same seed, different ones for another seed', async () => {
    const first = await run(pipeline(42));
    const second = await run(pipeline(42));
    const other = await run(pipeline(43));
    expect(second.result.eventLogHash).toBe(first.result.eventLogHash);
    const ids = (spans: ReadableSpan[]) => spans.map((span) => `${span.spanContext().spanId}:${span.name}:${span.startTime.join('.')}:${span.endTime.join('.')}`);
    expect(ids(second.spans)).toEqual(ids(first.spans));
    expect(other.result.eventLogHash).not.toBe(first.result.eventLogHash);
    expect(ids(other.spans)).not.toEqual(ids(first.spans));
  });

  it('refuses a cyclic workflow before any task runs', async () => {
    const options = pipeline(1);
    options.workflow = {
      name: 'deadlock',
      tasks: [
        { id: 'a', agent: 'researcher', dependsOn: ['c'] },
        { id: 'b', agent: 'analyst', dependsOn: ['a'] },
        { id: 'c', agent: 'writer', dependsOn: ['b'] },
      ],
    };
    options.workload = { instances: 2 };
    const { result, spans } = await run(options);
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'failed']);
    expect(result.log.entries.some((entry) => entry.text.startsWith('core.dag.rejected'))).toBe(true);
    expect(result.log.entries.some((entry) => entry.text.startsWith('core.task.started'))).toBe(false);
    expect(spans.filter((span) => span.name.startsWith('invoke_agent'))).toEqual([]);
  });

  it('a crashed agent loses its running task and the supervisor retries it', async () => {
    const options = pipeline(5);
    options.network = { defaultLink: { latencyMs: { dist: 'fixed', value: 5 } } };
    options.workload = { instances: 1 };
    options.faults = [{ kind: 'crash', atMs: 50, forMs: 500, targets: ['researcher'] }];
    const { result } = await run(options);
    const failed = result.log.entries.filter((entry) => entry.text.startsWith('core.task.failed'));
    expect(failed.some((entry) => entry.text.includes('taskId=research') && entry.text.includes('reason=task_timeout'))).toBe(true);
    expect(result.outcomes[0].status).toBe('completed');
  });

  it('ends with a typed limit violation instead of hanging', async () => {
    const options = pipeline(3);
    options.limits = { eventsMax: 50 };
    const { result } = await run(options);
    expect(result.violations.some((violation) => violation.checker === 'limits' && /event limit/.test(violation.story))).toBe(true);
  });

  it('a run cut by its event limit: each workflow still running is a liveness violation that says so (not a deadlock), and its span ends as unfinished', async () => {
    const options = pipeline(5);
    options.limits = { eventsMax: 300 };
    const { result, spans } = await run(options);
    const workflowSpans = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_workflow');
    const started = result.log.entries.filter((entry) => entry.text.startsWith('core.workflow.started')).length;
    const finished = result.log.entries.filter((entry) => entry.text.startsWith('core.workflow.finished')).length;
    expect(started).toBeGreaterThan(finished);
    // Every started workflow has a span; those cut short end at the run's end as unfinished.
    expect(workflowSpans).toHaveLength(started);
    const unfinished = workflowSpans.filter((span) => span.attributes['error.type'] === 'unfinished');
    expect(unfinished).toHaveLength(started - finished);
    // They end when the run ends: the latest end of any span (the simulation's own span ends then too).
    const latestEnd = spans.map((span) => span.endTime).reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a));
    for (const span of unfinished) {
      expect(span.attributes['baton.outcome']).toBe('unfinished');
      expect(span.endTime).toEqual(latestEnd);
    }
    const stuck = result.violations.filter((violation) => violation.checker === 'liveness');
    expect(stuck).toHaveLength(started - finished);
    for (const violation of stuck) expect(violation.story).toMatch(/^workflow wf-\d{4} was still running when the simulation stopped at its event limit$/);
  });

  it('a deadlock: the workflows still running when nothing is left to do are deadlock violations and unfinished spans; the event log is as before', async () => {
    const scenario = loadScenarioFile('scenarios/circular-deadlock-naive.yaml');
    const { result, spans } = await run(simulationOptions(scenario, 1));
    const workflowSpans = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_workflow');
    expect(workflowSpans.map((span) => span.attributes['error.type'])).toEqual(['unfinished', 'unfinished', 'unfinished']);
    expect(result.violations.map((violation) => violation.story)).toEqual(
      ['wf-0001', 'wf-0002', 'wf-0003'].map((id) => `workflow ${id} was still running when the simulation had nothing left to do (deadlock)`),
    );
    expect(result.log.entries.some((entry) => entry.text.includes('unfinished'))).toBe(false);
  });
});
