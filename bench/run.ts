/**
 * `npm run bench`: every benchmark in its own child process (one chDB data
 * directory per process, and no JIT state shared between benchmarks), then
 * one table. Default sizes fit in 10 minutes on the 2-core CI machine;
 * `--full` uses the sizes of the issue (1,000-seed sweeps, 5k/10k/20k-seed
 * memory points), which takes longer. `--only kernel,storage` runs a subset;
 * `--json FILE` also writes the rows.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { formatTable, RESULT_MARKER, type BenchRow } from './harness/bench-row.js';
import { argValue } from './harness/timing.js';

const full = process.argv.includes('--full');

/** Each benchmark command and the arguments it gets here. */
const BENCHES: { name: string; args: string[] }[] = [
  { name: 'kernel', args: [] },
  { name: 'virtual-time', args: ['--seeds', '50', '--rounds', '5'] },
  { name: 'storage', args: full ? ['--seeds', '1000', '--rounds', '3'] : ['--seeds', '100', '--rounds', '5'] },
  { name: 'hot-paths', args: ['--rounds', '5'] },
  { name: 'otlp-decode', args: ['--rounds', '5'] },
  { name: 'reports', args: ['--spans', '10000000', '--rounds', '5'] },
  { name: 'sweep', args: ['--seeds', '1000', '--rounds', full ? '3' : '1'] },
  { name: 'memory', args: ['--points', full ? '5000,10000,20000' : '500,1000,2000'] },
];

function runChild(name: string, args: string[]): Promise<BenchRow[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...args], {
      env: { ...process.env, BATON_BENCH_CHILD: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('close', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
      if (code === 0 && line) return resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as BenchRow[]);
      resolve([{ bench: name, metric: `FAILED (exit ${code}); run bench/${name}.ts alone to see why`, value: NaN, unit: '', samples: 0 }]);
    });
  });
}

const only = argValue('only')?.split(',');
const started = performance.now();
const rows: BenchRow[] = [];
for (const bench of BENCHES) {
  if (only && !only.includes(bench.name)) continue;
  const benchStarted = performance.now();
  process.stderr.write(`bench/${bench.name}.ts ${bench.args.join(' ')} … `);
  rows.push(...(await runChild(bench.name, bench.args)));
  process.stderr.write(`${((performance.now() - benchStarted) / 1000).toFixed(0)} s\n`);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`\nbaton benchmarks — ${new Date().toISOString()} — ${machine}${full ? ' — --full' : ''}\n`);
console.log(formatTable(rows));
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
const jsonFile = argValue('json');
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ date: new Date().toISOString(), machine, full, rows }, null, 2));
