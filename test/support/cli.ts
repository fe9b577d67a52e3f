import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** `--import` value that loads tsx from this repository, whatever the cwd. */
export const tsxImport = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Node arguments that run a TypeScript file of the repo. */
export function tsNodeArgs(file: string, args: string[] = []): string[] {
  return ['--import', tsxImport, resolve(repoRoot, file), ...args];
}

/** Runs the `baton` CLI from source in `cwd`, as a user would run `npx baton ...`. */
export function runBaton(cwd: string, args: string[], options: SpawnSyncOptions = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, tsNodeArgs('cli/entry.ts', args), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...options,
  });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}
