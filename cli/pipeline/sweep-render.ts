import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepDocument, SweepSeedResult } from './sweep-document.js';

/** Rows of the failing-seeds table printed before "… and N more". */
export const FAILING_ROWS_MAX = 20;

/** sweep.json text: two-space JSON with a trailing newline. */
export function renderSweepJson(document: SweepDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The terminal summary: totals, then a table of failing seeds with the command that replays each. */
export function renderSweepTerminal(document: SweepDocument): string {
  const { sweep, aggregate } = document;
  const lines = [
    `baton sweep ${sweep.id}  ${sweep.scenario}  seeds ${sweep.seeds}${sweep.swarm ? `  swarm ${sweep.swarm}` : ''}`,
    `  seeds stored                   ${aggregate.seedsStored}/${aggregate.seedsRequested}${aggregate.seedsMissing > 0 ? `  (${aggregate.seedsMissing} not run yet: other shards)` : ''}`,
    `  seeds passed / failed          ${aggregate.passed} / ${aggregate.failed}`,
    `  workflows completed            ${aggregate.workflows.completed}/${aggregate.workflows.total}`,
    `  handoff success rate           ${(aggregate.handoffs.successRate * 100).toFixed(2)}%  (${aggregate.handoffs.succeeded}/${aggregate.handoffs.total})`,
    `  faults injected                ${aggregate.faults.injected}${formatCounts(aggregate.faults.byKind)}`,
    `  invariant violations           ${aggregate.violations.total}${formatCounts(aggregate.violations.byChecker)}`,
  ];
  const failing = document.seeds.filter((seed) => seed.verdict === 'fail');
  if (failing.length > 0) {
    lines.push('', '  failing seeds', `  ${'seed'.padStart(8)}  ${'first failure'.padEnd(60)}  replay`);
    for (const seed of failing.slice(0, FAILING_ROWS_MAX)) lines.push(`  ${String(seed.seed).padStart(8)}  ${firstFailure(seed).slice(0, 60).padEnd(60)}  ${seed.replay}`);
    if (failing.length > FAILING_ROWS_MAX) lines.push(`  … and ${failing.length - FAILING_ROWS_MAX} more (see sweep.json)`);
  }
  const wall = document.wall as { seedsPerSecond?: number; jobs?: number; seedsRun?: number } | undefined;
  if (wall?.seedsPerSecond !== undefined) lines.push(`  throughput                     ${wall.seedsPerSecond} seeds/s  (${wall.seedsRun} seeds, --jobs ${wall.jobs})`);
  lines.push(`  verdict                        ${aggregate.failed === 0 ? 'PASS' : 'FAIL'}`);
  return `${lines.join('\n')}\n`;
}

/** Markdown: the same summary and table. */
export function renderSweepMarkdown(document: SweepDocument): string {
  const { sweep, aggregate } = document;
  const lines = [
    `# Sweep ${sweep.id}: ${sweep.scenario}`,
    '',
    `Seeds ${sweep.seeds}${sweep.swarm ? `, swarm \`${sweep.swarm}\`` : ''}, baton ${sweep.batonVersion}.`,
    '',
    '| metric | value |',
    '|---|---|',
    `| seeds stored | ${aggregate.seedsStored}/${aggregate.seedsRequested} |`,
    `| seeds passed / failed | ${aggregate.passed} / ${aggregate.failed} |`,
    `| workflows completed | ${aggregate.workflows.completed}/${aggregate.workflows.total} |`,
    `| handoff success rate | ${(aggregate.handoffs.successRate * 100).toFixed(2)}% |`,
    `| faults injected | ${aggregate.faults.injected}${formatCounts(aggregate.faults.byKind)} |`,
    `| invariant violations | ${aggregate.violations.total}${formatCounts(aggregate.violations.byChecker)} |`,
  ];
  const failing = document.seeds.filter((seed) => seed.verdict === 'fail');
  if (failing.length > 0) {
    lines.push('', '## Failing seeds', '', '| seed | first failure | replay |', '|---|---|---|');
    for (const seed of failing) lines.push(`| ${seed.seed} | ${firstFailure(seed).replace(/\|/g, '\\|')} | \`${seed.replay}\` |`);
  }
  return `${lines.join('\n')}\n`;
}

/** JUnit XML: one test case per seed, failing seeds as failures. */
export function renderSweepJunit(document: SweepDocument): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cases = document.seeds.map((seed) => {
    const name = `${document.sweep.scenario} seed ${seed.seed}`;
    if (seed.verdict === 'pass') return `    <testcase classname="baton.sweep" name="${escape(name)}"/>`;
    return `    <testcase classname="baton.sweep" name="${escape(name)}">\n      <failure message="${escape(firstFailure(seed))}">${escape(seed.replay)}</failure>\n    </testcase>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="baton sweep ${escape(document.sweep.scenario)}" tests="${document.seeds.length}" failures="${document.aggregate.failed}" errors="0">\n` +
    `${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`
  );
}

/** Writes sweep.json, sweep.md and junit.xml into `dir`. */
export function writeSweepFiles(dir: string, document: SweepDocument): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep.json'), renderSweepJson(document));
  writeFileSync(join(dir, 'sweep.md'), renderSweepMarkdown(document));
  writeFileSync(join(dir, 'junit.xml'), renderSweepJunit(document));
}

function firstFailure(seed: SweepSeedResult): string {
  const violation = seed.violations[0];
  if (violation) return `${violation.checker} @${Math.round(violation.atMs)}ms: ${violation.story}`;
  const assertion = seed.failedAssertions[0];
  return assertion ? `assertion ${assertion.expression} (was ${assertion.actual})` : '';
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '' : `  (${entries.map(([key, count]) => `${key} ${count}`).join(', ')})`;
}
