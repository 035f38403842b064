// The headless runner's text output: a live log of what the runner does
// (from its events) and a closing summary. No colour: CI logs and NO_COLOR
// terminals read the same words.
import { kindOf } from './checks/index.js';
import type { CheckResult, EventSink, LabResult, RunEvent } from './results.js';

const MAX_OUTPUT_LINES = 15;

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}


export function checkLines(c: CheckResult): string[] {
  const out = [`${c.passed ? 'PASS' : c.skipped ? 'SKIP' : 'FAIL'}  ${c.title}: ${c.summary}`];
  return [...out, ...kindOf(c.kind).render(c).map((l) => `      ${l}`)];
}

/** Prints the run as it happens. */
export function liveReport(write: (text: string) => void): EventSink {
  let shown = 0;
  let hidden = 0;
  const flushHidden = () => {
    if (hidden) write(`      … ${hidden} more line${hidden === 1 ? '' : 's'}\n`);
    hidden = 0;
  };
  let total = 0;
  // Catch-up runs solutions unchecked: its commands are listed, their output is not.
  let catchingUp = false;
  return (e: RunEvent) => {
    switch (e.type) {
      case 'catch-up-start':
        if (e.steps.length) {
          catchingUp = true;
          write(`\ncatching up: the solutions of step${e.steps.length === 1 ? '' : 's'} ${e.steps.map((i) => i + 1).join(', ')}, not checked\n`);
        }
        break;
      case 'catch-up-step':
        write(`  [${e.step + 1}/${total}] ${e.title}\n`);
        break;
      case 'catch-up-end':
        catchingUp = false;
        if (e.result.steps.length || !e.result.ok) write(`  ${e.result.ok ? 'caught up' : `catch-up FAILED: ${e.result.error}`} (${secs(e.result.durationMs)})\n`);
        break;
      case 'lab-start':
        total = e.steps;
        write(`${e.lab}: ${e.title} (${e.provider}, ${e.cni}, ${e.steps} steps)\n`);
        break;
      case 'step-start':
        write(`\n[${e.step + 1}/${total}] ${e.title}\n`);
        break;
      case 'command-start':
        shown = 0;
        hidden = 0;
        write(`${catchingUp ? '    ' : '  '}${e.where === 'kubectl' ? '' : `${e.where}`}$ ${e.display}${e.phase === 'run' ? '' : `   (${e.phase})`}\n`);
        break;
      case 'output':
        if (catchingUp) break;
        if (shown < MAX_OUTPUT_LINES) {
          write(`      ${e.line}\n`);
          shown++;
        } else hidden++;
        break;
      case 'wait':
        if (e.state !== 'start') {
          flushHidden();
          write(`      waiting for ${e.condition}: ${e.state === 'done' ? 'ok' : `FAILED, ${e.detail ?? ''}`}\n`);
        }
        break;
      case 'command-end':
        flushHidden();
        if (e.result.error) write(`      error: ${e.result.error}\n`);
        else if (e.result.exitCode !== 0) write(`      exit ${e.result.exitCode}${e.result.ok ? ' (allowed)' : ''}\n`);
        break;
      case 'check':
        for (const l of checkLines(e.result)) write(`  ${l}\n`);
        break;
      case 'step-end':
        if (e.result.skipped) write(`  step skipped: ${e.result.skipped}\n`);
        else write(`  step ${e.result.passed ? 'passed' : `FAILED${e.result.error ? `: ${e.result.error}` : ''}`} (${secs(e.result.durationMs)})\n`);
        break;
      case 'lab-end':
        break;
    }
  };
}

/** The closing summary: counts, and every failed check once more. */
export function summary(r: LabResult): string {
  const checks = r.steps.flatMap((s) => s.checks);
  const ran = r.steps.filter((s) => !s.skipped);
  const passedSteps = ran.filter((s) => s.passed).length;
  const skipped = r.steps.length - ran.length;
  const lines = [
    '',
    `${r.lab}: ${r.passed ? 'PASSED' : 'FAILED'}: ${passedSteps} of ${ran.length} steps, ${checks.filter((c) => c.passed).length} of ${checks.length} checks passed (${r.provider}, ${r.cni}, ${secs(r.durationMs)})` +
      (skipped ? `; ${skipped} step${skipped === 1 ? '' : 's'} for other providers skipped` : ''),
  ];
  if (r.catchUp?.steps.length) lines.push(`  caught up first: step${r.catchUp.steps.length === 1 ? '' : 's'} ${r.catchUp.steps.map((s) => s.index + 1).join(', ')} in ${secs(r.catchUp.durationMs)}`);
  if (r.error) lines.push(`  stopped: ${r.error}`);
  for (const s of r.steps) {
    if (s.passed) continue;
    if (s.error) lines.push(`  ${s.id}: ${s.error}`);
    for (const c of s.checks.filter((x) => !x.passed && !x.skipped)) lines.push(`  ${s.id}: ${c.title}: ${c.summary}`);
  }
  return lines.join('\n') + '\n';
}
