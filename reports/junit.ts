/**
 * The run as JUnit XML, the shape CI systems read (Jenkins, GitLab, GitHub's test reporters):
 * `testsuites > testsuite > testcase > failure|skipped`. One suite of thresholds (a test case per
 * expression), one of the audit (a test case per check). A failed threshold or check is a
 * failed test case whose message says what was measured against what was allowed.
 */
import type { RunResult } from '../harness/engine/result/types.js';
import { auditOf, measuredOf, thresholdStatusOf } from './facts.js';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; lone surrogates;
 * U+FFFE/U+FFFF): replaced by U+FFFD so the document stays well-formed.
 */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this removes.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` safe inside an XML attribute or element: markup characters escaped, tab and line
 * breaks as character references (an attribute keeps them), characters XML cannot hold
 * replaced by U+FFFD.
 *
 * @example
 * xmlEscape('p(99)<500 & "x"') // 'p(99)&lt;500 &amp; &quot;x&quot;'
 */
export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');
}

/** One test case before it is written. */
interface Case {
  name: string;
  classname: string;
  /** `failure`: message and details; `skipped`: why; none: passed. */
  failure?: { message: string; type: string; details: string };
  skipped?: string;
  out?: string;
}

interface Suite {
  name: string;
  cases: Case[];
}

function thresholdSuite(result: RunResult): Suite {
  const cases = result.thresholds.map((t): Case => {
    const name = `${t.metric}: ${t.expression}`;
    const base = { name, classname: 'nexus-harness.thresholds' };
    const status = thresholdStatusOf(t);
    if (status === 'n/a') return { ...base, skipped: `n/a: ${t.note ?? 'not measured by this run'}` };
    if (t.ok) return { ...base, out: `measured ${measuredOf(result, t)}, threshold ${t.expression}` };
    const measured = status === 'no-data' ? `no data${t.note ? ` (${t.note})` : ''}` : measuredOf(result, t);
    const message = `measured ${measured}, threshold ${t.expression}`;
    return {
      ...base,
      failure: {
        message,
        type: status === 'no-data' ? 'no-data' : 'threshold',
        details: `${t.metric}: ${message}${t.abort ? ' (abortOnFail stopped the run)' : ''}`,
      },
    };
  });
  return { name: 'thresholds', cases };
}

function auditSuite(result: RunResult): Suite {
  const classname = 'nexus-harness.audit';
  const audit = auditOf(result);
  if (audit.kind === 'n/a')
    return { name: 'audit', cases: [{ name: 'audit', classname, skipped: `n/a — ${audit.why}` }] };
  const cases = audit.checks.map((c): Case => {
    const examples = c.examples.length > 0 ? `; e.g. op ${c.examples.join(', ')}` : '';
    const line = `${c.describe}: measured ${c.count}, threshold 0${examples}`;
    if (c.gates && c.count > 0)
      return {
        name: c.name,
        classname,
        failure: { message: `measured ${c.count}, threshold 0`, type: 'audit', details: line },
      };
    return { name: c.name, classname, out: c.gates ? line : `${line} (reported, does not fail the run)` };
  });
  if (!audit.report.complete)
    cases.push({
      name: 'ledger complete',
      classname,
      skipped: `ledger incomplete, findings are lower bounds: ${audit.report.incomplete.join('; ')}`,
    });
  return { name: 'audit', cases };
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

/**
 * The JUnit XML of `result`: `<testsuites>` with a `thresholds` suite (a test case per
 * threshold expression; `n/a` ones skipped) and an `audit` suite (duplicates, lost,
 * retry_after_violations, failed_but_applied; skipped with the reason on a target without a
 * ledger). A failure's message is `measured X, threshold Y`. Times are the run's, in seconds,
 * on the suites; test cases take 0 (they are verdicts, not timed tests).
 *
 * @example
 * await writeFile('reports/out/run/junit.xml', renderJunit(result));
 */
export function renderJunit(result: RunResult): string {
  const suites = [thresholdSuite(result), auditSuite(result)];
  const time = (result.durationMs / 1_000).toFixed(3);
  const count = (s: Suite, what: 'failure' | 'skipped') =>
    s.cases.filter((c) => c[what] !== undefined).length;
  const scenario = result.scenario as { name?: unknown } | null;
  const runName = `nexus-harness ${typeof scenario?.name === 'string' ? scenario.name : 'run'} ${result.runId}`;
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + count(s, 'failure'), 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites${attrs({ name: runName, tests, failures, errors: 0, time })}>`);
  const props: Record<string, string> = {
    runId: result.runId,
    verdict: result.verdict ?? (result.passed ? 'passed' : 'failed'),
    ...(result.meta && {
      harnessVersion: result.meta.harnessVersion,
      node: result.meta.node,
      os: result.meta.os,
      cpus: String(result.meta.cpus),
      commandLine: result.meta.commandLine,
      unsafeIgnoreRateLimits: String(result.meta.unsafeIgnoreRateLimits),
      seed: String(result.meta.seed),
    }),
  };
  suites.forEach((s, id) => {
    lines.push(
      `  <testsuite${attrs({
        name: s.name,
        tests: s.cases.length,
        failures: count(s, 'failure'),
        errors: 0,
        skipped: count(s, 'skipped'),
        time,
        timestamp: result.startedAt.replace(/\.\d+Z$|Z$/, ''),
        id,
      })}>`,
    );
    lines.push('    <properties>');
    for (const [name, value] of Object.entries(props))
      lines.push(`      <property${attrs({ name, value })}/>`);
    lines.push('    </properties>');
    for (const c of s.cases) {
      const head = `    <testcase${attrs({ name: c.name, classname: c.classname, time: 0 })}`;
      if (c.failure === undefined && c.skipped === undefined && c.out === undefined) {
        lines.push(`${head}/>`);
        continue;
      }
      lines.push(`${head}>`);
      if (c.failure)
        lines.push(
          `      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${xmlEscape(c.failure.details)}</failure>`,
        );
      if (c.skipped !== undefined) lines.push(`      <skipped${attrs({ message: c.skipped })}/>`);
      if (c.out !== undefined) lines.push(`      <system-out>${xmlEscape(c.out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
