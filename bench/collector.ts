/**
 * Collector throughput: spans/s accepted over OTLP/HTTP (JSON and protobuf)
 * by `baton collector` with a store behind it, p50/p99 request latency, the
 * time the store needs to hold every accepted span, and peak RSS; then an
 * overload (store unreachable, small spool) where the collector must answer
 * 503/429 with its memory bounded. Issue 7 goal: ≥ 50,000 spans/s accepted.
 *
 * Three processes, so that the load generator never shares a thread with the
 * collector: this orchestrator, the collector (the real CLI, `baton collector`)
 * and the load generator (`bench/collector.ts load`, keep-alive HTTP with
 * `--connections` requests in flight, bodies serialized beforehand by the OTel
 * exporters' own serializers from SDK spans).
 *
 *   node --import tsx bench/collector.ts [--seconds 8] [--rounds 3] [--connections 8]
 *     [--spans-per-request 512] [--engine chdb|server|both|none] [--no-overload] [--overload-seconds 20]
 *     [--decode-threads 0,2] [--encodings json,protobuf]
 *
 * `--engine server` starts a private ClickHouse 18.16 with .ci/clickhouse.sh on
 * /tmp/baton-bench/collector-ch, HTTP port 18323 (TCP 19323); BENCH_COLLECTOR_NODE_ARGS
 * adds node flags to the collector (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { emitRows, type BenchRow } from './harness/bench-row.js';
import { argInteger, argValue, median } from './harness/timing.js';
import { compiledBaton } from './harness/compiled-cli.js';
import { workflowSpans } from './harness/otlp-bodies.js';

const WORK_DIR = '/tmp/baton-bench/collector';
const SERVER_DIR = '/tmp/baton-bench/collector-ch';
const SERVER_HTTP_PORT = 18323;
const SERVER_TCP_PORT = 19323;
const GOAL_SPANS_PER_S = 50_000;
const BODIES = 8;
const tsx = ['--import', 'tsx'];

type Encoding = 'json' | 'protobuf';
const MEDIA: Record<Encoding, string> = { json: 'application/json', protobuf: 'application/x-protobuf' };

/** What the load generator reports. */
interface LoadResult {
  seconds: number;
  requests: number;
  spansAccepted: number;
  statuses: Record<string, number>;
  latencyMsP50: number;
  latencyMsP99: number;
}

// ---------------------------------------------------------------- load child

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Posts bodies from `connections` loops until `seconds` pass; a 429/503 waits `backoffMs` and goes on. */
async function loadChild(): Promise<void> {
  const url = new URL(argValue('url')!);
  const encoding = argValue('encoding') as Encoding;
  const seconds = argInteger('seconds', 8);
  const connections = argInteger('connections', 8);
  const spansPerRequest = argInteger('spans-per-request', 512);
  const backoffMs = argInteger('backoff-ms', 20);
  const bodies = Array.from({ length: BODIES }, (_, body) => {
    const spans = workflowSpans(spansPerRequest, body);
    const bytes = encoding === 'json' ? JsonTraceSerializer.serializeRequest(spans) : ProtobufTraceSerializer.serializeRequest(spans);
    return Buffer.from(bytes!);
  });
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: '/v1/traces', method: 'POST', agent, headers: { 'content-type': MEDIA[encoding], 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let spansAccepted = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let next = worker; performance.now() < deadline; next += connections) {
        const sent = performance.now();
        const status = await post(bodies[next % BODIES]!);
        latencies.push(performance.now() - sent);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 200) spansAccepted += spansPerRequest;
        else await new Promise((resolve) => setTimeout(resolve, backoffMs));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const result: LoadResult = { seconds: elapsed, requests: latencies.length, spansAccepted, statuses, latencyMsP50: percentile(latencies, 0.5), latencyMsP99: percentile(latencies, 0.99) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ------------------------------------------------------------- orchestrator

interface Collector {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `baton collector` on a free port with a fresh spool (and chDB directory). */
async function startCollectorChild(name: string, extra: string[]): Promise<Collector> {
  const dir = join(WORK_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  const nodeArgs = (process.env.BENCH_COLLECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, ...compiledBaton(), 'collector', '--port', '0', '--insecure-no-auth', '--spool', join(dir, 'spool'), '--data-dir', join(dir, 'chdb'), ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BATON_CLICKHOUSE_URL: '' } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`collector exited with ${code} before listening`)));
  });
  return { child, url, exited };
}

