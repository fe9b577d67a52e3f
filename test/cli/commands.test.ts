import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgeDays } from '../../cli/commands/prune-command.js';
import { UsageError } from '../../cli/exit-codes.js';
import { leafNames } from '../../reports/assertions.js';
import { historyMetricProblem } from '../../reports/history-assertions.js';
import { repoRoot, runBaton } from '../support/cli.js';
import { batonInProcess } from './support/in-process.js';

// The commands around `run`, as a user calls them: help, check, scenarios,
// report, migrate, prune, and the output formats of run. In-process for
// speed; one call goes through the real entry point.
const scenario = join(repoRoot, 'scenarios', 'research-pipeline.yaml');
const work = mkdtempSync(join(tmpdir(), 'baton-cmds-'));
const baton = (...args: string[]) => batonInProcess(work, args);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--help', () => {
  it('every command has help with examples, and the top-level help lists them', async () => {
    const top = await baton('--help');
    expect(top.code).toBe(0);
    for (const command of ['run', 'compare', 'report', 'history', 'check', 'scenarios', 'migrate', 'prune', 'sweep', 'replay', 'collector']) {
      expect(top.stdout).toContain(`  ${command}`);
      const help = await baton(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: baton ${command}`);
      expect(help.stdout, command).toMatch(/Examples:\n {2}baton /);
    }
  });

  it('an unknown command is bad input (exit 2), names inherited by every object included', async () => {
    // Commands are looked up in a table of loaders: `toString` once found Object.prototype's.
    for (const name of ['frobnicate', 'toString', 'constructor', '__proto__']) {
      const result = await baton(name);
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toContain(`unknown command "${name}"`);
    }
  });
});

describe('baton check', () => {
  it('accepts a valid scenario', async () => {
    const result = await baton('check', scenario);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/research-pipeline\.yaml: ok \(research-pipeline: 4 agents, 4 tasks/);
  });

  it('works through the real entry point too', () => {
    const result = runBaton(work, ['check', scenario]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(': ok (');
  });

  it('prints every problem with file:line:column and exits 2', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(scenario, 'utf8').replace('errorRatio: 0.02', 'errorRatio: 2').replace('maxConcurrent: 2', 'maxConcurrent: -1').replace('workload:', 'workloadd:'),
    );
    const result = await baton('check', bad);
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((line) => /^.*bad\.yaml:\d+:\d+: /.test(line)).length).toBeGreaterThanOrEqual(3);
    expect(result.stdout).toMatch(/bad\.yaml:\d+:\d+: agents\.researcher\.errorRatio: must be <= 1/);
    expect(result.stdout).toMatch(/bad\.yaml:\d+:\d+: workloadd: unknown field/);
  });

  it('checks the assert: block: syntax and metric names, located', async () => {
    const bad = join(work, 'bad-assert.yaml');
    writeFileSync(bad, readFileSync(scenario, 'utf8').replace('  - workflows.completed >= 1', '  - workflows.completed >= 1\n  - handoffs.sucessRate >= 0.9\n  - handoffs.successRate about 1'));
    const result = await baton('check', bad);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/bad-assert\.yaml:\d+:\d+: assert\.2: unknown metric "handoffs\.sucessRate"; valid metrics: .*handoffs\.successRate/);
    expect(result.stdout).toMatch(/bad-assert\.yaml:\d+:\d+: assert\.3: cannot parse assertion/);
  });
});

describe('baton scenarios', () => {
  it('lists every built-in scenario on one line with its description', async () => {
    const result = await baton('scenarios');
    expect(result.code).toBe(0);
    const files = readdirSync(join(repoRoot, 'scenarios')).filter((name) => name.endsWith('.yaml'));
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(files.length);
    expect(result.stdout).toMatch(/research-pipeline\.yaml\s+research-pipeline: researcher -> analyst/);
  });
});

describe('baton run --format and baton report', () => {
  it('writes junit and html next to report.json; report recomputes the same numbers from storage', async () => {
    const run = await baton('run', scenario, '--seed', '3', '--format', 'terminal,junit,html', '--out', 'r3');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('handoff success rate');
    for (const file of ['report.json', 'report.md', 'junit.xml', 'report.html']) expect(existsSync(join(work, 'r3', file)), file).toBe(true);
    expect(readFileSync(join(work, 'r3', 'junit.xml'), 'utf8')).toContain('<testcase classname="baton.research-pipeline.seed3.invariants" name="liveness"');
    expect(readFileSync(join(work, 'r3', 'report.html'), 'utf8')).toContain('data-chart="timeline"');

    const original = JSON.parse(readFileSync(join(work, 'r3', 'report.json'), 'utf8'));
    const report = await baton('report', original.run.id, '--format', 'json', '--out', 'again', '--scenario', scenario);
    expect(report.code).toBe(0);
    const recomputed = JSON.parse(report.stdout);
    const numbers = ({ wall: _w, ...rest }: Record<string, unknown>) => rest;
    expect(numbers(recomputed)).toEqual(numbers(original)); // verdict too: --scenario brings its assert: block
  });

  it('report: unknown run id exits 2; a failing --assert exits 1', async () => {
    expect((await baton('report', 'ffffffffffffffff')).code).toBe(2);
    const id = JSON.parse(readFileSync(join(work, 'r3', 'report.json'), 'utf8')).run.id;
    const failing = await baton('report', id, '--assert', 'handoffs.latencyMs.p99 < 0.001', '--out', 'again');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/assertion failed: handoffs\.latencyMs\.p99 < 0\.001 \(actual [\d.]+\)/);
  });

  it('run --set overrides a field, validated by the schema', async () => {
    const ok = await baton('run', scenario, '--seed', '3', '--set', 'workload.instances=3', '--format', 'json', '--out', 'set');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).workflows.total).toBe(3);
    const bad = await baton('run', scenario, '--set', 'network.lossRatio=7');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set network\.lossRatio=7.*\n.*network\.lossRatio: must be <= 1/);
    // A path through a value (name is a string) is bad input with one line, not a stack.
    const through = await baton('run', scenario, '--set', 'name.x=1');
    expect([through.code, through.stderr]).toEqual([2, 'baton: --set name.x=1: cannot set name.x: name is a value, not a map or list\n']);
  });

  it('an unknown format or a bad ClickHouse URL is bad input (exit 2)', async () => {
    expect((await baton('run', scenario, '--format', 'terminal,pdf')).code).toBe(2);
    expect((await baton('report', 'abc', '--clickhouse', 'ftp://host/db')).code).toBe(2);
  });
});

describe('baton history', () => {
  it('reports over the stored runs, the same handoffs as their run reports; filters; writes md and json', async () => {
    const dataDir = join(work, 'history');
    const handoffs = [];
    for (const seed of ['1', '2']) {
      const run = await baton('run', scenario, '--seed', seed, '--data-dir', dataDir, '--format', 'json', '--out', join(work, `h${seed}`));
      handoffs.push(JSON.parse(readFileSync(join(work, `h${seed}`, 'report.json'), 'utf8')).handoffs);
      expect(run.code).toBeLessThan(2);
    }
    const result = await baton('history', '--data-dir', dataDir, '--format', 'terminal,json,md', '--out', join(work, 'hist'));
    expect(result.code).toBe(0);
    // A stored verdict is the run's invariants': said as such, so it is not read as the run's exit code.
    expect(result.stdout).toMatch(/^baton history {2}every stored run\n {2}runs +2 {2}\(invariants (held|violated) \d/);
    expect(result.stdout).toContain(`wrote ${join(work, 'hist', 'history.md')}`);
    const report = JSON.parse(readFileSync(join(work, 'hist', 'history.json'), 'utf8'));
    expect(report.runs.total).toBe(2);
    expect(report.handoffs.total).toBe(handoffs[0].total + handoffs[1].total);
    expect(report.handoffs.succeeded).toBe(handoffs[0].succeeded + handoffs[1].succeeded);
    expect(report.handoffs.latencyMs.max).toBe(Math.max(handoffs[0].latencyMs.max, handoffs[1].latencyMs.max));
    expect(readFileSync(join(work, 'hist', 'history.md'), 'utf8')).toContain('| handoffs attempted / succeeded | ' + report.handoffs.total);
    // A filter that matches nothing is a wrong name or id (exit 2), as "baton report <unknown id>" is.
    const none = await baton('history', '--data-dir', dataDir, '--scenario', 'no-such-scenario');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no stored run matches scenario "no-such-scenario"');
    const noSweep = await baton('history', '--data-dir', dataDir, '--sweep', 'nosuch');
    expect(noSweep.code).toBe(2);
    expect(noSweep.stderr).toContain('no stored run matches sweep "nosuch"');
    // With no filter, an empty store is simply empty.
    const empty = await baton('history', '--data-dir', join(work, 'history-empty'));
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('0: no stored run matches');
    const named = await baton('history', '--data-dir', dataDir, '--scenario', 'research-pipeline', '--format', 'json', '--out', join(work, 'hist2'));
    const namedFile = readFileSync(join(work, 'hist2', 'history.json'), 'utf8');
    expect(JSON.parse(namedFile)).toEqual({ ...report, filter: { scenario: 'research-pipeline' } });
    // One format is also what stdout gets, as with "baton report": the JSON can be piped.
    expect(named.stdout).toBe(namedFile);
    const markdown = await baton('history', '--data-dir', dataDir, '--format', 'md', '--out', join(work, 'hist3'));
    expect(markdown.stdout).toBe(readFileSync(join(work, 'hist3', 'history.md'), 'utf8'));
  });

  it('--assert judges the figures: exit 0 when all hold, 1 when one fails; every number of history.json is a metric', async () => {
    const dataDir = join(work, 'history');
    const held = await baton('history', '--data-dir', dataDir, '--assert', 'runs.total == 2', '--assert', 'faults.byKind.no_such_kind == 0');
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toContain('assertion held: runs.total == 2 (actual 2)');
    expect(held.stdout).toContain('assertion held: faults.byKind.no_such_kind == 0 (actual 0)');
    expect(held.stdout).toMatch(/verdict +PASS/);
    const failed = await baton('history', '--data-dir', dataDir, '--assert', 'handoffs.successRate > 1', '--format', 'json', '--out', join(work, 'hist-assert'));
    expect(failed.code).toBe(1);
    const document = JSON.parse(failed.stdout);
    expect(document.assertions).toEqual([
      { expression: 'handoffs.successRate > 1', metric: 'handoffs.successRate', operator: '>', expected: 1, actual: document.handoffs.successRate, passed: false },
    ]);
    const markdown = await baton('history', '--data-dir', dataDir, '--assert', 'handoffs.successRate > 1', '--format', 'md', '--out', join(work, 'hist-assert'));
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('## Assertions');
    expect(markdown.stdout).toContain(`| \`handoffs.successRate > 1\` | ${document.handoffs.successRate} | **failed** |`);
    // Every number history.json reports (lists aside) can be asserted on.
    const { filter: _filter, worstRuns: _worst, assertions: _assertions, ...figures } = document;
    const withoutLists = JSON.parse(JSON.stringify(figures, (key, value) => (key === 'byPair' ? undefined : value)));
    const names = leafNames(withoutLists);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(historyMetricProblem(name), name).toBeUndefined();
  });

  it('a bad --assert is bad input (exit 2) and names the valid metrics', async () => {
    const dataDir = join(work, 'history');
    const unknown = await baton('history', '--data-dir', dataDir, '--assert', 'handoffs.sucessRate >= 0.9');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown history metric "handoffs.sucessRate"');
    expect(unknown.stderr).toContain('handoffs.successRate');
    const garbled = await baton('history', '--data-dir', dataDir, '--assert', 'handoffs.successRate about 0.9');
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('cannot parse assertion');
  });

  it('bad flags are bad input (exit 2)', async () => {
    const dataDir = join(work, 'history');
    for (const args of [['--format', 'html'], ['some-run-id'], ['--sweep', ''], ['--frobnicate']]) {
      const result = await baton('history', '--data-dir', dataDir, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });
});

describe('baton migrate and prune', () => {
  it('migrate is idempotent; prune drops nothing recent and refuses bad ages', async () => {
    const dataDir = join(work, 'mp');
    expect((await baton('migrate', '--data-dir', dataDir)).stdout).toMatch(/schema version \d+ in place \(chdb, database baton\)/);
    expect((await baton('migrate', '--data-dir', dataDir)).code).toBe(0);
    const pruned = await baton('prune', '--older-than', '30d', '--data-dir', dataDir);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('nothing older than 30 days');
    expect((await baton('prune', '--older-than', 'soon', '--data-dir', dataDir)).code).toBe(2);
    expect((await baton('prune', '--data-dir', dataDir)).code).toBe(2);
  });

  it('refuses an age past 2^53 days, naming the flag and the value; a huge but exact age prunes nothing', async () => {
    expect(parseAgeDays('30d')).toBe(30);
    expect(parseAgeDays('4w')).toBe(28);
    expect(() => parseAgeDays('99999999999999999999d')).toThrow(UsageError);
    expect(() => parseAgeDays('99999999999999999999d')).toThrow(/--older-than "99999999999999999999d" is too large/);
    expect(() => parseAgeDays('2000000000000000w')).toThrow(UsageError); // safe as a count of weeks, not of days
    const dataDir = join(work, 'mp-huge');
    const refused = await baton('prune', '--older-than', '99999999999999999999d', '--data-dir', dataDir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--older-than "99999999999999999999d"');
    const huge = await baton('prune', '--older-than', '200000000d', '--data-dir', dataDir);
    expect(huge.code, huge.stderr).toBe(0);
    expect(huge.stdout).toContain('nothing older than 200000000 days');
  });
});
