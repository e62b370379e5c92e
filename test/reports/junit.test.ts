/**
 * The JUnit report read back with a real XML parser (fast-xml-parser): well-formed, and the
 * structure the common JUnit schema (Jenkins/Ant `junit-10.xsd`) requires —
 * testsuites > testsuite[name,tests,failures,errors,time] > testcase[name,classname,time] >
 * failure[message] — with counts that add up.
 */
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlEscape } from '../../reports/junit.js';
import { sampleAudit, sampleResult } from './sample-result.js';

interface Case {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  timestamp: string;
  properties: { property: { name: string; value: string }[] };
  testcase: Case[];
}

/** Parses `xml` after checking it is well-formed; every list element as an array. */
function parse(xml: string): { testsuites: { tests: string; failures: string; testsuite: Suite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml);
}

/** What the schema requires of each element, and that the counts agree with the cases. */
function expectSchemaShape(doc: ReturnType<typeof parse>): void {
  const root = doc.testsuites;
  expect(root).toBeDefined();
  let tests = 0;
  let failures = 0;
  for (const suite of root.testsuite) {
    for (const attr of ['name', 'tests', 'failures', 'errors', 'time', 'timestamp'] as const)
      expect(suite[attr], `testsuite@${attr}`).toBeTypeOf('string');
    expect(suite.time).toMatch(/^\d+(\.\d+)?$/);
    expect(suite.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/); // xs:dateTime without zone
    expect(Number(suite.tests)).toBe(suite.testcase.length);
    expect(Number(suite.failures)).toBe(suite.testcase.filter((c) => c.failure !== undefined).length);
    expect(Number(suite.skipped)).toBe(suite.testcase.filter((c) => c.skipped !== undefined).length);
    for (const c of suite.testcase) {
      for (const attr of ['name', 'classname', 'time'] as const)
        expect(c[attr], `testcase@${attr}`).toBeTypeOf('string');
      if (c.failure !== undefined) expect(c.failure.message).toBeTypeOf('string');
    }
    tests += suite.testcase.length;
    failures += Number(suite.failures);
  }
  expect(Number(root.tests)).toBe(tests);
  expect(Number(root.failures)).toBe(failures);
}

describe('renderJunit', () => {
  it('is a testsuite per kind and a test case per threshold and audit check; a failing threshold is a failed test case', () => {
    const result = sampleResult({
      'op_duration{op:send_message}': ['p(95)<0.001', 'p(99)<500'],
      op_failed: ['rate<0.5'],
    });
    const doc = parse(renderJunit(result));
    expectSchemaShape(doc);
    const [thresholds, audit] = doc.testsuites.testsuite;
    expect(thresholds!.name).toBe('thresholds');
    expect(thresholds!.testcase.map((c) => c.name)).toEqual([
      'op_duration{op:send_message}: p(95)<0.001',
      'op_duration{op:send_message}: p(99)<500',
      'op_failed: rate<0.5',
    ]);
    expect(thresholds!.failures).toBe('1');
    const failed = thresholds!.testcase[0]!;
    expect(failed.failure?.message).toBe('measured 38.015 ms, threshold p(95)<0.001');
    expect(thresholds!.testcase[1]!.failure).toBeUndefined();
    expect(audit!.name).toBe('audit');
    expect(audit!.testcase.map((c) => c.name)).toEqual([
      'duplicates',
      'lost',
      'retry_after_violations',
      'failed_but_applied',
    ]);
    expect(audit!.failures).toBe('0');
  });

  it('fails the audit check that found something, with the count and examples', () => {
    const doc = parse(renderJunit(sampleResult({ duplicates: ['count==0'] }, sampleAudit(2))));
    expectSchemaShape(doc);
    const audit = doc.testsuites.testsuite[1]!;
    const duplicates = audit.testcase.find((c) => c.name === 'duplicates')!;
    expect(duplicates.failure?.message).toBe('measured 2, threshold 0');
    expect(duplicates.failure?.['#text']).toContain('op-1, op-2');
    // The threshold on the same metric fails in its own suite, with the measured value.
    expect(doc.testsuites.testsuite[0]!.testcase[0]!.failure?.message).toBe('measured 2, threshold count==0');
  });

  it('skips the audit (and the audit thresholds, n/a) on a target without a ledger', () => {
    const doc = parse(renderJunit(sampleResult({ duplicates: ['count==0'] }, null)));
    expectSchemaShape(doc);
    const [thresholds, audit] = doc.testsuites.testsuite;
    expect(thresholds!.testcase[0]!.skipped?.message).toMatch(/^n\/a: /);
    expect(audit!.testcase).toHaveLength(1);
    expect(audit!.testcase[0]!.skipped?.message).toBe('n/a — this target has no ledger (url)');
    expect(doc.testsuites.failures).toBe('0');
  });

  it('stays well-formed with markup, quotes and control characters in names', () => {
    const hostile = 'x<y>&"\'\u0001\u001f\ud800]]>';
    const result = sampleResult({ 'op_duration{op:send_message}': ['p(99)<500'] });
    result.thresholds = [
      { ...result.thresholds[0]!, metric: `op_duration{op:${hostile}}`, ok: false, status: 'fail' },
    ];
    result.runId = hostile;
    const doc = parse(renderJunit(result));
    expectSchemaShape(doc);
    const c = doc.testsuites.testsuite[0]!.testcase[0]!;
    expect(c.name).toBe('op_duration{op:x<y>&"\'\ufffd\ufffd\ufffd]]>}: p(99)<500');
    expect(c.failure?.message).toMatch(/^measured .+, threshold p\(99\)<500$/);
  });

  it('carries the run metadata as properties', () => {
    const result = {
      ...sampleResult(),
      meta: {
        harnessVersion: '0.1.0',
        node: 'v20.20.2',
        os: 'linux 6.8.0 (x64)',
        cpus: 2,
        commandLine: "nexus-harness run smoke --api-key '[redacted]'",
        unsafeIgnoreRateLimits: false,
        seed: 3,
      },
    };
    const props = parse(renderJunit(result)).testsuites.testsuite[0]!.properties.property;
    expect(Object.fromEntries(props.map((p) => [p.name, p.value]))).toMatchObject({
      harnessVersion: '0.1.0',
      commandLine: "nexus-harness run smoke --api-key '[redacted]'",
      seed: '3',
    });
  });
});

describe('xmlEscape', () => {
  it('escapes markup and replaces what XML 1.0 cannot hold', () => {
    expect(xmlEscape('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
    expect(xmlEscape('\u0000\u0008\u000b\ufffe')).toBe('\ufffd\ufffd\ufffd\ufffd');
    expect(xmlEscape('tab\tnl\ncr\r😀')).toBe('tab&#9;nl&#10;cr&#13;😀');
  });

  it('makes any string a well-formed attribute and text, which reads back as the string (XML-legal characters)', () => {
    const legal = (t: string) =>
      t.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd');
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseAttributeValue: false,
      parseTagValue: false,
      trimValues: false,
      processEntities: true,
      htmlEntities: true,
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const xml = `<a v="${xmlEscape(text)}">${xmlEscape(text)}</a>`;
        expect(XMLValidator.validate(xml)).toBe(true);
        const a = parser.parse(xml).a;
        const attr = typeof a === 'object' ? a.v : undefined;
        if (attr !== undefined) expect(attr).toBe(legal(text));
      }),
    );
  });
});
