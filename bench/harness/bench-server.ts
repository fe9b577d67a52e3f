import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SpanStore } from '../../collector/store/span-store.js';
import { BenchHttpStore } from './http-store.js';

/**
 * The benchmarks' own ClickHouse 18.16 server: started with .ci/clickhouse.sh
 * on its own data directory and ports, so it never disturbs the test server
 * (127.0.0.1:18123). `BATON_BENCH_CLICKHOUSE_URL` points the benchmarks at
 * another server instead.
 */
export const BENCH_SERVER_DIR = '/tmp/baton-bench/ch-server';
export const BENCH_SERVER_HTTP_PORT = 18223;
export const BENCH_SERVER_TCP_PORT = 19223;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/?query=SELECT%201`, { signal: AbortSignal.timeout(2000) });
    return response.ok && (await response.text()).trim() === '1';
  } catch {
    return false;
  }
}

/** URL of a running server for the benchmarks, starting ours if needed; undefined when none can run. */
export async function benchServerUrl(): Promise<string | undefined> {
  const configured = process.env.BATON_BENCH_CLICKHOUSE_URL;
  if (configured) return (await answers(configured)) ? configured : undefined;
  const url = `http://127.0.0.1:${BENCH_SERVER_HTTP_PORT}`;
  if (await answers(url)) return url;
  if (!existsSync('.ci/clickhouse.sh')) return undefined;
  try {
    execFileSync('bash', ['.ci/clickhouse.sh', 'start', BENCH_SERVER_DIR, String(BENCH_SERVER_HTTP_PORT)], {
      env: { ...process.env, BATON_CH_TCP_PORT: String(BENCH_SERVER_TCP_PORT) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    return undefined;
  }
  return (await answers(url)) ? url : undefined;
}

/** `clickhouse-client` arguments that reach the bench server's native port. */
export function clickhouseClientArgs(): string[] {
  const url = new URL(process.env.BATON_BENCH_CLICKHOUSE_URL ?? `http://127.0.0.1:${BENCH_SERVER_HTTP_PORT}`);
  const port = process.env.BATON_BENCH_CLICKHOUSE_TCP_PORT ?? String(BENCH_SERVER_TCP_PORT);
  return ['--host', url.hostname, '--port', port];
}

/** A store on the bench server, and how it talks to it. */
export interface BenchServerStore {
  store: SpanStore;
  /** `ServerStore` when collector/store has one, else `bench HTTP store`. */
  via: string;
}

/**
 * The project's server store (collector/store/create-store.ts) for `database`
 * on `url`; the benchmarks' bare HTTP store while that file does not exist.
 * The path is a variable so that builds without the server store still compile.
 */
export async function openServerStore(url: string, database: string): Promise<BenchServerStore> {
  const modulePath = '../../collector/store/create-store.js';
  try {
    const module = (await import(modulePath)) as { createStore?: (url: string) => SpanStore };
    if (module.createStore) {
      const target = new URL(url);
      target.pathname = `/${database}`;
      if (target.username === '') target.username = 'default';
      return { store: module.createStore(target.toString()), via: 'ServerStore' };
    }
  } catch {
    // No server store in this build: fall through.
  }
  return { store: new BenchHttpStore(url, database), via: 'bench HTTP store' };
}