function runLoad(url: string, encoding: Encoding, seconds: number, connections: number, spansPerRequest: number): Promise<LoadResult> {
  const args = [...tsx, 'bench/collector.ts', 'load', '--url', url, '--encoding', encoding, '--seconds', String(seconds), '--connections', String(connections), '--spans-per-request', String(spansPerRequest)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult) : reject(new Error(`load generator exited with ${code}`))));
  });
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/** CPU seconds (user + system) a live process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}
const CLOCK_TICKS_PER_S = 100;

/** Resident set (VmRSS) of a live process now, MiB. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Peak resident set (VmHWM) of a live process, MiB. */
function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

async function stop(collector: Collector): Promise<void> {
  collector.child.kill('SIGTERM');
  await collector.exited;
}

interface RoundResult {
  acceptedPerS: number;
  /** Spans accepted and stored per CPU second of the collector process: what the collector costs, whatever else runs. */
  perCpuS: number;
  storedPerS: number;
  p50: number;
  p99: number;
  rssMiB: number;
  refused: number;
}

/** One timed round: load for `seconds`, then wait until the store holds every accepted span. */
async function throughputRound(engine: string, encoding: Encoding, storeArgs: string[], options: { seconds: number; connections: number; spansPerRequest: number }): Promise<RoundResult> {
  const collector = await startCollectorChild(`${engine}-${encoding}`, storeArgs);
  try {
    const started = performance.now();
    const cpuBefore = cpuSeconds(collector.child.pid!);
    const load = await runLoad(collector.url, encoding, options.seconds, options.connections, options.spansPerRequest);
    const deadline = performance.now() + 120_000;
    while ((await metric(collector.url, 'baton_collector_spans_written_total')) < load.spansAccepted) {
      if (performance.now() > deadline) throw new Error('the store did not catch up within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const storedSeconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(collector.child.pid!) - cpuBefore;
    const refused = Object.entries(load.statuses).filter(([status]) => status !== '200').reduce((sum, [, count]) => sum + count, 0);
    return {
      acceptedPerS: load.spansAccepted / load.seconds,
      perCpuS: load.spansAccepted / cpu,
      storedPerS: load.spansAccepted / storedSeconds,
      p50: load.latencyMsP50,
      p99: load.latencyMsP99,
      rssMiB: peakRssMiB(collector.child.pid!),
      refused,
    };
  } finally {
    await stop(collector);
  }
}

/** Overload: the store is unreachable and the spool small, so the spool fills and the collector must refuse. */
async function overloadRound(seconds: number, spansPerRequest: number): Promise<BenchRow[]> {
  const spoolBytesMax = 64 * 1024 * 1024;
  // 128 bodies of ~0.5 MiB in flight pass the 64 MiB in-flight budget: some 429s too.
  const connections = 128;
  const collector = await startCollectorChild('overload', ['--clickhouse', 'http://127.0.0.1:1/baton', '--spool-bytes-max', String(spoolBytesMax)]);
  try {
    // RSS sampled through the run: bounded memory shows as a flat second half, not a climb.
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMiB(collector.child.pid!)), 250);
    const load = await runLoad(collector.url, 'json', seconds, connections, spansPerRequest).finally(() => clearInterval(sampler));
    const rss = peakRssMiB(collector.child.pid!);
    const half = Math.floor(samples.length / 2);
    const firstHalfMax = Math.max(...samples.slice(0, half));
    const secondHalfMax = Math.max(...samples.slice(half));
    const statuses = Object.entries(load.statuses).map(([status, count]) => `${status}×${count}`).join(' ');
    const note = `store unreachable, spool limit 64 MiB, ${connections} connections × ${spansPerRequest} spans, ${seconds} s: ${statuses}`;
    return [
      { bench: 'collector overload', metric: 'peak RSS', value: rss, unit: 'MiB', samples: 1, note },
      { bench: 'collector overload', metric: 'RSS max, first half of the run', value: firstHalfMax, unit: 'MiB', samples: samples.length },
      { bench: 'collector overload', metric: 'RSS max, second half of the run', value: secondHalfMax, unit: 'MiB', samples: samples.length },
      { bench: 'collector overload', metric: 'request latency p99 (200s and refusals)', value: load.latencyMsP99, unit: 'ms', samples: 1 },
      { bench: 'collector overload', metric: 'refused requests (429/503)', value: (load.statuses['429'] ?? 0) + (load.statuses['503'] ?? 0), unit: 'requests', samples: 1 },
    ];
  } finally {
    await stop(collector);
  }
}

