import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBaton, tsNodeArgs } from '../support/cli.js';
import { Spool } from '../../collector/spool/spool.js';
import { batonInProcess } from './support/in-process.js';

const work = mkdtempSync(join(tmpdir(), 'baton-collector-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const withoutToken = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.BATON_COLLECTOR_TOKEN;
  delete env.BATON_CLICKHOUSE_URL;
  return env;
};

function spanRequest(runId: string, count: number): string {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cli-test' } }, { key: 'baton.run.id', value: { stringValue: runId } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: count }, (_, index) => ({
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: (index + 1).toString(16).padStart(16, '0'),
              name: `invoke_agent worker-${index}`,
              kind: 3,
              startTimeUnixNano: nowNs.toString(),
              endTimeUnixNano: (nowNs + 5_000_000n).toString(),
            })),
          },
        ],
      },
    ],
  });
}

describe('baton collector', () => {
  it('--help lists the options and examples', async () => {
    const { code, stdout } = await batonInProcess(work, ['collector', '--help']);
    expect(code).toBe(0);
    for (const text of ['--port N', '--spool DIR', '--clickhouse URL', '--data-dir DIR', '--insecure-no-auth', 'Examples:', '?token=']) expect(stdout).toContain(text);
    expect((await batonInProcess(work, ['--help'])).stdout).toContain('collector ');
  });

  it('exits 2 on bad options, naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'http'], /BATON_ERR_COLLECTOR_OPTION|--port expects a non-negative integer/],
      [['--port', '70000', '--insecure-no-auth'], /--port must be at most 65535/],
      [['--insecure-no-auth', '--host', '0.0.0.0'], /only allowed on a loopback address/],
      [['--clickhouse', 'ftp://example.com/baton', '--insecure-no-auth'], /not http or https/],
      // --clickhouse-cluster was parsed and ignored: the collector wrote a single-node schema to chDB.
      [['--clickhouse-cluster', 'baton_cluster', '--insecure-no-auth'], /a cluster \(baton_cluster\) needs a ClickHouse server URL/],
      [['--frobnicate'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const result = await batonInProcess(work, ['collector', ...args, '--spool', join(work, 'bad-spool'), '--data-dir', join(work, 'bad-chdb')]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const noToken = runBaton(work, ['collector', '--port', '0', '--spool', join(work, 'bad-spool')], { env: withoutToken() });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(`BATON_COLLECTOR_TOKEN`);
  });

  it('exits 2 with one line naming the spool directory and its holder when another collector holds --spool', async () => {
    const spoolDir = join(work, 'held-spool');
    const holder = await Spool.open({ dir: spoolDir });
    try {
      const result = await batonInProcess(work, ['collector', '--port', '0', '--spool', spoolDir, '--data-dir', join(work, 'held-chdb'), '--insecure-no-auth']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`baton: spool directory ${spoolDir} is in use by process ${process.pid} (${join(spoolDir, 'spool.lock')}): each collector needs its own --spool\n`);
    } finally {
      await holder.close();
    }
  });

  // Both printed "internal error" with a stack trace and exited 3.
  it('a --spool that is a file exits 2, and a port in use exits 3, each as one line naming the path or port', async () => {
    const file = join(work, 'spool-file');
    writeFileSync(file, 'not a directory');
    const spoolIsFile = await batonInProcess(work, ['collector', '--port', '0', '--spool', file, '--data-dir', join(work, 'file-chdb'), '--insecure-no-auth']);
    expect(spoolIsFile.code).toBe(2);
    expect(spoolIsFile.stderr).toBe(`baton: spool directory ${file} cannot be used: it is a file, not a directory\n`);
    const under = await batonInProcess(work, ['collector', '--port', '0', '--spool', join(file, 'spool'), '--data-dir', join(work, 'file-chdb'), '--insecure-no-auth']);
    expect(under.code).toBe(2);
    expect(under.stderr).toBe(`baton: spool directory ${join(file, 'spool')} cannot be used: a part of the path is a file, not a directory\n`);

    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const port = (occupier.address() as AddressInfo).port;
    const spoolDir = join(work, 'busy-port-spool');
    try {
      const busy = await batonInProcess(work, ['collector', '--port', String(port), '--spool', spoolDir, '--data-dir', join(work, 'busy-chdb'), '--insecure-no-auth']);
      expect(busy.code).toBe(3);
      expect(busy.stderr).toBe(`baton: the collector cannot listen on 127.0.0.1:${port}: the port is already in use (another collector?)\n`);
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
    expect(existsSync(join(spoolDir, 'spool.lock'))).toBe(false);
  });

  it('accepts a span over OTLP/HTTP, stores it, lists its run at /, and stops on SIGTERM', async () => {
    const spoolDir = join(work, 'spool');
    const dataDir = join(work, 'chdb');
    const child = spawn(process.execPath, tsNodeArgs('cli/entry.ts', ['collector', '--port', '0', '--spool', spoolDir, '--data-dir', dataDir, '--insecure-no-auth']), {
      cwd: work,
      env: withoutToken(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`collector exited with ${code}: ${stderr}`)));
    });
    try {
      const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: spanRequest('cli-run', 3) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
      const deadline = Date.now() + 20_000;
      while (!/^baton_collector_spans_written_total 3$/m.test(await (await fetch(`${url}/metrics`)).text())) {
        if (Date.now() > deadline) throw new Error(`spans never written: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const dashboard = await fetch(`${url}/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('cli-run');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM, closing');
    const read = spawnSync(process.execPath, tsNodeArgs('test/collector/server/read-stored-spans.ts', [dataDir, 'cli-run']), { cwd: repoRoot, encoding: 'utf8' });
    expect(read.status, read.stderr).toBe(0);
    const stored = JSON.parse(read.stdout) as { ids: string[]; finalRows: number };
    expect(stored.ids.sort()).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
  }, 50_000);
});
