import type { RunColumns, SpanRecord } from '../../../collector/span-rows.js';

/** Run columns of a test run recorded on `recordedDate`. */
export function runColumns(runId: string, recordedDate = '2026-01-15'): RunColumns {
  return { runId, sweepId: 'sweep-test', scenario: 'store-test', seed: 7, recordedDate, serviceName: 'baton-test' };
}

/** Span `index` of a trace: unique 16-hex span id, one event, a few typed attributes. */
export function spanRecord(index: number, traceId = '0af7651916cd43dd8448eb211c80319c'): SpanRecord {
  const startNs = 1_735_689_600_000_000_000n + BigInt(index) * 1_000n;
  return {
    traceId,
    spanId: index.toString(16).padStart(16, '0'),
    parentSpanId: index === 0 ? '' : '0000000000000000',
    name: `invoke_agent agent-${index % 7}`,
    kind: 1,
    startNs,
    endNs: startNs + 500n + BigInt(index % 13),
    statusCode: index % 11 === 0 ? 2 : 0,
    statusMessage: '',
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': `agent-${index % 7}`,
      'baton.handoff.attempt': (index % 3) + 1,
      'gen_ai.usage.input_tokens': index * 10,
    },
    events: [{ name: 'baton.retry', timeNs: startNs + 10n, attributes: { 'baton.retry.attempt': 1 } }],
  };
}
