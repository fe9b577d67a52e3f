import { main } from '../../../cli/main.js';

/**
 * Runs the CLI inside the test process (no node + tsx start-up per call): cwd
 * set to `cwd`, stdout and stderr captured. Calls must not overlap.
 */
export async function batonInProcess(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const previousCwd = process.cwd();
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const isTTY = process.stdout.isTTY;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.isTTY = false;
  process.chdir(cwd);
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.chdir(previousCwd);
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.stdout.isTTY = isTTY;
  }
}
