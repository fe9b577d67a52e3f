import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioWithSwarm } from '../../cli/commands/sweep-command.js';
import { simulateSeeds, SweepWorkers } from '../../cli/pipeline/sweep-pool.js';
import { simulateSeedRows, type SeedRows } from '../../cli/pipeline/sweep-seed.js';
import { RowWriter } from '../../cli/pipeline/sweep.js';
import { ChdbStore } from '../../collector/store/chdb-store.js';
import { tableColumns } from '../../collector/store/schema.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import { repoRoot } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-sweep-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = scenarioWithSwarm(join(repoRoot, 'scenarios', 'research-pipeline.yaml'), ['workload.instances=6'], 'default');
const task = (seed: number) => ({ seed, sweepId: 'writer-test', recordedDate: '2026-11-21' });
const lines = (bytes: Uint8Array): object[] =>
  Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as object);

async function tableRows(store: SpanStore): Promise<Record<string, unknown[]>> {
  return {
    spans: await store.query(`SELECT * FROM ${store.database}.spans ORDER BY run_id, trace_id, span_id`),
    span_events: await store.query(`SELECT * FROM ${store.database}.span_events ORDER BY run_id, trace_id, span_id, event_index`),
    runs: await store.query(`SELECT * FROM ${store.database}.runs ORDER BY run_id`),
    violations: await store.query(`SELECT * FROM ${store.database}.violations ORDER BY run_id, violation_index`),
    run_metrics: await store.query(`SELECT * FROM ${store.database}.run_metrics ORDER BY run_id, family, kind, source, target`),
  };
}

