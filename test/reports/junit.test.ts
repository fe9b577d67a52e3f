import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../reports/render/junit.js';
import { documentWith } from './support/sample-document.js';

// JUnit XML validated by libxml2 (xmllint, as WebAssembly) against the Ant
// JUnit schema, for passing and failing runs and hostile text.
const schema = readFileSync(join(import.meta.dirname, 'support', 'junit-ant.xsd'), 'utf8');

async function validate(xmlText: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xmlText }], schema: [{ fileName: 'junit.xsd', contents: schema }] });
  return result.errors.map((error) => error.rawMessage);
}

describe('renderJunit', () => {
  it('a passing run: one testcase per assertion and per checker, schema-valid', async () => {
    const doc = documentWith({});
    const text = renderJunit(doc);
    expect(await validate(text)).toEqual([]);
    expect(text.match(/<testcase /g)).toHaveLength(doc.verdict.assertions.length + doc.invariants.checkers.length);
    expect(text).not.toContain('<failure');
    expect(text).toContain('failures="0"');
  });

  it('a failing run: failures carry the value and the replay command, schema-valid', async () => {
    const doc = documentWith({ failAssertion: true, violation: true });
    const text = renderJunit(doc);
    expect(await validate(text)).toEqual([]);
    expect(text).toContain('failures="2"');
    expect(text).toMatch(/<failure message="handoffs.successRate &gt;= 0.999: actual 0.9" type="assertion">/);
    expect(text).toContain('npx baton replay scenarios/sample.yaml --seed 7');
    expect(text).toMatch(/<testcase classname="baton.sample.seed7.invariants" name="no-lost-handoff" time="0">\s*<failure/);
  });

  it('escapes markup and drops characters XML forbids', async () => {
    const doc = documentWith({ violation: true, story: 'a <b> & "c" \u0001 \'d\' ]]>' });
    const text = renderJunit(doc);
    expect(await validate(text)).toEqual([]);
    expect(text).toContain('a &lt;b&gt; &amp; &quot;c&quot;  &apos;d&apos; ]]&gt;');
  });

  it('several runs (a sweep) become several suites with ids 0..n-1', async () => {
    const text = renderJunit([documentWith({}), documentWith({ violation: true })]);
    expect(await validate(text)).toEqual([]);
    expect(text).toContain('id="0"');
    expect(text).toContain('id="1"');
  });

  it('the validator does reject a broken document', async () => {
    const broken = renderJunit(documentWith({})).replace(/ hostname="[^"]*"/, '');
    expect((await validate(broken)).join('\n')).toMatch(/hostname/);
  });
});
