import type { ReportDocument } from './report-document.js';

/**
 * JUnit XML in the Apache Ant format that Jenkins, GitLab and the GitHub test
 * reporters read: one `<testsuite>` per run, one `<testcase>` per assertion and
 * per invariant checker. Failures carry the failing value and the command that
 * replays the run.
 */
export function renderJunit(documents: ReportDocument | readonly ReportDocument[]): string {
  const runs = Array.isArray(documents) ? documents : [documents as ReportDocument];
  const suites = runs.map((doc, index) => suite(doc, index));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('')}</testsuites>\n`;
}

interface Case {
  classname: string;
  name: string;
  failure?: { message: string; type: string; text: string };
}

function suite(doc: ReportDocument, id: number): string {
  const replay = doc.invariants.violations[0]?.replayCommand ?? `npx baton replay scenarios/${doc.run.scenario}.yaml --seed ${doc.run.seed}`;
  const base = `baton.${doc.run.scenario}.seed${doc.run.seed}`;
  const cases: Case[] = [];
  for (const assertion of doc.verdict.assertions) {
    cases.push({
      classname: `${base}.assertions`,
      name: assertion.expression,
      failure: assertion.passed
        ? undefined
        : {
            message: `${assertion.expression}: actual ${assertion.actual}`,
            type: 'assertion',
            text: `${assertion.metric} = ${assertion.actual}, expected ${assertion.operator} ${assertion.expected}\nreplay: ${replay}`,
          },
    });
  }
  for (const { checker, violations } of doc.invariants.checkers) {
    const found = doc.invariants.violations.filter((violation) => violation.checker === checker);
    cases.push({
      classname: `${base}.invariants`,
      name: checker,
      failure:
        violations === 0
          ? undefined
          : {
              message: `${violations} violation(s) of ${checker}: ${found[0]?.story ?? ''}`,
              type: found[0]?.classification ?? 'invariant',
              text: found
                .map((violation) => `at ${violation.atMs} ms (trace ${violation.traceId || '-'}): ${violation.story}\nreplay: ${violation.replayCommand}`)
                .join('\n'),
            },
    });
  }
  const failures = cases.filter((item) => item.failure).length;
  const attributes = [
    ['name', base],
    ['package', 'baton'],
    ['id', String(id)],
    ['timestamp', junitTimestamp(doc.wall.startedAt)],
    ['hostname', doc.wall.host || 'localhost'],
    ['tests', String(cases.length)],
    ['failures', String(failures)],
    ['errors', '0'],
    ['skipped', '0'],
    ['time', (doc.wall.totalMs / 1000).toFixed(3)],
  ];
  const properties = [
    ['baton.run.id', doc.run.id],
    ['baton.scenario', doc.run.scenario],
    ['baton.seed', String(doc.run.seed)],
    ['baton.version', doc.run.batonVersion],
    ['baton.handoffs.successRate', String(doc.handoffs.successRate)],
    ['baton.handoffs.latencyMs.p99', String(doc.handoffs.latencyMs.p99)],
  ];
  const lines = [`  <testsuite ${attributes.map(([key, value]) => `${key}="${xml(value)}"`).join(' ')}>`];
  lines.push('    <properties>');
  for (const [name, value] of properties) lines.push(`      <property name="${xml(name)}" value="${xml(value)}"/>`);
  lines.push('    </properties>');
  for (const item of cases) {
    const open = `    <testcase classname="${xml(item.classname)}" name="${xml(item.name)}" time="0"`;
    if (!item.failure) lines.push(`${open}/>`);
    else {
      lines.push(`${open}>`);
      lines.push(`      <failure message="${xml(item.failure.message)}" type="${xml(item.failure.type)}">${xml(item.failure.text)}</failure>`);
      lines.push('    </testcase>');
    }
  }
  lines.push(`    <system-out>${xml(`run ${doc.run.id}: ${doc.verdict.passed ? 'PASS' : 'FAIL'}; replay: ${replay}`)}</system-out>`);
  lines.push('    <system-err></system-err>');
  lines.push('  </testsuite>');
  return `${lines.join('\n')}\n`;
}

/** ISO-8601 without zone or fraction, as the Ant schema wants (UTC). */
function junitTimestamp(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? match[1] : '1970-01-01T00:00:00';
}

/** Text safe in XML content and attribute values; characters XML 1.0 forbids are dropped. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;');
}
