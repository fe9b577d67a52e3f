/**
 * Where the server sink's time goes (issue 5, proposal 10): the same rows into
 * the bench ClickHouse 18.16 server by several paths, interleaved in one
 * process, with the CPU seconds of this process (all its threads) and of the
 * server per variant, and the active parts each write left. Not part of
 * `npm run bench`: a diagnostic for storage.ts.
 *
 *   node --import tsx bench/server-insert-probe.ts [--seeds 1000] [--rounds 2] [--variants client,sink,rowObjects,…]
 *
 * The simulated spans are cached under /tmp/baton-bench (simulating 1,000 seeds
 * takes longer than the probe).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createClient } from '@clickhouse/client';
import { SpanSink, type SpanSinkOptions } from '../collector/sink/span-sink.js';
import type { TableName } from '../collector/store/schema.js';
import { ServerStore } from '../collector/store/server-store.js';
import type { SpanStore } from '../collector/store/span-store.js';
import { benchServerUrl, clickhouseClientArgs } from './harness/bench-server.js';
import { corpusRows, jsonEachRow, researchPipelineSpans, type RunSpans } from './harness/span-corpus.js';
import { argInteger, argValue, median, procStatCpuMs } from './harness/timing.js';

const FILES_DIR = `/tmp/baton-bench/probe-${process.pid}`;

async function cachedRuns(seeds: number): Promise<RunSpans[]> {
  const file = `/tmp/baton-bench/probe-corpus-${seeds}.json`;
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8'), (_key, value) =>
      value !== null && typeof value === 'object' && typeof value.$n === 'string' ? BigInt(value.$n) : value,
    ) as RunSpans[];
  }
  const runs = await researchPipelineSpans(seeds);
  mkdirSync('/tmp/baton-bench', { recursive: true });
  writeFileSync(file, JSON.stringify(runs, (_key, value) => (typeof value === 'bigint' ? { $n: value.toString() } : value)));
  return runs;
}

/** A store that reads through `store` and inserts with `insert`: the probe's variants of the insert path. */
function withInsert(store: ServerStore, insert: SpanStore['insert'], close: () => Promise<void> = async () => {}): SpanStore {
  return {
    engine: 'server',
    database: store.database,
    migrate: () => store.migrate(),
    query: (sql) => store.query(sql),
    command: (sql) => store.command(sql),
    close,
    insert,
  };
}

/** ServerStore with the insert of commit a1f853a: rows handed to @clickhouse/client as `values`, 100 k per request. */
function legacyInsert(store: ServerStore, url: string): SpanStore {
  const client = createClient({ url });
  return withInsert(
    store,
    async (table: TableName, rows: readonly object[]) => {
      for (let start = 0; start < rows.length; start += 100_000) {
        await client.insert({ table: `${store.database}.${table}`, values: rows.slice(start, start + 100_000), format: 'JSONEachRow' });
      }
    },
    () => client.close(),
  );
}

/** A store whose insert builds one JSONEachRow Buffer per batch and sends it with insertRaw (the attempt that measured 0.174). */
function bufferInsert(store: ServerStore): SpanStore {
  return withInsert(store, (table: TableName, rows: readonly object[]) => store.insertRaw(table, jsonEachRow(rows)));
}

async function sinkWrite(store: SpanStore, runs: readonly RunSpans[], options: SpanSinkOptions): Promise<void> {
  const sink = new SpanSink(store, options);
  let waitedMs = 0;
  for (const run of runs) {
    for (const record of run.records) {
      const room = sink.add(record, run.columns);
      if (room !== undefined) {
        const waitStarted = performance.now();
        await room;
        waitedMs += performance.now() - waitStarted;
      }
    }
  }
  const flushStarted = performance.now();
  await sink.flush();
  console.error(`  sink: ${waitedMs.toFixed(0)} ms awaiting add(), ${(performance.now() - flushStarted).toFixed(0)} ms in the final flush`);
}

