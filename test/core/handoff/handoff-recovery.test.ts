import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../core/env/observer.js';
import { sealEnvelope, type UnsealedEnvelope } from '../../../core/handoff/envelope.js';
import { HandoffReceiver } from '../../../core/handoff/handoff-receiver.js';
import { HandoffSender, type HandoffSendResult } from '../../../core/handoff/handoff-sender.js';
import { HandoffRecords } from '../../../core/handoff/handoff-record.js';
import { SharedMemory } from '../../../core/memory/shared-memory.js';
import { resolveDesignPolicies, type DesignPolicies } from '../../../core/policies/design-policies.js';
import type { HandoffOffer, HandoffReply, HandoffRoute } from '../../../core/supervisor/protocol.js';
import { SpanClock } from '../../../core/telemetry/virtual-spans.js';
import { createCoreTestEnv, type CoreTestEnv } from '../support/core-test-env.js';

const parent = trace.wrapSpanContext({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 });

function body(overrides: Partial<UnsealedEnvelope['metadata']> = {}): UnsealedEnvelope {
  return {
    handoffId: 'wf-1/a->b',
    workflowId: 'wf-1',
    sourceTaskId: 'a',
    targetTaskId: 'b',
    task: { originalQuery: 'q', taskDescription: 'd', constraints: [] },
    execution: { stepsCompleted: [1, 2, 3].map((i) => ({ stepId: `s${i}`, agentId: 'src', action: 'x', result: 'r' })), currentProgress: 3, partialResults: ['p1', 'p2'], decisionsMade: ['d'] },
    reasoning: { keyFindings: ['k'], assumptions: ['a'], uncertainties: [], recommendations: [] },
    memory: { sharedFragmentIds: [] },
    metadata: { schemaVersion: 1, sourceAgentId: 'src', handoffTimestampUs: 0, contextTokens: 1000, ...overrides },
  };
}

interface Setup {
  design?: DesignPolicies;
  accepts?: number[];
  windowTokens?: number;
  route?: Partial<HandoffRoute>;
  world?: (t: CoreTestEnv) => void;
  /** Alters offers in flight (corruption) before they reach a receiver. */
  corrupt?: (offer: HandoffOffer, count: number) => HandoffOffer;
  sent?: UnsealedEnvelope;
}

async function handoff(setup: Setup = {}): Promise<{ result: HandoffSendResult | undefined; events: CoreEvent[]; t: CoreTestEnv; record?: string }> {
  const t = createCoreTestEnv();
  const design = resolveDesignPolicies(setup.design);
  const memory = new SharedMemory(t.env, design.readConsistency);
  const sender = new HandoffSender(t.env, new SpanClock(t.env.tracer, t.env.clock), 'src', { ackTimeoutMs: 100, attemptsMax: 4, backoff: { baseMs: 50, capMs: 400 } }, design, memory, () => true);
  t.network.listen('src', (message) => sender.onReply(message.body as HandoffReply));
  let offers = 0;
  for (const node of ['dst', 'backup']) {
    const receiver = new HandoffReceiver(t.env, node, setup.accepts ?? [1], design, setup.windowTokens);
    t.network.listen(node, (message) => {
      const offer = setup.corrupt ? setup.corrupt(message.body as HandoffOffer, ++offers) : (message.body as HandoffOffer);
      void receiver.onOffer(message.from, offer);
    });
  }
  setup.world?.(t);
  let result: HandoffSendResult | undefined;
  let record: string | undefined;
  void (async () => {
    result = await sender.send(setup.sent ?? body(), { targetTaskId: 'b', targetAgent: 'dst', acceptsSchemaVersions: setup.accepts ?? [1], ...setup.route }, parent, 0);
    record = (await new HandoffRecords(t.env.storage).read('wf-1/a->b'))?.record.status;
  })();
  await t.run();
  return { result, events: t.events, t, record };
}

const accepted = (events: CoreEvent[]) => events.filter((e): e is Extract<CoreEvent, { type: 'handoff.accepted' }> => e.type === 'handoff.accepted');
const phases = (events: CoreEvent[]) => events.flatMap((e) => (e.type === 'handoff.phase' ? [e.phase] : []));

