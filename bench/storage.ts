/**
 * Storage throughput: spans/s written through the SpanSink into a store, against
 * a bulk `INSERT … FORMAT JSONEachRow` of the same rows (one payload per table),
 * measured interleaved in the same process (issue 5 goal: sink ≥ 0.5 of bulk).
 *
 * chDB (embedded): the sink writes through ChdbStore; the bulk baseline hands
 * one pre-built JSONEachRow buffer per table to a chdb Session on the same
 * data directory (`session.insert({ format: 'JSONEachRow' })`). A third
 * variant builds the rows and the JSON inside the timing, to split JS cost
 * from engine cost.
 *
 * ClickHouse 18.16 server (the bench server of harness/bench-server.ts): the
 * sink through the project's ServerStore (the bench HTTP store while there is
 * none) vs `clickhouse-client --query "INSERT … FORMAT JSONEachRow" < file`.
 * A third variant runs the sink as it was before its text path (row objects,
 * 10,000-row batches, two in flight), for a before/after ratio from one run.
 *
 * Every variant writes into its own fresh database per round, and on the
 * server each run starts once no merge runs, so merges of earlier runs never
 * slow a later one.
 *
 *   node --import tsx bench/storage.ts [--seeds 100] [--rounds 5] [--engine chdb|server]
 *
 * `--engine server` skips chDB: its session stays in the process (native
 * threads and memory) and shares the machine with the server variants.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Session } from 'chdb';
import { SpanSink, type SpanSinkOptions } from '../collector/sink/span-sink.js';
import { RunRowBinary } from '../collector/row-binary.js';
import { RunRowLines } from '../collector/span-lines.js';
import { ChdbStore } from '../collector/store/chdb-store.js';
import type { SpanStore } from '../collector/store/span-store.js';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { corpusRows, jsonEachRow, researchPipelineSpans, type RunSpans } from './harness/span-corpus.js';
import { benchServerUrl, clickhouseClientArgs, openServerStore } from './harness/bench-server.js';
import { argInteger, argValue, interleave, median, pairedRatio, type Samples, type Variant } from './harness/timing.js';

/** A directory per process: two storage benchmarks at once must not share (or delete) one. */
export const STORAGE_DATA_DIR = `/tmp/baton-bench/storage-chdb-${process.pid}`;
const STORAGE_FILES_DIR = `/tmp/baton-bench/storage-files-${process.pid}`;

/** The spans of the benchmark, as records, rows and JSONEachRow payloads. */
interface Corpus {
  runs: RunSpans[];
  spanCount: number;
  eventCount: number;
  payload: { spans: Buffer; events: Buffer };
}

export async function storageBench(): Promise<BenchRow[]> {
  const seeds = argInteger('seeds', 100);
  const rounds = argInteger('rounds', 5);
  const runs = await researchPipelineSpans(seeds);
  const rows = corpusRows(runs);
  const corpus: Corpus = {
    runs,
    spanCount: rows.spans.length,
    eventCount: rows.events.length,
    payload: { spans: jsonEachRow(rows.spans), events: jsonEachRow(rows.events) },
  };
  const label = `${seeds} seeds = ${corpus.spanCount.toLocaleString('en-US')} spans + ${corpus.eventCount.toLocaleString('en-US')} events`;
  const engine = argValue('engine');
  const chdbRows = engine === 'server' ? [] : await chdbStorageRows(corpus, rounds, label);
  const serverUrl = engine === 'chdb' ? undefined : await benchServerUrl();
  const serverRows =
    serverUrl === undefined
      ? [{ bench: 'storage', metric: 'server 18.16: not measured (no clickhouse-server)', value: NaN, unit: 'spans/s', samples: 0 }]
      : await serverStorageRows(serverUrl, corpus.runs, corpus.payload, corpus.spanCount, rounds);
  return [...chdbRows, ...serverRows];
}

