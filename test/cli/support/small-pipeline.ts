import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/cli.js';
import { batonInProcess } from './in-process.js';

/**
 * A work directory holding `small.yaml` (the research pipeline cut to 4
 * workflows, so variants × seeds stay fast) and a `baton` bound to it and to
 * its own embedded data directory.
 */
export function smallPipelineWorkspace(prefix: string) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const scenario = join(work, 'small.yaml');
  writeFileSync(scenario, readFileSync(join(repoRoot, 'scenarios', 'research-pipeline.yaml'), 'utf8').replace('instances: 20', 'instances: 4'));
  const baton = (...args: string[]) => batonInProcess(work, [...args, '--data-dir', join(work, 'chdb')]);
  return { work, scenario, baton };
}

/** One metric row of `baton compare --format json`. */
export interface ComparisonRow {
  metric: string;
  difference: number;
  low: number;
  high: number;
  significant: boolean;
}

/** The row of `metric` in a comparison. */
export const comparisonRow = (comparison: { metrics: ComparisonRow[] }, metric: string): ComparisonRow =>
  comparison.metrics.find((item) => item.metric === metric)!;
