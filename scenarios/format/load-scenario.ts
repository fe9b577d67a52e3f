import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { Scenario } from './scenario.js';
import { scenarioSchema } from './scenario-schema.js';
import { ScenarioError, type ScenarioIssue } from './scenario-error.js';
import type { ScenarioFile } from './scenario-types.js';
import { supervisorNodes } from './world-options.js';
import { faultNodes } from '../../simulator/faults/scripted-faults.js';
import { STORE_NODE } from '../../simulator/faults/fault-plan.js';

export { simulationOptions, type Scenario } from './scenario.js';

/**
 * The scenario schema's validator, compiled on first use: compiling takes
 * ~0.35 s, which a sweep worker (it gets the scenario already validated)
 * and any importer that never parses a scenario need not pay. Its code is
 * not optimised: an optimising pass took ~40 % of the compile, and the
 * validator runs once per scenario file.
 */
let validator: ValidateFunction | undefined;
function scenarioValidator(): ValidateFunction {
  return (validator ??= new Ajv2020({ allErrors: true, strict: true, discriminator: true, allowUnionTypes: true, code: { optimize: false } }).compile(scenarioSchema));
}

/** Reads and validates a scenario file. Throws ScenarioError naming every problem and where. */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [{ path: '', message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  return parseScenario(text, file);
}

/** Validates scenario text (YAML or JSON). `file` only labels errors. */
export function parseScenario(text: string, file = '<scenario>'): Scenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      file,
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { path: '', line: position.line, column: position.col, message: `YAML: ${error.message.split('\n')[0]}` };
      }),
    );
  }
  const value: unknown = document.toJS();
  const validate = scenarioValidator();
  if (!validate(value)) {
    throw new ScenarioError(file, schemaIssues(validate.errors ?? [], document, lineCounter));
  }
  const spec = value as unknown as ScenarioFile;
  const issues = [...referenceIssues(spec), ...rangeIssues(spec)].map((issue) => locate(issue, document, lineCounter));
  if (issues.length > 0) throw new ScenarioError(file, issues);
  return { file, text, contentHash: createHash('sha256').update(text).digest('hex'), spec };
}

function schemaIssues(errors: ErrorObject[], document: Document, lineCounter: LineCounter): ScenarioIssue[] {
  const seen = new Set<string>();
  const issues: ScenarioIssue[] = [];
  for (const error of errors) {
    // A discriminator's "tag must be in oneOf" repeats what `required` or the kind's enum says.
    if (error.keyword === 'oneOf' || error.keyword === 'if' || error.keyword === 'discriminator') continue;
    const segments = pointerSegments(error.instancePath);
    let message = error.message ?? 'invalid';
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      segments.push(extra);
      message = 'unknown field';
    }
    if (error.keyword === 'enum' || error.keyword === 'const') {
      const allowed = (error.params as { allowedValues?: unknown[]; allowedValue?: unknown }).allowedValues ?? [
        (error.params as { allowedValue?: unknown }).allowedValue,
      ];
      message = `must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`;
    }
    const issue = locate({ path: segments.join('.'), message }, document, lineCounter, segments);
    const key = `${issue.path}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Adds line and column of the deepest node of `path` that exists in the document. */
function locate(issue: ScenarioIssue, document: Document, lineCounter: LineCounter, segments = issue.path.split('.').filter(Boolean)): ScenarioIssue {
  for (let length = segments.length; length >= 0; length--) {
    const keys = segments.slice(0, length).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const node = length === 0 ? document.contents : document.getIn(keys, true);
    if (isNode(node) && node.range) {
      const position = lineCounter.linePos(node.range[0]);
      return { ...issue, line: position.line, column: position.col };
    }
  }
  return issue;
}

/** Uniform distributions whose `max` is below their `min` (the schema checks each bound alone), anywhere in the file. */
function rangeIssues(spec: ScenarioFile): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (Array.isArray(value)) return value.forEach((item, index) => walk(item, [...path, String(index)]));
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.dist === 'uniform' && typeof record.min === 'number' && typeof record.max === 'number' && record.max < record.min) {
      issues.push({ path: [...path, 'max'].join('.'), message: `must be >= min (${record.min})` });
    }
    for (const [key, item] of Object.entries(record)) walk(item, [...path, key]);
  };
  walk(spec, []);
  return issues;
}

/** Cross-references the schema cannot express: agents, tasks and nodes that must exist. */
function referenceIssues(spec: ScenarioFile): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const agents = new Set(Object.keys(spec.agents));
  const nodes = new Set([...agents, 'supervisor', ...supervisorNodes(spec.orchestrators?.supervisorsCount ?? 1), STORE_NODE]);
  for (const agent of agents) {
    // The simulator's own nodes share the network with the agents: a second listener under one name cannot start.
    if (agent === 'supervisor' || agent === STORE_NODE || /^supervisor-\d+$/.test(agent)) {
      issues.push({ path: `agents.${agent}`, message: `agent name "${agent}" is reserved for a built-in node ("supervisor", "supervisor-N", "${STORE_NODE}")` });
    }
  }
  const tasks = new Set(Object.keys(spec.workflow.tasks));
  for (const [taskId, task] of Object.entries(spec.workflow.tasks)) {
    if (!agents.has(task.agent)) {
      issues.push({ path: `workflow.tasks.${taskId}.agent`, message: `unknown agent "${task.agent}" (agents: ${[...agents].join(', ')})` });
    }
    (task.dependsOn ?? []).forEach((dependency, index) => {
      if (!tasks.has(dependency)) {
        issues.push({ path: `workflow.tasks.${taskId}.dependsOn.${index}`, message: `unknown task "${dependency}"` });
      }
    });
  }
  (spec.faults ?? []).forEach((fault, index) => {
    const targets = faultNodes(fault);
    for (const target of targets) {
      if (!nodes.has(target)) issues.push({ path: `faults.${index}`, message: `unknown node "${target}" (nodes: ${[...nodes].join(', ')})` });
    }
  });
  (spec.network?.links ?? []).forEach((link, index) => {
    for (const end of [link.from, link.to]) {
      if (!nodes.has(end)) issues.push({ path: `network.links.${index}`, message: `unknown node "${end}"` });
    }
  });
  return issues;
}
