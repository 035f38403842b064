// A minimal JUnit XML writer (the testsuites/testsuite/testcase subset CI
// dashboards read). Text is escaped, and characters XML 1.0 cannot hold at all
// (most controls) are dropped, so any learner-supplied text still parses.
export interface JunitCase {
  classname: string;
  name: string;
  seconds?: number;
  failure?: { message: string; body?: string };
  skipped?: string;
  /** Shown under the case (JUnit's system-out). */
  out?: string;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
  seconds?: number;
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function xmlEscape(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const secs = (n?: number) => (n === undefined ? '' : ` time="${n.toFixed(3)}"`);

export function junitXml(name: string, suites: JunitSuite[]): string {
  const count = (f: (c: JunitCase) => boolean) => suites.reduce((n, s) => n + s.cases.filter(f).length, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlEscape(name)}" tests="${count(() => true)}" failures="${count((c) => Boolean(c.failure))}" skipped="${count((c) => Boolean(c.skipped))}">`];
  for (const s of suites) {
    lines.push(`  <testsuite name="${xmlEscape(s.name)}" tests="${s.cases.length}" failures="${s.cases.filter((c) => c.failure).length}" skipped="${s.cases.filter((c) => c.skipped).length}"${secs(s.seconds)}>`);
    for (const c of s.cases) {
      const head = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}"${secs(c.seconds)}`;
      const inner: string[] = [];
      if (c.failure) inner.push(`      <failure message="${xmlEscape(c.failure.message)}">${xmlEscape(c.failure.body ?? c.failure.message)}</failure>`);
      if (c.skipped) inner.push(`      <skipped message="${xmlEscape(c.skipped)}"/>`);
      if (c.out) inner.push(`      <system-out>${xmlEscape(c.out)}</system-out>`);
      lines.push(inner.length ? `${head}>\n${inner.join('\n')}\n    </testcase>` : `${head}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
