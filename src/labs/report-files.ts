// `hoplab run LAB --report junit|md FILE`: one learner's run as a file for CI
// or for handing in. One test case per check; a step that failed outside its
// checks (a command failed) is a case of its own.
import type { RanBy } from './reporter.js';
import { hopTable } from './checks/hops.js';
import { junitXml, type JunitCase } from './junit.js';
import type { CheckResult, LabResult } from './results.js';

export const REPORT_FORMATS = ['junit', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** passed / shown / failed for one check, as the classroom reports it. */
export type OutcomeOf = (c: CheckResult, by: RanBy) => 'passed' | 'shown' | 'failed';

const OUTCOME_WORD = { passed: 'passed', shown: 'shown by hoplab', failed: 'FAILED' } as const;

function checkBody(c: CheckResult): string {
  const v = c.hops?.verdict;
  return [c.summary, ...(c.kind === 'hops' ? hopTable(c) : []), ...(v?.diagnosis && !v.passed ? [`diagnosis: ${v.diagnosis}`] : [])].join('\n');
}

export function labJunit(r: LabResult, outcome: OutcomeOf, by: RanBy): string {
  const cases: JunitCase[] = [];
  for (const s of r.steps) {
    if (s.skipped) {
      cases.push({ classname: `${r.lab}.${s.id}`, name: s.title, skipped: s.skipped });
      continue;
    }
    if (s.error && !s.checks.some((c) => !c.skipped)) cases.push({ classname: `${r.lab}.${s.id}`, name: `${s.title}: commands`, failure: { message: s.error } });
    for (const c of s.checks) {
      const o = outcome(c, by);
      cases.push({
        classname: `${r.lab}.${s.id}`,
        name: c.title,
        ...(c.skipped ? { skipped: c.summary } : o === 'failed' ? { failure: { message: c.summary, body: checkBody(c) } } : {}),
        out: `${OUTCOME_WORD[o]}: ${checkBody(c)}`,
      });
    }
  }
  return junitXml(`hoplab ${r.lab}`, [{ name: `${r.lab} (${r.provider}, ${r.cni})`, cases, seconds: r.durationMs / 1000 }]);
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function labMarkdown(r: LabResult, outcome: OutcomeOf, by: RanBy): string {
  const out = [`# ${r.title} (${r.lab})`, '', `${r.passed ? 'Passed' : 'Not passed'} on ${r.provider}, ${r.cni}, in ${(r.durationMs / 1000).toFixed(1)} s.`, ''];
  out.push('| step | check | result | what was seen |', '|---|---|---|---|');
  for (const s of r.steps) {
    if (s.skipped) out.push(`| ${mdCell(s.title)} | | skipped | ${mdCell(s.skipped)} |`);
    else if (!s.checks.length && s.error) out.push(`| ${mdCell(s.title)} | | FAILED | ${mdCell(s.error)} |`);
    for (const c of s.checks) out.push(`| ${mdCell(s.title)} | ${mdCell(c.title)} | ${c.skipped ? 'skipped' : OUTCOME_WORD[outcome(c, by)]} | ${mdCell(c.summary)} |`);
  }
  const failed = r.steps.flatMap((s) => s.checks.filter((c) => !c.passed && !c.skipped && c.kind === 'hops').map((c) => ({ s, c })));
  for (const { s, c } of failed) {
    out.push('', `## ${s.title}: ${c.title}`, '', '```', ...hopTable(c), '```');
    if (c.hops?.verdict?.diagnosis) out.push('', c.hops.verdict.diagnosis);
  }
  return out.join('\n') + '\n';
}