describe('sweep RowWriter and worker pool', () => {
  it.each(['JSONEachRow', 'JSONCompactEachRow', 'RowBinary'] as const)('overlapped batches of %s rows store exactly the rows a plain insert of the row objects stores', async (rowFormat) => {
    const seeds: SeedRows[] = [];
    const compact: SeedRows[] = [];
    for (let seed = 1; seed <= 12; seed++) seeds.push(await simulateSeedRows(scenario, task(seed)));
    for (let seed = 1; seed <= 12; seed++) compact.push(await simulateSeedRows(scenario, { ...task(seed), rowFormat }));
    const plain = new ChdbStore(join(dir, 'chdb'), `plain_${rowFormat}`);
    const batched = new ChdbStore(join(dir, 'chdb'), `batched_${rowFormat}`);
    try {
      await plain.migrate();
      await batched.migrate();
      for (const rows of seeds) {
        await plain.insert('spans', lines(rows.spans));
        await plain.insert('span_events', lines(rows.events));
        await plain.insert('runs', [rows.run]);
        if (rows.violations.length > 0) await plain.insert('violations', rows.violations);
        await plain.insert('run_metrics', rows.metrics);
      }
      // A batch of ~300 span rows: every few seeds a write starts while the next batch fills.
      let spanWrites = 0;
      const counted = Object.assign(Object.create(batched) as ChdbStore, {
        insertRaw: (table: 'spans', text: Buffer, format?: 'JSONEachRow' | 'JSONCompactEachRow') => {
          if (table === 'spans') spanWrites++;
          return batched.insertRaw(table, text, format);
        },
        insertRowBinary: (table: 'spans', bytes: Uint8Array) => {
          if (table === 'spans') spanWrites++;
          return batched.insertRowBinary(table, bytes);
        },
      });
      const writer = new RowWriter(counted, 300);
      for (const rows of compact) await writer.add(rows);
      await writer.flush();
      expect(compact.every((rows) => rows.format === rowFormat)).toBe(true);
      const expected = await tableRows(plain);
      expect(expected.spans.length).toBe(seeds.reduce((sum, rows) => sum + rows.spanCount, 0));
      expect(expected.span_events.length).toBe(seeds.reduce((sum, rows) => sum + rows.eventCount, 0));
      expect(expected.runs.length).toBe(12);
      expect(expected.run_metrics.length).toBe(seeds.reduce((sum, rows) => sum + rows.metrics.length, 0));
      expect(expected.run_metrics.length).toBeGreaterThan(12);
      expect(await tableRows(batched)).toEqual(expected);
      expect(spanWrites).toBeGreaterThan(3);
    } finally {
      await plain.close();
      await batched.close();
    }
  }, 120_000);

  it('row keys, and tableColumns(), are the tables\' columns in order (what JSONCompactEachRow relies on)', async () => {
    const rows = await simulateSeedRows(scenario, task(1));
    const store = new ChdbStore(join(dir, 'chdb'), 'columns');
    try {
      await store.migrate();
      for (const [table, text] of [['spans', rows.spans], ['span_events', rows.events]] as const) {
        const columns = await store.query<{ name: string }>(`DESCRIBE TABLE columns.${table}`);
        expect(Object.keys(lines(text)[0]), table).toEqual(columns.map((column) => column.name));
        expect(tableColumns(table), table).toEqual(columns.map((column) => column.name));
      }
      for (const table of ['runs', 'violations', 'run_metrics'] as const) {
        const columns = await store.query<{ name: string }>(`DESCRIBE TABLE columns.${table}`);
        expect(tableColumns(table), table).toEqual(columns.map((column) => column.name));
      }
      const metricColumns = await store.query<{ name: string }>('DESCRIBE TABLE columns.run_metrics');
      expect(Object.keys(rows.metrics[0]!)).toEqual(metricColumns.map((column) => column.name));
    } finally {
      await store.close();
    }
  });

  it('inserts run-level rows once every batchRuns runs, always after the spans of their runs and with their metrics and violations', async () => {
    const store = new ChdbStore(join(dir, 'chdb'), 'run_level');
    await store.migrate();
    const inserts: { table: string; runs: string[] }[] = [];
    const watched = Object.assign(Object.create(store) as ChdbStore, {
      insert: async (table: 'runs', rows: { run_id: string }[]) => {
        const runs = [...new Set(rows.map((row) => row.run_id))];
        inserts.push({ table, runs });
        if (table === 'runs') {
          const stored = await store.query<{ run_id: string }>(`SELECT DISTINCT run_id FROM run_level.spans WHERE run_id IN (${runs.map((id) => `'${id}'`).join(', ')})`);
          expect(stored.length, 'every run of a runs insert has its spans stored').toBe(runs.length);
          const metrics = inserts.filter((insert) => insert.table === 'run_metrics').flatMap((insert) => insert.runs);
          for (const id of runs) expect(metrics, 'metrics before the run row').toContain(id);
        }
        return store.insert(table, rows);
      },
    });
    // A span batch every seed or two, run-level rows once 5 runs have gathered, and at the end.
    let spanWrites = 0;
    const counted = Object.assign(watched, {
      insertRowBinary: (table: 'spans', bytes: Uint8Array) => {
        if (table === 'spans') spanWrites++;
        return store.insertRowBinary(table, bytes);
      },
    });
    const writer = new RowWriter(counted, 300, 5);
    for (let seed = 1; seed <= 12; seed++) await writer.add(await simulateSeedRows(scenario, { ...task(seed), rowFormat: 'RowBinary' }));
    await writer.flush();
    const sizes = inserts.filter((insert) => insert.table === 'runs').map((insert) => insert.runs.length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(12);
    expect(sizes.slice(0, -1).every((size) => size >= 5)).toBe(true);
    expect(sizes.length).toBeGreaterThan(1);
    expect(spanWrites).toBeGreaterThan(sizes.length);
    expect(inserts.filter((insert) => insert.table === 'run_metrics').map((insert) => insert.runs.length)).toEqual(sizes);
    expect((await store.query(`SELECT count() AS c FROM run_level.runs`))[0]).toEqual({ c: '12' });
    await store.close();
  });

  it('a failed write surfaces at the next wait (add or flush), never as an unhandled rejection', async () => {
    const seeds: SeedRows[] = [];
    for (let seed = 1; seed <= 4; seed++) seeds.push(await simulateSeedRows(scenario, task(seed)));
    let writes = 0;
    const failing = {
      engine: 'chdb',
      database: 'baton',
      insertRaw: async () => {
        writes++;
        throw new Error('disk full');
      },
      insert: async () => {},
    } as unknown as SpanStore;
    const writer = new RowWriter(failing, 1);
    await writer.add(seeds[0]); // starts the first write
    await expect(writer.add(seeds[1])).rejects.toThrow('disk full');
    const again = new RowWriter(failing, 1_000_000);
    for (const rows of seeds) await again.add(rows);
    await expect(again.flush()).rejects.toThrow('disk full');
    expect(writes).toBe(2);
  });

  it('with one job, the event loop turns between seeds, so a write under way goes on beside the next seed', async () => {
    const order: string[] = [];
    await simulateSeeds(scenario, [task(1), task(2), task(3)], undefined, async (rows) => {
      const seed = rows.summary.seed;
      order.push(`rows ${seed}`);
      // What an insert's next step waits for: a turn of the event loop (I/O callbacks, then immediates).
      setImmediate(() => order.push(`turn after ${seed}`));
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['rows 1', 'turn after 1', 'rows 2', 'turn after 2', 'rows 3', 'turn after 3']);
  });

  it('with jobs 2, workers wait when rows pile up for a slow writer: at most 2 × jobs seeds pending, every seed once', async () => {
    const tasks = Array.from({ length: 14 }, (_, index) => task(index + 1));
    const delivered: number[] = [];
    const workers = new SweepWorkers(scenario, 2);
    const { pendingPeak } = await simulateSeeds(scenario, tasks, workers, async (rows) => {
      delivered.push(rows.summary.seed);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }).finally(() => workers.terminate());
    expect([...delivered].sort((a, b) => a - b)).toEqual(tasks.map((entry) => entry.seed));
    expect(pendingPeak).toBeLessThanOrEqual(4);
    expect(pendingPeak).toBeGreaterThan(1);
  }, 120_000);
});