/** A ClickHouse 18.16 URL of our own server, or undefined when it cannot start. */
function startClickHouse(): string | undefined {
  try {
    execFileSync('bash', ['.ci/clickhouse.sh', 'start', SERVER_DIR, String(SERVER_HTTP_PORT)], {
      env: { ...process.env, BATON_CH_TCP_PORT: String(SERVER_TCP_PORT) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return `http://127.0.0.1:${SERVER_HTTP_PORT}/bench_collector`;
  } catch {
    return undefined;
  }
}

async function orchestrate(): Promise<void> {
  const seconds = argInteger('seconds', 8);
  const rounds = argInteger('rounds', 3);
  const connections = argInteger('connections', 8);
  const spansPerRequest = argInteger('spans-per-request', 512);
  const engineChoice = argValue('engine') ?? 'both';
  const engines: { name: string; args: string[] }[] = [];
  if (engineChoice !== 'server' && engineChoice !== 'none') engines.push({ name: 'chdb', args: [] });
  if (engineChoice !== 'chdb' && engineChoice !== 'none') {
    const url = startClickHouse();
    if (url) engines.push({ name: 'clickhouse-18.16', args: ['--clickhouse', url] });
    else console.error('collector bench: ClickHouse 18.16 did not start; server rows skipped');
  }
  const rows: BenchRow[] = [];
  // `--decode-threads 0,2` compares thread counts in the same run, interleaved round by round.
  const threadChoices: (string | undefined)[] = argValue('decode-threads')?.split(',').filter(Boolean) ?? [undefined];
  const encodings = (argValue('encodings')?.split(',') ?? ['json', 'protobuf']) as ('json' | 'protobuf')[];
  for (const engine of engines) {
    for (const encoding of encodings) {
      const results = new Map<string | undefined, RoundResult[]>(threadChoices.map((choice) => [choice, []]));
      for (let round = 0; round < rounds; round += 1) {
        for (const choice of round % 2 === 0 ? threadChoices : [...threadChoices].reverse()) {
          const args = choice === undefined ? engine.args : [...engine.args, '--decode-threads', choice];
          const last = await throughputRound(engine.name, encoding, args, { seconds, connections, spansPerRequest });
          results.get(choice)!.push(last);
          console.error(`  ${engine.name} ${encoding}${choice === undefined ? '' : ` decode threads ${choice}`} round ${round + 1}: ${Math.round(last.acceptedPerS)} spans/s accepted, ${Math.round(last.storedPerS)} stored, ${Math.round(last.perCpuS)} per collector CPU-s, p99 ${last.p99.toFixed(1)} ms`);
        }
      }
      for (const [choice, runs] of results) {
        const bench = `collector ${encoding} → ${engine.name}${choice === undefined ? '' : `, decode threads ${choice}`}`;
        const accepted = median(runs.map((r) => r.acceptedPerS));
        const note = `${connections} connections × ${spansPerRequest} spans/request, ${seconds} s per round; refused ${runs.map((r) => r.refused).join('/')}`;
        rows.push(
          { bench, metric: 'spans/s accepted', value: accepted, unit: 'spans/s', samples: rounds, goal: `≥ ${GOAL_SPANS_PER_S}`, goalStatus: accepted >= GOAL_SPANS_PER_S ? 'met' : 'missed', note },
          { bench, metric: 'spans/s stored (until the store holds all)', value: median(runs.map((r) => r.storedPerS)), unit: 'spans/s', samples: rounds },
          { bench, metric: 'spans per collector CPU-second (accepted and stored)', value: median(runs.map((r) => r.perCpuS)), unit: 'spans/CPU-s', samples: rounds },
          { bench, metric: 'request latency p50', value: median(runs.map((r) => r.p50)), unit: 'ms', samples: rounds },
          { bench, metric: 'request latency p99', value: median(runs.map((r) => r.p99)), unit: 'ms', samples: rounds },
          { bench, metric: 'collector peak RSS', value: median(runs.map((r) => r.rssMiB)), unit: 'MiB', samples: rounds },
        );
      }
    }
  }
  if (!process.argv.includes('--no-overload')) rows.push(...(await overloadRound(argInteger('overload-seconds', 20), spansPerRequest)));
  emitRows(rows);
}

if (process.argv[2] === 'load') await loadChild();
else await orchestrate();