function clientInsert(sql: string, file: string): void {
  const input = openSync(file, 'r');
  try {
    const child = spawnSync('clickhouse-client', [...clickhouseClientArgs(), '--query', sql], { stdio: [input, 'ignore', 'pipe'], encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`clickhouse-client failed: ${child.stderr}`);
  } finally {
    closeSync(input);
  }
}

const seeds = argInteger('seeds', 1000);
const rounds = argInteger('rounds', 2);
const url = await benchServerUrl();
if (url === undefined) throw new Error('no bench server');
let started = performance.now();
const runs = await cachedRuns(seeds);
const rows = corpusRows(runs);
const payload = { spans: jsonEachRow(rows.spans), events: jsonEachRow(rows.events) };
console.error(`corpus: ${rows.spans.length} spans + ${rows.events.length} events, ${(payload.spans.length / 2 ** 20).toFixed(0)} + ${(payload.events.length / 2 ** 20).toFixed(0)} MiB, ${((performance.now() - started) / 1000).toFixed(1)} s`);
mkdirSync(FILES_DIR, { recursive: true });
const files = { spans: `${FILES_DIR}/spans.jsonl`, events: `${FILES_DIR}/events.jsonl` };
writeFileSync(files.spans, payload.spans);
writeFileSync(files.events, payload.events);

/** CPU milliseconds the bench server process used so far (Linux /proc; clock ticks of 10 ms). */
function serverCpuMs(): number {
  try {
    const pid = readFileSync('/tmp/baton-bench/ch-server/clickhouse-server.pid', 'utf8').trim();
    return procStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')).ownMs;
  } catch {
    return NaN;
  }
}

type Run = (store: ServerStore) => Promise<void>;
const all: Record<string, Run> = {
  client: async (store) => {
    clientInsert(`INSERT INTO ${store.database}.spans FORMAT JSONEachRow`, files.spans);
    clientInsert(`INSERT INTO ${store.database}.span_events FORMAT JSONEachRow`, files.events);
  },
  /** The sink's defaults: for ServerStore the text path, 100 k-span batches, one insert at a time. */
  sink: (store) => sinkWrite(store, runs, {}),
  /** The sink before its text path: row objects, 10 k-span batches, two in flight. */
  rowObjects: (store) => sinkWrite(store, runs, { rowsAsText: false, batchRows: 10_000, bufferRowsMax: 50_000, writesInFlightMax: 2 }),
  /** The same through @clickhouse/client's insert as ServerStore had it before (no query_id). */
  legacyInsert: (store) => sinkWrite(legacyInsert(store, url), runs, {}),
  rowObjects100k1: (store) => sinkWrite(store, runs, { rowsAsText: false, batchRows: 100_000, bufferRowsMax: 250_000, writesInFlightMax: 1 }),
  text50k1: (store) => sinkWrite(store, runs, { batchRows: 50_000, bufferRowsMax: 150_000, writesInFlightMax: 1 }),
  text50k2: (store) => sinkWrite(store, runs, { batchRows: 50_000, bufferRowsMax: 250_000, writesInFlightMax: 2 }),
  /** Row-object batches each sent as one Buffer through insertRaw (an earlier attempt that measured 0.174). */
  bufferInsert: (store) => sinkWrite(bufferInsert(store), runs, {}),
  /** Pre-built rows, `ServerStore.insert` (JS JSON + server), no sink. */
  rows: async (store) => {
    await store.insert('spans', rows.spans);
    await store.insert('span_events', rows.events);
  },
  /** Pre-built JSONEachRow Buffers, one request per table: the server's share alone. */
  rawWhole: async (store) => {
    await store.insertRaw('spans', payload.spans);
    await store.insertRaw('span_events', payload.events);
  },
  /** Rows and JSON Buffers built in JS, nothing sent. */
  build: async () => {
    const built = corpusRows(runs);
    jsonEachRow(built.spans);
    jsonEachRow(built.events);
  },
};
const names = (argValue('variants') ?? 'client,sink,rowObjects').split(',');
const samples: Record<string, { ms: number[]; cpuMs: number[]; parts: number[] }> = Object.fromEntries(names.map((name) => [name, { ms: [], cpuMs: [], parts: [] }]));
let database = 0;
for (let round = 0; round < rounds; round++) {
  const order = names.map((_, index) => names[(index + round) % names.length]);
  for (const name of order) {
    const store = new ServerStore(`${url}/probe_${process.pid}_${database++}`);
    await store.migrate();
    const cpu = process.cpuUsage();
    const serverCpu = serverCpuMs();
    started = performance.now();
    await all[name](store);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const serverUsedMs = serverCpuMs() - serverCpu;
    const parts = await store.query<{ c: string }>(`SELECT count() AS c FROM system.parts WHERE database = '${store.database}' AND active`);
    samples[name].ms.push(ms);
    samples[name].cpuMs.push((used.user + used.system) / 1000);
    samples[name].parts.push(Number(parts[0].c));
    console.error(`round ${round} ${name}: ${ms.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms node CPU, ${serverUsedMs.toFixed(0)} ms server CPU, ${parts[0].c} parts`);
    await store.command(`DROP DATABASE IF EXISTS ${store.database}`);
    await store.close();
  }
}
const client = samples.client;
for (const name of names) {
  const s = samples[name];
  const ratio = client ? median(s.ms.map((ms, index) => client.ms[index] / ms)) : NaN;
  console.log(`${name}\twall ${median(s.ms).toFixed(0)} ms\tnode CPU ${median(s.cpuMs).toFixed(0)} ms\tparts ${median(s.parts)}\tvs client ${ratio.toFixed(3)}`);
}
rmSync(FILES_DIR, { recursive: true, force: true });
