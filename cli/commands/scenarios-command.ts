import { readdirSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../../scenarios/format/load-scenario.js';
import { ScenarioError } from '../../scenarios/format/scenario-error.js';
import { packageRoot } from '../package-root.js';

export const SCENARIOS_HELP = `Usage: baton scenarios

Lists the built-in scenarios (scenarios/*.yaml of the baton package), one line
each: file, name and description.

Examples:
  baton scenarios
  baton run $(baton scenarios --paths | head -1) --seed 1
`;

/** Built-in scenario files, sorted. */
export function builtInScenarioFiles(): string[] {
  const dir = join(packageRoot(), 'scenarios');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** `baton scenarios`. */
export async function scenariosCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { paths: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    out.write(SCENARIOS_HELP);
    return 0;
  }
  const files = builtInScenarioFiles();
  // Relative to the working directory when inside it (e.g. in a clone of baton), else absolute.
  const shown = files.map((file) => {
    const near = relative(process.cwd(), file);
    return near.startsWith('..') || isAbsolute(near) ? file : near;
  });
  if (values.paths) {
    out.write(shown.map((file) => `${file}\n`).join(''));
    return 0;
  }
  const width = Math.max(...shown.map((file) => file.length));
  files.forEach((file, index) => {
    let line: string;
    try {
      const spec = loadScenarioFile(file).spec;
      line = `${spec.name}: ${spec.description ?? '(no description)'}`;
    } catch (error) {
      line = error instanceof ScenarioError ? `(invalid: ${error.issues.length} problem(s); run baton check)` : `(unreadable: ${(error as Error).message})`;
    }
    out.write(`${shown[index].padEnd(width)}  ${line}\n`);
  });
  return 0;
}
