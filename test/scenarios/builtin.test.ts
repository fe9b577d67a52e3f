import { readdirSync } from 'node:fs';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulationOptions } from '../../scenarios/format/load-scenario.js';
import { simulate } from '../../simulator/simulate.js';

// Every built-in scenario loads against the schema and runs one seed; the
// pattern scenarios and every robust variant run clean.
const files = readdirSync('scenarios').filter((name) => name.endsWith('.yaml'));

describe('built-in scenarios', () => {
  it('the library has one naive and one robust variant per failure mode, plus the pattern scenarios', () => {
    const naive = files.filter((name) => name.endsWith('-naive.yaml')).map((name) => name.replace('-naive.yaml', ''));
    const robust = files.filter((name) => name.endsWith('-robust.yaml')).map((name) => name.replace('-robust.yaml', ''));
    expect(naive.sort()).toEqual(robust.sort());
    expect(naive.length).toBe(8);
    for (const pattern of ['due-diligence', 'hierarchical-supervisor', 'debate', 'customer-support-triage']) expect(files).toContain(`${pattern}.yaml`);
  });

  for (const file of files) {
    it(`${file} loads and runs seed 1${file.endsWith('-naive.yaml') ? '' : ' without violations'}`, async () => {
      const result = await simulate(simulationOptions(loadScenarioFile(`scenarios/${file}`), 1), trace.getTracer('builtin'));
      expect(result.eventCount).toBeGreaterThan(0);
      if (!file.endsWith('-naive.yaml') && file !== 'research-pipeline.yaml') expect(result.violations).toEqual([]);
    });
  }
});
