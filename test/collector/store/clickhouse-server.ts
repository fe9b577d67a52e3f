/**
 * The real ClickHouse server (Debian's 18.16) for storage tests, driven by
 * `.ci/clickhouse.sh`. Test files run in parallel worker processes; the
 * script serialises commands per data directory, and `start` returns at once
 * when the server already runs, so every file may call `ensureServer`.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../../../.ci/clickhouse.sh');

/** One server instance: its data directory and ports. */
export interface ServerInstance {
  dir: string;
  httpPort: number;
  tcpPort: number;
}

/** The shared instance (what `.ci/run` starts): /tmp/baton-ch, HTTP 18123, TCP 19000. */
export const SHARED_SERVER: ServerInstance = {
  dir: process.env.BATON_CH_DIR ?? '/tmp/baton-ch',
  httpPort: Number(process.env.BATON_CH_HTTP_PORT ?? 18123),
  tcpPort: Number(process.env.BATON_CH_TCP_PORT ?? 19000),
};

/**
 * `clickhouse-server` is an executable on PATH, or where Debian's package puts
 * it (/usr/sbin, often missing from a non-root PATH; .ci/clickhouse.sh looks there too).
 */
export function serverOnPath(): boolean {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin']) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, 'clickhouse-server'), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** BATON_REQUIRE_CLICKHOUSE is set (to anything but empty or 0): a missing server fails the suite. */
export function serverRequired(): boolean {
  const value = process.env.BATON_REQUIRE_CLICKHOUSE;
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * Whether the server suites run. When the server is missing and not
 * required, prints a loud message once per file and returns false.
 */
export function serverTestsEnabled(suite: string): boolean {
  if (serverOnPath() || serverRequired()) return true;
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!!! SKIPPED: ${suite} against ClickHouse server 18.16`,
      '!!! no `clickhouse-server` on PATH and BATON_REQUIRE_CLICKHOUSE unset.',
      '!!! apt-get install clickhouse-server, or set BATON_REQUIRE_CLICKHOUSE=1',
      '!!! to make this a failure.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
  return false;
}

/** Runs `.ci/clickhouse.sh <command>` for `instance`; rejects with its output on failure. */
export async function clickhouseScript(command: 'start' | 'stop' | 'restart' | 'status', instance: ServerInstance): Promise<string> {
  if (!serverOnPath()) {
    throw new Error('BATON_REQUIRE_CLICKHOUSE is set but clickhouse-server is not on PATH (apt-get install clickhouse-server)');
  }
  try {
    const { stdout } = await run('bash', [SCRIPT, command, instance.dir, String(instance.httpPort)], {
      env: { ...process.env, BATON_CH_TCP_PORT: String(instance.tcpPort) },
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`.ci/clickhouse.sh ${command} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/** Starts `instance` unless it runs; returns its base URL for user `default`. */
export async function ensureServer(instance: ServerInstance = SHARED_SERVER): Promise<string> {
  await clickhouseScript('start', instance);
  return `http://default:@127.0.0.1:${instance.httpPort}`;
}

/** A database name no other test file or run uses. */
export function uniqueDatabase(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * A loopback port nothing listens on right now. Instances other than the
 * shared one take their ports from here: 18.16 binds with SO_REUSEPORT, so two
 * test runs on one fixed port would silently share it.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
