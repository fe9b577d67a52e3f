/** One problem in a scenario file, with where it is. */
export interface ScenarioIssue {
  /** JSON path in the file, e.g. `agents.researcher.errorRatio`. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

/** A scenario file that cannot be used (exit code 2 at the CLI). */
export class ScenarioError extends Error {
  readonly code = 'BATON_ERR_SCENARIO';
  constructor(
    readonly file: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${file}: invalid scenario\n${issues.map((issue) => `  ${formatIssue(file, issue)}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** `file:line:column: path: message` (line and column when known). */
export function formatIssue(file: string, issue: ScenarioIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return `${where}: ${issue.path || '(root)'}: ${issue.message}`;
}
