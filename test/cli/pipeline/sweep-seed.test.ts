import { describe, expect, it } from 'vitest';
import { scenarioWithSwarm } from '../../../cli/commands/sweep-command.js';
import { simulateSeedRows } from '../../../cli/pipeline/sweep-seed.js';

describe('simulateSeedRows: the bytes a worker transfers', () => {
  it('span and event text each sit in an ArrayBuffer of their own, exactly the text, one row per line', async () => {
    const scenario = scenarioWithSwarm('scenarios/research-pipeline.yaml', [], 'default');
    const rows = await simulateSeedRows(scenario, { seed: 3, sweepId: 's', recordedDate: '2026-01-01', rowFormat: 'JSONCompactEachRow' });
    for (const [bytes, count] of [
      [rows.spans, rows.spanCount],
      [rows.events, rows.eventCount],
    ] as const) {
      expect(count).toBeGreaterThan(0);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.length);
      const text = Buffer.from(bytes).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').length - 1).toBe(count);
    }
  });
});

describe('simulateSeedRows: RowBinary', () => {
  it('span and event rows each sit in an ArrayBuffer of their own, and count the rows the text path counts', async () => {
    const scenario = scenarioWithSwarm('scenarios/research-pipeline.yaml', [], 'default');
    const task = { seed: 3, sweepId: 's', recordedDate: '2026-01-01' };
    const text = await simulateSeedRows(scenario, { ...task, rowFormat: 'JSONCompactEachRow' });
    const rows = await simulateSeedRows(scenario, { ...task, rowFormat: 'RowBinary' });
    expect(rows.format).toBe('RowBinary');
    expect([rows.spanCount, rows.eventCount]).toEqual([text.spanCount, text.eventCount]);
    for (const bytes of [rows.spans, rows.events]) {
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.length);
    }
    expect(rows.run).toEqual(text.run);
    expect(rows.summary.eventLogHash).toBe(text.summary.eventLogHash);
  });
});