/** chDB: the sink through ChdbStore vs one bulk insert per table, and JS row building + bulk insert. */
async function chdbStorageRows(corpus: Corpus, rounds: number, label: string): Promise<BenchRow[]> {
  const { runs, spanCount, payload } = corpus;
  rmSync(STORAGE_DATA_DIR, { recursive: true, force: true });
  const session = new Session(STORAGE_DATA_DIR);
  const stores: ChdbStore[] = [];
  const prepared: Record<string, ChdbStore[]> = { sink: [], bulk: [], serialise: [], rowBinary: [], compact: [] };
  for (const name of Object.keys(prepared)) {
    for (let round = 0; round <= rounds; round++) {
      // A migrated, empty database per write, prepared outside the timing.
      const store = new ChdbStore(STORAGE_DATA_DIR, `bench_storage_${stores.length}`);
      await store.migrate();
      stores.push(store);
      prepared[name].push(store);
    }
  }
  const bulkInsert = async (store: ChdbStore, spans: Buffer, events: Buffer): Promise<number> => {
    await session.insert({ table: `${store.database}.spans`, values: spans, format: 'JSONEachRow' });
    await session.insert({ table: `${store.database}.span_events`, values: events, format: 'JSONEachRow' });
    return spanCount;
  };
  // The sweep's two formats into chDB, built outside the timing: RowBinary (now) and JSONCompactEachRow (before).
  const sweepPayloads = sweepFormats(runs);
  const sweepInsert = async (store: ChdbStore, format: 'RowBinary' | 'JSONCompactEachRow'): Promise<number> => {
    const { spans, events } = sweepPayloads[format];
    if (format === 'RowBinary') {
      await store.insertRowBinary('spans', spans);
      await store.insertRowBinary('span_events', events);
    } else {
      await store.insertRaw('spans', spans, format);
      await store.insertRaw('span_events', events, format);
    }
    return spanCount;
  };
  try {
    const samples = await interleave(
      [
        { name: 'sink', run: () => writeThroughSink(prepared.sink.shift()!, runs) },
        { name: 'rowBinary', run: () => sweepInsert(prepared.rowBinary.shift()!, 'RowBinary') },
        { name: 'compact', run: () => sweepInsert(prepared.compact.shift()!, 'JSONCompactEachRow') },
        { name: 'bulk', run: () => bulkInsert(prepared.bulk.shift()!, payload.spans, payload.events) },
        {
          name: 'serialise',
          run: () => {
            const built = corpusRows(runs);
            return bulkInsert(prepared.serialise.shift()!, jsonEachRow(built.spans), jsonEachRow(built.events));
          },
        },
      ],
      rounds,
    );
    const check = await stores[0].query<{ c: string }>(`SELECT count() AS c FROM ${stores[0].database}.spans`);
    if (Number(check[0].c) !== spanCount) throw new Error(`sink stored ${check[0].c} spans, expected ${spanCount}`);
    const sinkRatio = pairedRatio(samples.sink, samples.bulk);
    const bulk = { baseline: 'bulk JSONEachRow', baselineValue: median(samples.bulk), unit: 'spans/s', samples: rounds };
    return [
      {
        bench: 'storage',
        metric: `chDB: SpanSink → ChdbStore (${label})`,
        value: median(samples.sink),
        ...bulk,
        ratio: sinkRatio,
        goal: '≥ 0.5 of bulk',
        goalStatus: sinkRatio >= 0.5 ? 'met' : 'missed',
      },
      {
        bench: 'storage',
        metric: 'chDB: the sweep’s insert, RowBinary through a file (`insertRowBinary`), rows built beforehand',
        value: median(samples.rowBinary),
        ...bulk,
        ratio: pairedRatio(samples.rowBinary, samples.bulk),
        note: `${pairedRatio(samples.rowBinary, samples.compact).toFixed(2)}× the sweep’s JSONCompactEachRow insert before it (${Math.round(median(samples.compact)).toLocaleString('en-US')} spans/s)`,
      },
      {
        bench: 'storage',
        metric: 'chDB: rows + JSON built in JS, then one bulk insert per table',
        value: median(samples.serialise),
        ...bulk,
        ratio: pairedRatio(samples.serialise, samples.bulk),
        note: 'separates JS row building from the sink’s batching',
      },
    ];
  } finally {
    for (const store of stores) await store.command(`DROP DATABASE IF EXISTS ${store.database}`).catch(() => {});
    for (const store of stores) await store.close();
    session.close();
    rmSync(STORAGE_DATA_DIR, { recursive: true, force: true });
  }
}

