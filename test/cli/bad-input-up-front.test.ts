import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leafNames, metricProblem } from '../../reports/assertions.js';
import { OutputWriteError, UsageError } from '../../cli/exit-codes.js';
import { checkOutDir, checkOutFile, writingTo } from '../../cli/out-paths.js';
import { repoRoot } from '../support/cli.js';
import { batonInProcess } from './support/in-process.js';

// Bad input is rejected before anything is simulated or stored: a bad flag
// costs nothing, and the store holds no run the user did not mean to make.
const scenario = join(repoRoot, 'scenarios', 'research-pipeline.yaml');
const work = mkdtempSync(join(tmpdir(), 'baton-up-front-'));
const baton = (...args: string[]) => batonInProcess(work, args);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How many runs `dataDir` holds (0 when nothing was ever stored there). */
async function storedRuns(dataDir: string): Promise<number> {
  if (!existsSync(dataDir)) return 0;
  const history = await baton('history', '--data-dir', dataDir, '--format', 'json', '--out', join(work, 'history'));
  expect(history.code, history.stderr).toBe(0);
  return JSON.parse(history.stdout).runs.total;
}

describe('assertions are checked before anything runs', () => {
  it('run, sweep, replay and compare: a bad --assert or assert: line (or compare --metric) exits 2 and stores nothing', async () => {
    const dataDir = join(work, 'bad-assert-store');
    const bad = join(work, 'bad-assert.yaml');
    writeFileSync(bad, readFileSync(scenario, 'utf8').replace('  - workflows.completed >= 1', '  - workflows.completed >= 1\n  - handoffs.sucessRate >= 0.9'));
    const unknown = /^baton: --assert: unknown metric "foo\.bar"; valid metrics: .*handoffs\.successRate/;
    const cases = [
      { args: ['run', scenario, '--seed', '5', '--assert', 'foo.bar > 1'], message: unknown },
      { args: ['run', scenario, '--seed', '5', '--assert', 'handoffs.successRate about 1'], message: /^baton: --assert: cannot parse assertion "handoffs\.successRate about 1"/ },
      { args: ['run', bad, '--seed', '5'], message: /^baton: .*bad-assert\.yaml: assert\.\d+: unknown metric "handoffs\.sucessRate"; valid metrics: / },
      { args: ['sweep', scenario, '--seeds', '1..2', '--jobs', '1', '--assert', 'foo.bar > 1'], message: unknown },
      { args: ['sweep', bad, '--seeds', '1..2', '--jobs', '1'], message: /bad-assert\.yaml: assert\.\d+: unknown metric "handoffs\.sucessRate"/ },
      { args: ['replay', scenario, '--seed', '5', '--assert', 'foo.bar > 1'], message: unknown },
      { args: ['compare', scenario, bad, '--seeds', '1..2'], message: /bad-assert\.yaml: assert\.\d+: unknown metric "handoffs\.sucessRate"/ },
      { args: ['compare', bad, '--seeds', '1..2', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.05'], message: /bad-assert\.yaml: assert\.\d+: unknown metric/ },
      { args: ['compare', scenario, '--seeds', '1..2', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.05', '--metric', 'foo.bar'], message: /^baton: --metric: unknown metric "foo\.bar"/ },
    ];
    const results: Awaited<ReturnType<typeof baton>>[] = [];
    for (const { args } of cases) results.push(await baton(...args, '--data-dir', dataDir, '--out', join(work, 'bad-assert-out')));
    expect(results.map((result) => result.code)).toEqual(cases.map(() => 2));
    expect(await storedRuns(dataDir)).toBe(0);
    expect(existsSync(join(work, 'bad-assert-out'))).toBe(false);
    cases.forEach(({ args, message }, index) => expect(results[index]!.stderr, args.join(' ')).toMatch(message));
  });

  it('report: a bad --assert exits 2 before the store is read', async () => {
    const result = await baton('report', 'ffffffffffffffff', '--assert', 'foo.bar > 1', '--data-dir', join(work, 'report-store'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^baton: --assert: unknown metric "foo\.bar"/);
    expect(existsSync(join(work, 'report-store'))).toBe(false);
  });

  it('every number of a run report is a metric the up-front check accepts', async () => {
    const run = await baton('run', scenario, '--seed', '5', '--assert', 'faults.byKind.crash >= 0', '--data-dir', join(work, 'ok-store'), '--out', join(work, 'ok'));
    expect(run.code, run.stderr).toBeLessThan(2);
    const { run: _run, invariants: _invariants, verdict: _verdict, wall: _wall, ...metrics } = JSON.parse(readFileSync(join(work, 'ok', 'report.json'), 'utf8'));
    const names = leafNames(metrics);
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) expect(metricProblem(name), name).toBeUndefined();
  });
});

describe('--out is checked before anything runs', () => {
  it('run, sweep, replay, compare, report and history: an --out that is a file exits 2 with one line naming it; nothing is stored', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const dataDir = join(work, 'out-store');
    const runId = JSON.parse(readFileSync(join(work, 'ok', 'report.json'), 'utf8')).run.id;
    const okStore = ['--data-dir', join(work, 'ok-store')];
    const cases = [
      ['run', scenario, '--seed', '5', '--data-dir', dataDir],
      ['sweep', scenario, '--seeds', '1..2', '--jobs', '1', '--data-dir', dataDir],
      ['replay', scenario, '--seed', '5', '--data-dir', dataDir],
      ['compare', scenario, '--seeds', '1..2', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.05', '--data-dir', dataDir],
      ['report', runId, ...okStore],
      ['history', '--format', 'json', ...okStore],
    ];
    const results: Awaited<ReturnType<typeof baton>>[] = [];
    for (const args of cases) results.push(await baton(...args, '--out', file));
    expect(results.map((result) => result.code)).toEqual(cases.map(() => 2));
    expect(await storedRuns(dataDir)).toBe(0);
    cases.forEach((args, index) => expect(results[index]!.stderr, args[0]).toBe(`baton: --out ${file}: exists and is not a directory\n`));
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });

  it('run: an --out under a file, and replay: a --shrink-out that is a directory or in a missing one, exit 2', async () => {
    const file = join(work, 'a-file');
    const dataDir = join(work, 'out-store');
    const under = await baton('run', scenario, '--seed', '5', '--out', join(file, 'sub'), '--data-dir', dataDir);
    expect([under.code, under.stderr]).toEqual([2, `baton: --out ${join(file, 'sub')}: ${file} is not a directory\n`]);
    const directory = await baton('replay', scenario, '--seed', '5', '--shrink', '--shrink-out', work, '--data-dir', dataDir);
    expect([directory.code, directory.stderr]).toEqual([2, `baton: --shrink-out ${work}: is a directory\n`]);
    const missing = await baton('replay', scenario, '--seed', '5', '--shrink', '--shrink-out', join(work, 'missing', 'x.yaml'), '--data-dir', dataDir);
    expect([missing.code, missing.stderr]).toEqual([2, `baton: --shrink-out ${join(work, 'missing', 'x.yaml')}: directory ${join(work, 'missing')} does not exist\n`]);
    expect(await storedRuns(dataDir)).toBe(0);
  });

  it('checkOutDir accepts a directory or a path to create under one; checkOutFile a file in a directory', () => {
    const file = join(work, 'plain');
    writeFileSync(file, '');
    mkdirSync(join(work, 'dir'), { recursive: true });
    for (const path of [work, join(work, 'dir'), `${join(work, 'dir')}/`, join(work, 'new', 'deeper'), 'relative/new', '.']) expect(() => checkOutDir('--out', path), path).not.toThrow();
    for (const path of [file, `${file}/`, join(file, 'a', 'b'), '']) expect(() => checkOutDir('--out', path), path).toThrow(UsageError);
    for (const path of [file, join(work, 'dir', 'new.yaml'), 'new.yaml']) expect(() => checkOutFile('--shrink-out', path), path).not.toThrow();
    for (const path of [work, join(work, 'dir') + '/', join(file, 'x.yaml'), join(work, 'nowhere', 'x.yaml'), '']) expect(() => checkOutFile('--shrink-out', path), path).toThrow(UsageError);
  });

  it('a failing write says which directory and why, in one line: a path problem is bad input, a failed disk infrastructure; other failures pass through', () => {
    const file = join(work, 'plain');
    writeFileSync(file, '');
    expect(() => writingTo(file, () => mkdirSync(file, { recursive: true }))).toThrow(new UsageError(`cannot write to ${file}: EEXIST: file already exists, mkdir '${file}'`));
    const full = () => writingTo(file, () => writeFileSync('/dev/full', 'x'));
    expect(full).toThrow(OutputWriteError);
    expect(full).toThrow(`cannot write to ${file}: ENOSPC: no space left on device, write`);
    const bug = new TypeError('x is not a function');
    expect(() =>
      writingTo(file, () => {
        throw bug;
      }),
    ).toThrow(bug);
  });

  it('run, replay --shrink-out, sweep, compare, report and history: a full disk under the output files is exit 3 with one line naming it; the run stays stored', async () => {
    // A file the command writes is a link to /dev/full: every write to it fails with ENOSPC.
    const fullOut = (name: string) => {
      const dir = mkdtempSync(join(work, 'full-'));
      symlinkSync('/dev/full', join(dir, name));
      return dir;
    };
    const dataDir = join(work, 'full-store');
    const runOut = fullOut('report.json');
    const run = await baton('run', scenario, '--seed', '5', '--data-dir', dataDir, '--out', runOut);
    expect([run.code, run.stderr]).toEqual([3, `baton: cannot write to ${runOut}: ENOSPC: no space left on device, write\n`]);
    expect(await storedRuns(dataDir)).toBe(1);
    const runId = JSON.parse((await baton('history', '--data-dir', dataDir, '--format', 'json', '--out', join(work, 'history'))).stdout).worstRuns[0].runId;
    const cases: [string[], string][] = [
      [['replay', scenario, '--seed', '5', '--data-dir', dataDir], 'report.json'],
      [['sweep', scenario, '--seeds', '1..2', '--jobs', '1', '--data-dir', dataDir], 'sweep.json'],
      [['compare', scenario, '--seeds', '1..2', '--set', 'network.lossRatio=0', '--set', 'network.lossRatio=0.05', '--data-dir', dataDir], 'comparison.json'],
      [['report', runId, '--data-dir', dataDir], 'report.json'],
      [['history', '--format', 'json', '--data-dir', dataDir], 'history.json'],
    ];
    for (const [args, name] of cases) {
      const out = fullOut(name);
      const result = await baton(...args, '--out', out);
      // Progress lines may come first (sweep, compare); the error is the last line, with no stack.
      expect([result.code, result.stderr.split('\n').slice(-2).join('\n')], args[0]).toEqual([3, `baton: cannot write to ${out}: ENOSPC: no space left on device, write\n`]);
      expect(result.stderr, args[0]).not.toMatch(/^\s+at /m);
    }
    expect(await storedRuns(dataDir)).toBeGreaterThanOrEqual(3);
    const shrinkFile = join(fullOut('x'), 'shrunk.yaml');
    symlinkSync('/dev/full', shrinkFile);
    const naive = join(repoRoot, 'scenarios', 'crash-mid-handoff-naive.yaml'); // seed 1 violates an invariant: there is a plan to shrink
    const shrink = await baton('replay', naive, '--seed', '1', '--shrink', '--shrink-out', shrinkFile, '--data-dir', dataDir);
    expect([shrink.code, shrink.stderr]).toEqual([3, `baton: cannot write to ${shrinkFile}: ENOSPC: no space left on device, write\n`]);
  });
});
