import type { Scenario } from '../scenarios/format/load-scenario.js';
import { AssertionSyntaxError, assertionProblem } from '../reports/assertions.js';

/**
 * Checks every assertion a run will check, before anything runs or is stored
 * (they need no report): each `--assert`, then the scenario's `assert:` block.
 * A bad one throws AssertionSyntaxError (exit 2) saying where it came from.
 */
export function checkAssertionsUpFront(scenario: Scenario | undefined, expressions: readonly string[] | undefined): void {
  for (const expression of expressions ?? []) checkAssertion('--assert', expression);
  (scenario?.spec.assert ?? []).forEach((expression, index) => checkAssertion(`${scenario!.file}: assert.${index}`, expression));
}

function checkAssertion(where: string, expression: string): void {
  const problem = assertionProblem(expression);
  if (problem) throw new AssertionSyntaxError(`${where}: ${problem}`);
}