describe('two-phase handoff: every recovery row of seed 000', () => {
  it('happy path: checkpointed → context-written → published → ack-received; record accepted', async () => {
    const { result, events, record } = await handoff();
    expect(result).toEqual({ outcome: 'accepted', acceptedBy: 'dst' });
    expect(phases(events)).toEqual(['checkpointed', 'context-written', 'published', 'ack-received']);
    expect(record).toBe('accepted');
  });

  it('serialization failure → retry with fallback schema (v2 body to a v1 receiver)', async () => {
    const { result, events } = await handoff({ sent: { ...body({ schemaVersion: 2 }), reasoning: { ...body().reasoning, reasoningTrace: ['t'] } } });
    expect(result?.outcome).toBe('accepted');
    expect(accepted(events)[0]?.schemaVersion).toBe(1);
  });

  it('network partition → ACK timeout, retry with exponential backoff', async () => {
    const { result, events } = await handoff({
      world: (t) => {
        const id = t.network.partition(['src'], ['dst']);
        t.kernel.schedule(300_000, () => t.network.repair(id), true);
      },
    });
    expect(result?.outcome).toBe('accepted');
    expect(phases(events).filter((p) => p === 'published').length).toBeGreaterThan(1);
  });

  it('target unavailable → route to the backup agent', async () => {
    const { result } = await handoff({ route: { backupAgents: ['backup'] }, world: (t) => t.network.crash('dst') });
    expect(result).toEqual({ outcome: 'accepted', acceptedBy: 'backup' });
  });

  it('context too large → compress via summarisation, full context behind a pointer', async () => {
    const { events } = await handoff({ design: { contextTokensMax: 500 }, sent: body({ contextTokens: 20_000 }) });
    const [taken] = accepted(events);
    expect(taken).toBeDefined();
    const published = events.find((e) => e.type === 'handoff.phase' && e.phase === 'context-written');
    expect(published).toBeDefined();
  });

  it('checksum mismatch → NACK → restore from checkpoint and re-send', async () => {
    const { result, events } = await handoff({
      corrupt: (offer, count) => (count === 1 ? { ...offer, envelope: { ...offer.envelope, task: { ...offer.envelope.task, originalQuery: 'tampered' } } } : offer),
    });
    expect(result?.outcome).toBe('accepted');
    expect(accepted(events).every((e) => e.checksumOk)).toBe(true);
  });

  it('target rejects the context (too large for its window) → re-serialize with minimal context', async () => {
    const { result } = await handoff({ windowTokens: 400, design: { contextTokensMax: 2_000 }, sent: body({ contextTokens: 10_000 }) });
    expect(result?.outcome).toBe('accepted');
  });

  it('target never answers → rolled back: record rolled_back, context deleted, handoff.rolled_back', async () => {
    const { result, events, record } = await handoff({ world: (t) => void t.network.partition(['src'], ['dst']) });
    expect(result?.outcome).toBe('rolled_back');
    expect(record).toBe('rolled_back');
    expect(events.some((e) => e.type === 'handoff.rolled_back')).toBe(true);
  });
});

describe('naive options', () => {
  it('direct (fire-and-forget) assumes success even when the offer is lost in a partition', async () => {
    const { result, events } = await handoff({ design: { handoffProtocol: 'direct' }, world: (t) => void t.network.partition(['src'], ['dst']) });
    expect(result?.outcome).toBe('accepted');
    expect(accepted(events)).toEqual([]);
  });

  it('without schema validation a v2 envelope reaches a v1 receiver and is taken', async () => {
    const sent = { ...body({ schemaVersion: 2 }), reasoning: { ...body().reasoning, reasoningTrace: ['t'] } };
    const { events } = await handoff({ design: { schemaValidation: false }, sent });
    expect(accepted(events)[0]).toMatchObject({ schemaVersion: 2, acceptedVersions: [1] });
  });
});

describe('receiver', () => {
  it('a corrupted duplicate of an accepted handoff is refused, not re-acknowledged (regression: swarm harsh seed 19)', async () => {
    // The network duplicated an offer and corrupted the copy; the receiver used to ACK any
    // duplicate of an id in its inbox, reporting an acceptance while the corrupted copy was
    // being delivered.
    const t = createCoreTestEnv();
    const receiver = new HandoffReceiver(t.env, 'dst', [1], resolveDesignPolicies({ handoffProtocol: 'direct' }), undefined);
    const replies: HandoffReply[] = [];
    t.network.listen('src', (message) => replies.push(message.body as HandoffReply));
    const good = sealEnvelope(body());
    const tampered = { ...good, task: { ...good.task, originalQuery: 'tampered' } };
    void (async () => {
      await receiver.onOffer('src', { envelope: good, protocol: 'direct' });
      await receiver.onOffer('src', { envelope: tampered, protocol: 'direct' });
      await receiver.onOffer('src', { envelope: good, protocol: 'direct' });
    })();
    await t.run();
    expect(replies.map((reply) => reply.accepted)).toEqual([true, false, true]);
    expect(replies[1]?.reason).toBe('checksum-mismatch');
    expect(accepted(t.events)).toHaveLength(2);
  });
});

describe('crash recovery of the two-phase record', () => {
  it('a restarted source rolls back what its crashed run left preparing, and deletes the context', async () => {
    const t = createCoreTestEnv();
    const design = resolveDesignPolicies();
    const memory = new SharedMemory(t.env, design.readConsistency);
    let epoch = 0;
    const sender = new HandoffSender(t.env, new SpanClock(t.env.tracer, t.env.clock), 'src', { ackTimeoutMs: 100 }, design, memory, (e) => e === epoch);
    t.network.listen('dst', () => undefined); // the target never answers
    let record: string | undefined;
    void (async () => {
      const sending = sender.send(body(), { targetTaskId: 'b', targetAgent: 'dst' }, parent, 0);
      await t.env.clock.sleepMs(50); // context written and published, waiting for the ACK
      epoch++; // crash
      sender.abandonAll();
      await sender.recoverAfterRestart();
      record = (await new HandoffRecords(t.env.storage).read('wf-1/a->b'))?.record.status;
      void sending;
    })();
    await t.run();
    expect(record).toBe('rolled_back');
    expect(t.events.filter((e) => e.type === 'handoff.rolled_back')).toHaveLength(1);
    expect(t.events.find((e) => e.type === 'handoff.rolled_back')).toMatchObject({ reason: 'source_crashed' });
  });

  it('a rollback only moves the record its own send prepared', async () => {
    const t = createCoreTestEnv();
    const records = new HandoffRecords(t.env.storage);
    const results: unknown[] = [];
    const fields = { source: 's', target: 't', sourceTaskId: 'a', checkpointKey: 'k', fragmentIds: [] };
    void (async () => {
      await records.prepare('h', { ...fields, preparedBy: 'old' });
      await records.prepare('h', { ...fields, preparedBy: 'new' });
      results.push((await records.settle('h', 'rolled_back', {}, 'old')).moved);
      results.push((await records.settle('h', 'rolled_back', {}, 'new')).moved);
    })();
    await t.run();
    expect(results).toEqual([false, true]);
  });
});
