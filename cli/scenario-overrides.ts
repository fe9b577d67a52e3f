import { existsSync, readFileSync } from 'node:fs';
import { isCollection, parse, parseDocument, type Document } from 'yaml';
import { parseScenario, type Scenario } from '../scenarios/format/load-scenario.js';
import { ScenarioError } from '../scenarios/format/scenario-error.js';
import { UsageError } from './exit-codes.js';

export const SET_HELP = `  --set PATH=VALUE   override a field of the scenario, e.g. network.lossRatio=0.05 or
                     policies.router.weights=weights.yaml (a .yaml/.yml/.json file's content);
                     VALUE is YAML (numbers, strings, [lists], {maps}). Repeatable.
`;

/** One `--set path=value`: the path segments and the value (already parsed). */
export interface ScenarioOverride {
  text: string;
  path: (string | number)[];
  value: unknown;
}

/** Parses `path=value`; a value naming an existing .yaml/.yml/.json file is that file's content. */
export function parseOverride(text: string): ScenarioOverride {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`--set expects PATH=VALUE, got "${text}"`);
  const pathText = text.slice(0, equals).trim();
  const valueText = text.slice(equals + 1);
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+)*$/.test(pathText)) throw new UsageError(`--set: "${pathText}" is not a dotted field path (e.g. network.lossRatio)`);
  const path = pathText.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const isFile = /\.(ya?ml|json)$/i.test(valueText);
  // A value that names a file is that file's content: a missing one is said so, not passed on as a string.
  if (isFile && !existsSync(valueText)) throw new UsageError(`--set ${pathText}: file "${valueText}" not found`);
  let value: unknown;
  try {
    value = parse(isFile ? readFileSync(valueText, 'utf8') : valueText);
  } catch (error) {
    throw new UsageError(`--set ${pathText}: cannot parse value "${valueText}": ${(error as Error).message.split('\n')[0]}`);
  }
  return { text, path, value };
}

/**
 * Applies `--set` overrides to a scenario: each deep-sets one field of the
 * file (creating maps on the way), and the result is validated by the scenario
 * schema like a file (a bad override is a ScenarioError naming the path). The
 * text changes, so the run id of a variant differs from the original's.
 */
export function applyOverrides(scenario: Scenario, overrides: readonly (string | ScenarioOverride)[]): Scenario {
  if (overrides.length === 0) return scenario;
  const parsed = overrides.map((item) => (typeof item === 'string' ? parseOverride(item) : item));
  const document = parseDocument(scenario.text);
  for (const override of parsed) {
    try {
      document.setIn(override.path, document.createNode(override.value));
    } catch (error) {
      // The yaml library refuses a path through a scalar ("Expected YAML collection at name").
      throw new UsageError(`--set ${override.text}: cannot set ${override.path.join('.')}: ${scalarOnPath(document, override.path) ?? (error as Error).message}`);
    }
  }
  const label = `${scenario.file} with ${parsed.map((item) => `--set ${item.text}`).join(' ')}`;
  const changed = parseOverridden(document.toString(), label, parsed);
  return { ...changed, file: scenario.file, overrides: [...(scenario.overrides ?? []), ...parsed.map((item) => item.text)] };
}

/**
 * Parses the overridden text. Its problems name the `--set` they come from and
 * no line: a line of the rewritten text is not a line of the user's file.
 */
function parseOverridden(text: string, label: string, overrides: readonly ScenarioOverride[]): Scenario {
  try {
    return parseScenario(text, label);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const issues = error.issues.map(({ path, message }) => {
      const from = overrides.find((override) => {
        const set = override.path.join('.');
        return path === set || set.startsWith(`${path}.`) || path.startsWith(`${set}.`);
      });
      return { path, message: from === undefined ? message : `${message} (from --set ${from.text})` };
    });
    throw new ScenarioError(label, issues);
  }
}

/** "<prefix> is a value, not a map or list" for the first prefix of `path` that holds a scalar, if any. */
function scalarOnPath(document: Document, path: readonly (string | number)[]): string | undefined {
  for (let length = 1; length < path.length; length++) {
    const node = document.getIn(path.slice(0, length), true);
    if (node !== undefined && node !== null && !isCollection(node)) return `${path.slice(0, length).join('.')} is a value, not a map or list`;
  }
  return undefined;
}
