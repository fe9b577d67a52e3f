/**
 * Guards the kernel's cheaper microtask drain (a promise job + process.nextTick
 * instead of a setImmediate turn per wakesAsync event; BENCHMARKS.md, kernel).
 * If the drain ever let an event run before core's continuations finished, the
 * research pipeline would interleave differently: event logs, spans and the
 * report would change. So the same seeds run once on the optimised kernel and
 * once on the kernel first written (reference-kernel.ts, swapped in with
 * vi.doMock), and everything but wall-clock fields must be byte-identical.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const SCENARIO_FILE = 'scenarios/research-pipeline.yaml';
// Few seeds keep the file well under 30 s on a loaded 2-core machine; every seed runs
// ~1,500 drains, so each one exercises the drain thousands of times.
const SIMULATED_SEEDS = [1, 2, 3, 42, 1234];
const REPORTED_SEEDS = [42];
const dataDir = mkdtempSync(join(tmpdir(), 'baton-kernel-drain-'));

interface RunDigest {
  eventLogHash: string;
  eventCount: number;
  endMs: number;
  spans: string;
}

/** Imports the pipeline fresh, on the optimised kernel or on the reference one. */
async function loadPipeline(kernel: 'optimised' | 'reference') {
  vi.resetModules();
  if (kernel === 'reference') vi.doMock('../../simulator/kernel/kernel.js', () => import('./reference-kernel.js'));
  else vi.doUnmock('../../simulator/kernel/kernel.js');
  const [{ simulate }, { loadScenarioFile, simulationOptions }, { createRunTracer }, spanRows, { SeededRandom }, { runScenario }, { ChdbStore }] =
    await Promise.all([
      import('../../simulator/simulate.js'),
      import('../../scenarios/format/load-scenario.js'),
      import('../../collector/tracing/run-tracer.js'),
      import('../../collector/span-rows.js'),
      import('../../simulator/random/seeded-random.js'),
      import('../../cli/pipeline/run-scenario.js'),
      import('../../collector/store/chdb-store.js'),
    ]);
  const { Kernel } = await import('../../simulator/kernel/kernel.js');
  // The swap really happened: only the optimised kernel has resumeAfterDrain.
  expect('resumeAfterDrain' in Kernel.prototype).toBe(kernel === 'optimised');
  const scenario = loadScenarioFile(SCENARIO_FILE);
  const columns = { runId: 'r', sweepId: '', scenario: 'research-pipeline', seed: 0, recordedDate: '2025-01-01', serviceName: 'baton-sim' };

  async function digest(seed: number): Promise<RunDigest> {
    const rows: string[] = [];
    const tracer = createRunTracer(new SeededRandom(seed).stream('ids'), (span) => {
      const record = spanRows.recordFromSdkSpan(span);
      rows.push(JSON.stringify([spanRows.spanRow(record, columns), spanRows.spanEventRows(record, columns)]));
    });
    const result = await simulate(simulationOptions(scenario, seed), tracer);
    return { eventLogHash: result.eventLogHash, eventCount: result.eventCount, endMs: result.endMs, spans: rows.join('\n') };
  }

  async function reportJson(seed: number, database: string): Promise<string> {
    const store = new ChdbStore(join(dataDir, 'chdb'), database);
    try {
      const outcome = await runScenario({ scenario, seed, store });
      const { wall: _wall, ...document } = outcome.document;
      return JSON.stringify(document, null, 2);
    } finally {
      await store.close();
    }
  }
  return { digest, reportJson };
}

afterAll(() => {
  vi.doUnmock('../../simulator/kernel/kernel.js');
  rmSync(dataDir, { recursive: true, force: true });
});

type Pipeline = Awaited<ReturnType<typeof loadPipeline>>;
let optimised: Pipeline;
let reference: Pipeline;

// Both module graphs are loaded once (each load re-imports the whole pipeline);
// functions of the first keep their own module instances after the reset.
beforeAll(async () => {
  optimised = await loadPipeline('optimised');
  reference = await loadPipeline('reference');
});

describe('kernel drain on the research pipeline', () => {
  it('gives the same event logs and spans as the setImmediate kernel', async () => {
    for (const seed of SIMULATED_SEEDS) {
      const actual = await optimised.digest(seed);
      const expected = await reference.digest(seed);
      expect(actual.eventLogHash, `seed ${seed} event log`).toBe(expected.eventLogHash);
      expect(actual.eventCount).toBe(expected.eventCount);
      expect(actual.endMs).toBe(expected.endMs);
      expect(actual.spans === expected.spans, `seed ${seed} spans`).toBe(true);
      expect(actual.spans.length).toBeGreaterThan(1000);
    }
  });

  it('gives the same report.json, apart from wall, as the setImmediate kernel', async () => {
    for (const seed of REPORTED_SEEDS) {
      expect(await optimised.reportJson(seed, 'optimised'), `seed ${seed} report.json`).toBe(await reference.reportJson(seed, 'reference'));
    }
  });
});
