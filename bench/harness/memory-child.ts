/**
 * Child process of bench/memory.ts: runs one interim sweep (the batched
 * pipeline of sweep-pipeline.ts) of `--seeds N` into a fresh chDB directory
 * and prints its peak RSS as JSON. A child per measurement, so that every
 * peak starts from an empty process.
 */
import { rmSync } from 'node:fs';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { loadResearchPipeline } from './research-pipeline.js';
import { sweepAggregate } from './sweep-aggregate.js';
import { batchedSweep } from './sweep-pipeline.js';
import { argInteger, argValue } from './timing.js';

const seeds = argInteger('seeds', 1000);
const dataDir = argValue('data-dir') ?? '/tmp/baton-bench/memory';
rmSync(dataDir, { recursive: true, force: true });
const store = new ChdbStore(dataDir);
try {
  const totals = await batchedSweep(loadResearchPipeline(), store, seeds, 'memory', sweepAggregate);
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ ...totals, maxRssKiB: usage.maxRSS, heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20 }));
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
