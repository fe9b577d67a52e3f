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
