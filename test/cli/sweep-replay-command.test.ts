import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBaton, tsNodeArgs } from '../support/cli.js';
import { sweepCommand } from '../../cli/commands/sweep-command.js';
import { UsageError } from '../../cli/exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-sweep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = join(repoRoot, 'scenarios', 'research-pipeline.yaml');
const store = ['--data-dir', join(dir, 'chdb')];

describe('baton sweep and baton replay', () => {
  it('sweep: progress on stderr, sweep.json in --out, exit code from the verdict', () => {
    const out = join(dir, 'sweep');
    const result = runBaton(dir, ['sweep', scenario, '--seeds', '1..3', '--jobs', '2', '--swarm', 'lite', '--set', 'workload.instances=4', '--out', out, '--format', 'json', ...store]);
    const document = JSON.parse(result.stdout);
    expect(result.code).toBe(document.aggregate.failed === 0 ? 0 : 1);
    expect(document.seeds.map((seed: { seed: number }) => seed.seed)).toEqual([1, 2, 3]);
    expect(result.stderr).toMatch(/3\/3 .*seeds\/s .*violations \d+ .*ETA/);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')).sweep).toEqual(document.sweep);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
  }, 60_000);

  it('sweep: a failing seed exits 1 and the table shows the replay command', () => {
    const result = runBaton(dir, ['sweep', scenario, '--seeds', '1..2', '--jobs', '1', '--set', 'policies.handoffProtocol=direct', '--set', 'workload.instances=4', '--out', join(dir, 'naive'), ...store]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failing seeds/);
    expect(result.stdout).toMatch(/baton replay .*research-pipeline\.yaml --seed \d --set policies\.handoffProtocol=direct --set workload\.instances=4 --around \d+/);
  }, 60_000);

  it('sweep → replay: the printed replay command, run by a shell, reproduces the failing seed (same run id, same verdict)', () => {
    const out = join(dir, 'repro');
    const assertion = 'handoffs.total < 1';
    const sweep = runBaton(dir, ['sweep', scenario, '--seeds', '1..2', '--jobs', '1', '--set', 'workload.instances=4', '--swarm', 'lite', '--assert', assertion, '--out', out, '--format', 'json', ...store]);
    expect(sweep.code).toBe(1);
    const failing = JSON.parse(sweep.stdout).seeds[0] as { runId: string; replay: string };
    expect(failing.replay).toContain(`--set workload.instances=4 --swarm lite --assert '${assertion}'`);
    // The line as a user pastes it: the shell splits and unquotes it.
    const entry = tsNodeArgs('cli/entry.ts').map((word) => `'${word}'`).join(' ');
    const line = `${failing.replay.replace(/^baton /, `'${process.execPath}' ${entry} `)} --out '${join(dir, 'repro-replay')}' --data-dir '${join(dir, 'chdb')}'`;
    const replay = spawnSync('bash', ['-c', line], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(replay.status, replay.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'repro-replay', 'report.json'), 'utf8'));
    expect(report.run.id).toBe(failing.runId);
    expect(report.verdict.assertions).toContainEqual(expect.objectContaining({ expression: assertion, passed: false }));
  }, 60_000);

  it('sweep: bad flags are usage errors (exit 2)', async () => {
    const sink = { write: () => true } as unknown as NodeJS.WriteStream;
    await expect(sweepCommand([scenario, '--shard', '3/2', ...store], sink)).rejects.toThrow(UsageError);
    await expect(sweepCommand([scenario, '--swarm', 'apocalyptic', ...store], sink)).rejects.toThrow(/--swarm must be one of lite, default, harsh/);
    await expect(sweepCommand([scenario, '--jobs', '0', ...store], sink)).rejects.toThrow(/--jobs/);
    await expect(sweepCommand([scenario, '--seeds', '9..1', ...store], sink)).rejects.toThrow(/ends before it starts/);
  });

  it('replay: prints the report and the event log around a virtual time', () => {
    const result = runBaton(dir, ['replay', scenario, '--seed', '2', '--swarm', 'default', '--around', '1000', '--window', '300', '--out', join(dir, 'replay'), ...store]);
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toMatch(/event log around 1000 ms \(±300 ms, seed 2, swarm default\)/);
    const times = [...result.stdout.matchAll(/^\s+(\d+\.\d{3}) ms {2}/gm)].map((match) => Number(match[1]));
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((time) => time >= 700 && time <= 1300)).toBe(true);
  }, 60_000);

  it('replay: a failing seed prints its first violation and the log around it', () => {
    const result = runBaton(dir, ['replay', scenario, '--seed', '1', '--set', 'policies.handoffProtocol=direct', '--set', 'workload.instances=4', '--out', join(dir, 'replay-naive'), ...store]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/first violation: no-lost-handoff \(correctness\) at [\d.]+ ms/);
    // The report's own replay line names the overrides too.
    expect(result.stdout).toContain(`replay: npx baton replay ${scenario} --seed 1 --set policies.handoffProtocol=direct --set workload.instances=4\n`);
  }, 60_000);

  it('replay --check-determinism: the same seed twice gives the same event-log hash', () => {
    const result = runBaton(dir, ['replay', scenario, '--seed', '5', '--swarm', 'harsh', '--check-determinism']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^deterministic: seed 5 gave the same event log twice \(\d+ entries, sha256 [0-9a-f]{64}\)/);
  }, 60_000);
});
