import { spawnSync } from 'node:child_process';

let built = false;

/**
 * The node arguments that run `baton` as users run it: the compiled
 * `bin/baton.js` over dist/ (no tsx in the process or its worker threads,
 * which would add its own memory and start-up). Compiles the sources first,
 * once per process, so the figures are those of the code in the tree.
 */
export function compiledBaton(): string[] {
  if (!built) {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`bench: building dist/ failed:\n${tsc.stdout}${tsc.stderr}`);
    built = true;
  }
  return ['bin/baton.js'];
}