/** Every run's spans and span events as the sweep writes them into chDB now (RowBinary) and before (JSONCompactEachRow). */
function sweepFormats(runs: readonly RunSpans[]): Record<'RowBinary' | 'JSONCompactEachRow', { spans: Buffer; events: Buffer }> {
  const binary = runs.map((run) => {
    const rows = new RunRowBinary(run.columns);
    for (const record of run.records) rows.add(record);
    return rows;
  });
  const text = runs.map((run) => {
    const lines = new RunRowLines(run.columns, 'JSONCompactEachRow');
    return { spans: run.records.map((record) => lines.span(record)).join(''), events: run.records.map((record) => lines.events(record)).join('') };
  });
  return {
    RowBinary: { spans: Buffer.concat(binary.map((rows) => rows.spans.bytes())), events: Buffer.concat(binary.map((rows) => rows.events.bytes())) },
    JSONCompactEachRow: { spans: Buffer.from(text.map((run) => run.spans).join('')), events: Buffer.from(text.map((run) => run.events).join('')) },
  };
}

/** The same comparison on the ClickHouse 18.16 server: ServerStore vs clickhouse-client. */
async function serverStorageRows(url: string, runs: readonly RunSpans[], payload: { spans: Buffer; events: Buffer }, spanCount: number, rounds: number): Promise<BenchRow[]> {
  mkdirSync(STORAGE_FILES_DIR, { recursive: true });
  const files = { spans: `${STORAGE_FILES_DIR}/spans.jsonl`, events: `${STORAGE_FILES_DIR}/span_events.jsonl` };
  writeFileSync(files.spans, payload.spans);
  writeFileSync(files.events, payload.events);
  const opened: SpanStore[] = [];
  let via = '';
  const prepared: Record<string, string[]> = { sink: [], client: [], rowObjects: [] };
  let database = 0;
  for (const name of Object.keys(prepared)) {
    for (let round = 0; round <= rounds; round++) {
      const { store, via: how } = await openServerStore(url, `bench_storage_${process.pid}_${database++}`);
      via = how;
      await store.command(`DROP DATABASE IF EXISTS ${store.database}`);
      await store.migrate();
      opened.push(store);
      prepared[name].push(store.database);
    }
  }
  const storeOf = (db: string): SpanStore => opened.find((store) => store.database === db)!;
  try {
    const samples = await interleaveSettled(
      () => serverMergesSettled(opened[0]),
      [
        { name: 'sink', run: () => writeThroughSink(storeOf(prepared.sink.shift()!), runs) },
        { name: 'rowObjects', run: () => writeThroughSink(storeOf(prepared.rowObjects.shift()!), runs, ROW_OBJECT_SINK) },
        {
          name: 'client',
          run: () => {
            const db = prepared.client.shift()!;
            clickhouseClientInsert(`INSERT INTO ${db}.spans FORMAT JSONEachRow`, files.spans);
            clickhouseClientInsert(`INSERT INTO ${db}.span_events FORMAT JSONEachRow`, files.events);
            return spanCount;
          },
        },
      ],
      rounds,
    );
    const check = await opened[0].query<{ c: string }>(`SELECT count() AS c FROM ${opened[0].database}.spans`);
    if (Number(check[0].c) !== spanCount) throw new Error(`server sink stored ${check[0].c} spans, expected ${spanCount}`);
    const ratio = pairedRatio(samples.sink, samples.client);
    return [
      {
        bench: 'storage',
        metric: `server 18.16: SpanSink → ${via} (same rows)`,
        value: median(samples.sink),
        unit: 'spans/s',
        samples: rounds,
        baseline: 'clickhouse-client JSONEachRow < file',
        baselineValue: median(samples.client),
        ratio,
        goal: '≥ 0.5 of bulk',
        goalStatus: ratio >= 0.5 ? 'met' : 'missed',
        note: 'baseline includes clickhouse-client start-up (2 processes)',
      },
      {
        bench: 'storage',
        metric: 'server 18.16: SpanSink with row objects, 10 k-row batches, 2 in flight (the sink before its text path)',
        value: median(samples.rowObjects),
        unit: 'spans/s',
        samples: rounds,
        baseline: 'clickhouse-client JSONEachRow < file',
        baselineValue: median(samples.client),
        ratio: pairedRatio(samples.rowObjects, samples.client),
        note: `text path vs this: ${pairedRatio(samples.sink, samples.rowObjects).toFixed(2)}×`,
      },
    ];
  } finally {
    for (const store of opened) await store.command(`DROP DATABASE IF EXISTS ${store.database}`).catch(() => {});
    for (const store of opened) await store.close();
    rmSync(STORAGE_FILES_DIR, { recursive: true, force: true });
  }
}

