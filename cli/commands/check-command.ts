import { parseArgs } from 'node:util';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { loadScenarioFile, type Scenario } from '../../scenarios/format/load-scenario.js';
import { formatIssue, ScenarioError, type ScenarioIssue } from '../../scenarios/format/scenario-error.js';
import { assertionProblem } from '../../reports/assertions.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const CHECK_HELP = `Usage: baton check <scenario.yaml>...

Validates scenario files without running them: YAML syntax, the scenario
schema, references between agents, tasks and nodes, and the assert: block
(syntax and metric names). Prints every problem as file:line:column: path: message.
Exit code 0 when every file is valid, 2 otherwise.

Examples:
  baton check scenarios/research-pipeline.yaml
  baton check scenarios/*.yaml
`;

/** Problems of the `assert:` block, located in the file. */
export function assertionIssues(scenario: Scenario): ScenarioIssue[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(scenario.text, { lineCounter });
  const issues: ScenarioIssue[] = [];
  (scenario.spec.assert ?? []).forEach((expression, index) => {
    const message = assertionProblem(expression);
    if (message === undefined) return;
    const node = document.getIn(['assert', index], true);
    const position = isNode(node) && node.range ? lineCounter.linePos(node.range[0]) : undefined;
    issues.push({ path: `assert.${index}`, line: position?.line, column: position?.col, message });
  });
  return issues;
}

/** `baton check`: validates each file, printing every problem. */
export async function checkCommand(argv: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    out.write(CHECK_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`baton check takes one or more scenario files\n\n${CHECK_HELP}`);
  let problems = 0;
  for (const file of positionals) {
    let issues: ScenarioIssue[];
    let summary = '';
    try {
      const scenario = loadScenarioFile(file);
      issues = assertionIssues(scenario);
      const spec = scenario.spec;
      summary = `${spec.name}: ${Object.keys(spec.agents).length} agents, ${Object.keys(spec.workflow.tasks).length} tasks, ${(spec.assert ?? []).length} assertions`;
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      issues = error.issues;
    }
    if (issues.length === 0) out.write(`${file}: ok (${summary})\n`);
    for (const issue of issues) out.write(`${formatIssue(file, issue)}\n`);
    problems += issues.length;
  }
  if (problems > 0) out.write(`${problems} problem(s)\n`);
  return problems === 0 ? EXIT.ok : EXIT.badInput;
}
