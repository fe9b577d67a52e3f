import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handoffSql } from '../../reports/metrics/handoff-metrics.js';
import { coordinationSql } from '../../reports/metrics/coordination-metrics.js';
import { workflowSql } from '../../reports/metrics/workflow-metrics.js';
import { agentSql } from '../../reports/metrics/agent-metrics.js';
import { faultSql } from '../../reports/metrics/fault-metrics.js';
import { invariantSql } from '../../reports/metrics/invariant-metrics.js';
import { runSql } from '../../reports/run-report.js';
import { chartSql } from '../../reports/chart-data.js';
import { historySql } from '../../reports/history-report.js';
import { runMetricsStatements, simulatedRunsWhere } from '../../collector/store/run-metrics-sql.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import type { RunScope } from '../../reports/sql.js';
import { metricNames } from '../../reports/assertions.js';
import { documentWith } from './support/sample-document.js';
import { repoRoot } from '../support/cli.js';

// docs/reports.md shows every metric query verbatim and names every metric.
const doc = readFileSync(join(repoRoot, 'docs', 'reports.md'), 'utf8');
const scope: RunScope = {
  spans: 'baton.spans FINAL',
  events: 'baton.span_events FINAL',
  runs: 'baton.runs FINAL',
  violations: 'baton.violations FINAL',
  where: "run_id = '<run-id>'",
};
const groups: Record<string, Record<string, (scope: RunScope, traceId: string) => string>> = {
  runSql, workflowSql, handoffSql, coordinationSql, agentSql, faultSql, invariantSql, chartSql,
};

describe('docs/reports.md', () => {
  for (const [group, queries] of Object.entries(groups)) {
    for (const [name, build] of Object.entries(queries)) {
      it(`shows ${group}.${name} as the code builds it`, () => {
        expect(doc).toContain(`### ${group}.${name}\n\`\`\`sql\n${build(scope, '<trace-id>')}\n\`\`\``);
      });
    }
  }

  it('shows the SQL of baton history and of run_metrics as the code builds it', () => {
    for (const [name, text] of Object.entries(historySql({ database: 'baton' } as SpanStore, {}))) {
      expect(doc).toContain(`#### historySql.${name}\n\`\`\`sql\n${text}\n\`\`\``);
    }
    const families = ['workflow', 'handoff', 'coordination', 'fault'];
    const statements = runMetricsStatements('baton', simulatedRunsWhere('baton'));
    expect(statements).toHaveLength(families.length);
    for (const [index, text] of statements.entries()) {
      expect(doc).toContain(`#### runMetricsStatements: ${families[index]}\n\`\`\`sql\n${text}\n\`\`\``);
    }
  });

  it('documents every metric: its section and its own name appear', () => {
    const runDependent = /^(faults\.byKind|handoffs\.failuresByPhase|handoffs\.attempts\.distribution|coordination\.(byKindMs|shareByKind))\./;
    for (const name of metricNames(documentWith({})).filter((metric) => !runDependent.test(metric))) {
      const parts = name.split('.');
      expect(doc, name).toContain(`\`${parts[0]}.`);
      expect(doc, name).toMatch(new RegExp(`[\`./ ]${parts[parts.length - 1]}\\b`));
    }
  });
});
