import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioWithSwarm } from '../../../cli/commands/sweep-command.js';
import { simulateSeedRows } from '../../../cli/pipeline/sweep-seed.js';

/**
 * Golden runs: digests of everything a sweep stores for fixed seeds of every
 * built-in scenario (and the research pipeline under each swarm preset). The
 * fixture next to this file was recorded before the performance work; an
 * optimisation must leave every digest unchanged. When behaviour changes on
 * purpose, re-record with `node --import tsx test/bench/golden/record.ts`.
 */
export interface GoldenRun {
  scenario: string;
  swarm: string | null;
  seed: number;
  eventLogHash: string;
  spans: number;
  events: number;
  violations: number;
  /** SHA-256 of the JSON of every row the seed stores (spans, span events, run, violations). */
  rowsSha256: string;
}

const SCENARIO_DIR = 'scenarios';
const PLAIN_SEEDS = [1, 2, 3];
const SWARM_SEEDS = [1, 2, 3, 4, 5];
const SWARMS = ['lite', 'default', 'harsh'];

/** The (scenario, swarm, seed) cases of the golden file, in a fixed order. */
export function goldenCases(): { file: string; swarm: string | null; seed: number }[] {
  const cases: { file: string; swarm: string | null; seed: number }[] = [];
  for (const name of readdirSync(SCENARIO_DIR).filter((entry) => entry.endsWith('.yaml')).sort()) {
    for (const seed of PLAIN_SEEDS) cases.push({ file: join(SCENARIO_DIR, name), swarm: null, seed });
  }
  for (const swarm of SWARMS) for (const seed of SWARM_SEEDS) cases.push({ file: join(SCENARIO_DIR, 'research-pipeline.yaml'), swarm, seed });
  return cases;
}

/** Runs one golden case the way `baton sweep` does and digests its rows. */
export async function goldenRun(file: string, swarm: string | null, seed: number): Promise<GoldenRun> {
  const scenario = scenarioWithSwarm(file, [], swarm ?? undefined);
  const rows = await simulateSeedRows(scenario, { seed, sweepId: 'golden', recordedDate: '2026-01-01' });
  const hash = createHash('sha256');
  // The span and event text is hashed as the sweep stores it; the recorded digests hashed
  // `JSON.stringify(row)` + newline per row object, so the text must be exactly that.
  hash.update(rows.spans);
  hash.update(rows.events);
  hash.update(`${JSON.stringify(rows.run)}\n`);
  for (const row of rows.violations) hash.update(`${JSON.stringify(row)}\n`);
  return {
    scenario: file,
    swarm,
    seed,
    eventLogHash: rows.summary.eventLogHash,
    spans: rows.spanCount,
    events: rows.eventCount,
    violations: rows.violations.length,
    rowsSha256: hash.digest('hex'),
  };
}