/**
 * `interleave` (harness/timing.ts) with an untimed `settle()` before every
 * run, warm-up included: on the server, merges of the parts one variant left
 * would otherwise run during the next variant's timing (the row-object sink's
 * small inserts leave ~18 parts, ~8 s of server CPU).
 */
async function interleaveSettled(settle: () => Promise<void>, variants: readonly Variant[], rounds: number, warmupRounds = 1): Promise<Samples> {
  const samples: Samples = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  for (let round = -warmupRounds; round < rounds; round++) {
    const order = variants.map((_, index) => variants[(index + Math.max(round, 0)) % variants.length]);
    for (const variant of order) {
      await settle();
      const started = performance.now();
      const units = await variant.run();
      const seconds = (performance.now() - started) / 1000;
      if (round >= 0) samples[variant.name].push(units / seconds);
    }
  }
  return samples;
}

/** Waits until the server runs no merge (polls every 250 ms, at most 60 s). */
async function serverMergesSettled(store: SpanStore): Promise<void> {
  for (let poll = 0; poll < 240; poll++) {
    const [{ c }] = await store.query<{ c: string }>('SELECT count() AS c FROM system.merges');
    if (c === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `clickhouse-client --query SQL < file`, synchronously; throws on failure. */
function clickhouseClientInsert(sql: string, file: string): void {
  const input = openSync(file, 'r');
  try {
    const child = spawnSync('clickhouse-client', [...clickhouseClientArgs(), '--query', sql], { stdio: [input, 'ignore', 'pipe'], encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`clickhouse-client failed (${child.status}): ${child.stderr}`);
  } finally {
    closeSync(input);
  }
}

/** The sink's options before its text path (its defaults for chDB): for a before/after ratio. */
const ROW_OBJECT_SINK: SpanSinkOptions = { rowsAsText: false, batchRows: 10_000, bufferRowsMax: 50_000, writesInFlightMax: 2 };

/** Every span through a SpanSink (default options unless given), honouring its backpressure. */
async function writeThroughSink(store: SpanStore, runs: readonly RunSpans[], options: SpanSinkOptions = {}): Promise<number> {
  const sink = new SpanSink(store, options);
  for (const run of runs) {
    for (const record of run.records) {
      // add() returns a promise once the sink holds too many rows (issue 5); older sinks return nothing.
      const room = sink.add(record, run.columns) as void | Promise<void>;
      if (room !== undefined) await room;
    }
  }
  await sink.flush();
  return sink.spansWritten;
}

if (import.meta.url === `file://${process.argv[1]}`) emitRows(await storageBench());
