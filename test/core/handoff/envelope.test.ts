import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelopeChecksum, sealEnvelope, verifyEnvelope, type UnsealedEnvelope } from '../../../core/handoff/envelope.js';

function unsealed(): UnsealedEnvelope {
  return {
    handoffId: 'wf-1/research->analyze',
    workflowId: 'wf-1',
    sourceTaskId: 'research',
    targetTaskId: 'analyze',
    task: { originalQuery: 'Compare SaaS pricing', taskDescription: 'research', constraints: ['B2B only'] },
    execution: {
      stepsCompleted: [{ stepId: 'research', agentId: 'researcher', action: 'research', result: 'found 3' }],
      currentProgress: 1,
      partialResults: ['found 3'],
      decisionsMade: ['excluded freemium tiers'],
    },
    reasoning: { keyFindings: ['3 competitors'], assumptions: [], uncertainties: [], recommendations: [] },
    memory: { sharedFragmentIds: [] },
    metadata: { schemaVersion: 1, sourceAgentId: 'researcher', handoffTimestampUs: 1_000, contextTokens: 1200 },
  };
}

describe('handoff envelope', () => {
  it('checksum is the SHA-256 of the canonical JSON without the checksum field', () => {
    const envelope = unsealed();
    const canonical =
      '{"execution":{"currentProgress":1,"decisionsMade":["excluded freemium tiers"],"partialResults":["found 3"],' +
      '"stepsCompleted":[{"action":"research","agentId":"researcher","result":"found 3","stepId":"research"}]},' +
      '"handoffId":"wf-1/research->analyze","memory":{"sharedFragmentIds":[]},' +
      '"metadata":{"contextTokens":1200,"handoffTimestampUs":1000,"schemaVersion":1,"sourceAgentId":"researcher"},' +
      '"reasoning":{"assumptions":[],"keyFindings":["3 competitors"],"recommendations":[],"uncertainties":[]},' +
      '"sourceTaskId":"research","targetTaskId":"analyze",' +
      '"task":{"constraints":["B2B only"],"originalQuery":"Compare SaaS pricing","taskDescription":"research"},"workflowId":"wf-1"}';
    expect(envelopeChecksum(envelope)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not depend on key order', () => {
    const envelope = unsealed();
    const reordered = JSON.parse(JSON.stringify(Object.assign({ metadata: envelope.metadata }, envelope))) as UnsealedEnvelope;
    expect(envelopeChecksum(reordered)).toBe(envelopeChecksum(envelope));
  });

  it('a sealed envelope verifies; any change to its content is caught', () => {
    const sealed = sealEnvelope(unsealed());
    expect(verifyEnvelope(sealed, [1])).toBeUndefined();
    const tampered = { ...sealed, execution: { ...sealed.execution, decisionsMade: [] } };
    expect(verifyEnvelope(tampered, [1])).toBe('checksum-mismatch');
    const survivesJson = JSON.parse(JSON.stringify(sealed));
    expect(verifyEnvelope(survivesJson, [1])).toBeUndefined();
  });

  it('the receiver refuses a schema version it does not accept', () => {
    const sealed = sealEnvelope({ ...unsealed(), metadata: { ...unsealed().metadata, schemaVersion: 2 } });
    expect(verifyEnvelope(sealed, [1])).toBe('schema-version-unsupported');
    expect(verifyEnvelope(sealed, [1, 2])).toBeUndefined();
  });

  it('a malformed envelope is refused', () => {
    expect(verifyEnvelope({ handoffId: 'x' } as never, [1])).toBe('malformed');
  });
});
