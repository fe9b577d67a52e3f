import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from './collector-fixtures.js';

const MAIN = 'collector/server/main.ts';
const READER = 'test/collector/server/read-stored-spans.ts';
const SEEDS = [1, 2, 3, 4];
const KILLS_PER_SEED = 2;
const CLIENTS = 8;
const SPANS_PER_REQUEST = 40;

interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `main.ts` on a free port and resolves once it prints its URL. */
async function startChild(spoolDir: string, dataDir: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--spool', spoolDir, '--data-dir', dataDir, '--insecure-no-auth'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`collector exited with ${code} before listening: ${stderr}`)));
  });
  return { process: child, url, exited };
}

function spanIdOf(seed: number, counter: number): string {
  return ((BigInt(seed) << 48n) | BigInt(counter)).toString(16).padStart(16, '0');
}

/** Sends batches of fresh spans from CLIENTS loops until `stop()`; records which span ids were acknowledged. */
function loadGenerator(url: string, seed: number, runId: string, next: { counter: number }) {
  const acked: string[] = [];
  const sent: string[] = [];
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const ids = Array.from({ length: SPANS_PER_REQUEST }, () => spanIdOf(seed, (next.counter += 1)));
      sent.push(...ids);
      const body = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'crash' } }, { key: 'baton.run.id', value: { stringValue: runId } }] },
            scopeSpans: [
              {
                spans: ids.map((spanId) => ({
                  traceId: `${seed.toString(16).padStart(16, '0')}${'1'.repeat(16)}`,
                  spanId,
                  name: 'load',
                  startTimeUnixNano: nowNs.toString(),
                  endTimeUnixNano: nowNs.toString(),
                  attributes: [{ key: 'payload', value: { stringValue: 'x'.repeat(200) } }],
                })),
              },
            ],
          },
        ],
      };
      try {
        const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (response.status === 200) acked.push(...ids);
        else await response.arrayBuffer();
      } catch {
        return; // the collector was killed mid-request: not acknowledged
      }
    }
  };
  const loops = Array.from({ length: CLIENTS }, loop);
  return {
    acked,
    sent,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return Number(match?.[1] ?? Number.NaN);
}

async function readStore(dataDir: string, runId: string): Promise<{ ids: string[]; finalRows: number; distinctIds: number }> {
  const reader = spawn(process.execPath, ['--import', 'tsx', READER, dataDir, runId], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  reader.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => reader.on('exit', resolve));
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('crash test: SIGKILL under load loses no acknowledged span and duplicates none', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const random = seedrandom(`collector-crash-${seed}`);
      const dir = tempDir(`crash-${seed}`);
      const spoolDir = join(dir, 'spool');
      const dataDir = join(dir, 'chdb');
      const runId = `crash-${seed}`;
      const next = { counter: 0 };
      const acked = new Set<string>();
      const sent = new Set<string>();
      for (let kill = 0; kill < KILLS_PER_SEED; kill += 1) {
        const child = await startChild(spoolDir, dataDir);
        const load = loadGenerator(child.url, seed, runId, next);
        // Random points after the first acknowledgement (a kill before it proves
        // nothing): early (the previous spool still replaying), mid-load, or late.
        await waitFor(() => load.acked.length > 0, 60_000, 'a first acknowledged batch');
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1_500)));
        child.process.kill('SIGKILL');
        await child.exited;
        await load.stop();
        load.acked.forEach((id) => acked.add(id));
        load.sent.forEach((id) => sent.add(id));
      }
      expect(acked.size).toBeGreaterThan(0);
      // Restart on the same spool and data: the replay must bring every acknowledged span to the store.
      const child = await startChild(spoolDir, dataDir);
      await waitFor(
        async () => (await metric(child.url, 'baton_collector_spool_bytes')) === 0 && (await metric(child.url, 'baton_collector_spool_segments')) === 0,
        60_000,
        'spool replayed',
      );
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      const stored = await readStore(dataDir, runId);
      console.info(`seed ${seed}: ${sent.size} spans sent, ${acked.size} acknowledged, ${stored.ids.length} stored`);
      const storedIds = new Set(stored.ids);
      const lost = [...acked].filter((id) => !storedIds.has(id));
      expect(lost, `${lost.length} acknowledged spans lost`).toEqual([]);
      expect(stored.finalRows).toBe(stored.distinctIds);
      expect(stored.ids.filter((id) => !sent.has(id))).toEqual([]);
      // Spans in flight at the kill may be stored without an acknowledgement (the
      // client will retry them; FINAL dedupes), but never more than were in flight.
      expect(storedIds.size - acked.size).toBeLessThanOrEqual(KILLS_PER_SEED * CLIENTS * SPANS_PER_REQUEST);
    }, 120_000);
  }
});
