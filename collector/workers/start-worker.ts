import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on `name` (no extension) in the folder `base` points
 * into: the compiled .js when the caller runs compiled (`base` is a .js URL),
 * else the .ts source through tsx. Why not `execArgv: ['--import', 'tsx']`:
 * on Node 20 a worker loads its entry before hooks registered by `--import`
 * apply ("Unknown file extension .ts"), so a tiny data: URL entry registers
 * tsx's hooks first and then imports the .ts module.
 */
export function startModuleWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${name}.js`, base), options);
  const source = new URL(`${name}.ts`, base).href;
  // Resolved through package.json (import.meta.resolve is missing under some test runners).
  const api = pathToFileURL(join(dirname(createRequire(base).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(entry)}`), options);
}
