// Lab files in, Lab model or positioned errors out. Parsing (js-yaml with
// positions), the schema and the whole-lab rules run in that order; each
// error carries file:line:col and the field path.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Lab, LabCheck, LabCommand, LabError, LabSolution, LabStep, MachineTarget, WaitCondition, AnswerSource } from './model.js';
import { translateIssues, type PathIssue } from './issues.js';
import { kindOf } from './checks/index.js';
import { labSchema, type RawCheck, type RawLab, type RawStep } from './schema.js';
import type { RawCommand, RawWait } from './schema-parts.js';
import { deriveNeeds, type StepNeed } from './needs.js';
import { looseProblems, validateLab } from './validate.js';
import { formatPath, parseYaml, YamlSyntaxError, type PathSegment, type YamlDoc } from './yaml-positions.js';

export type LoadResult = { ok: true; lab: Lab } | { ok: false; errors: LabError[] };

const DEFAULT_COMMAND_TIMEOUT = 120;
const DEFAULT_WAIT_TIMEOUT = 180;

class Normaliser {
  private byId = new Map<string, LabCommand>();
  constructor(
    private file: string,
    private doc: YamlDoc,
  ) {}

  at(path: PathSegment[]): string {
    const p = this.doc.positionOf(path);
    return `${this.file}:${p.line}:${p.column}`;
  }

  waits(w: RawCommand['wait']): WaitCondition[] {
    const list: RawWait[] = w === undefined ? [] : Array.isArray(w) ? w : [w];
    return list.map((c): WaitCondition => {
      const timeoutSec = c.timeout ?? DEFAULT_WAIT_TIMEOUT;
      const ns = c.namespace ? { namespace: c.namespace } : {};
      if (c.logs !== undefined) return { kind: 'logs-contain', pod: c.logs, ...ns, text: c.contains!, timeoutSec };
      if (c.gone) return { kind: 'pod-gone', pod: c.pod!, ...ns, timeoutSec };
      const phases = Array.isArray(c.phase) ? c.phase : [c.phase!];
      return { kind: 'pod-phase', pod: c.pod!, ...ns, phases, timeoutSec };
    });
  }

  /** Commands with an id first, so refs (which may point forward) resolve. */
  collect(c: RawCommand, path: PathSegment[]): void {
    if (c.id !== undefined && c.ref === undefined) this.byId.set(c.id, this.command(c, path));
  }

  /** A ref and the command it names are the same object, so the runner can reuse what it printed. */
  command(c: RawCommand, path: PathSegment[]): LabCommand {
    if (c.ref !== undefined) return this.byId.get(c.ref)!;
    if (c.id !== undefined && this.byId.has(c.id)) return this.byId.get(c.id)!;
    const base = {
      ...(c.id !== undefined ? { id: c.id } : {}),
      wait: this.waits(c.wait),
      timeoutSec: c.timeout ?? DEFAULT_COMMAND_TIMEOUT,
      mayFail: c.mayFail ?? false,
      at: this.at(path),
    };
    if (c.kubectl !== undefined) {
      const text = c.kubectl.replace(/^kubectl\s+/, '');
      return { ...base, where: { kind: 'kubectl' }, text, display: `kubectl ${text}` };
    }
    const where: LabCommand['where'] =
      c.in !== undefined
        ? { kind: 'pod', name: c.in, ...(c.namespace ? { namespace: c.namespace } : {}) }
        : c.on!.startsWith('host/')
          ? { kind: 'host', name: c.on!.slice('host/'.length) }
          : { kind: 'node', name: c.on! };
    return { ...base, where, text: c.cmd!, display: c.cmd! };
  }

  check(c: RawCheck, path: PathSegment[], index: number): LabCheck {
    const id = c.id ?? `check-${index + 1}`;
    const ctx = { command: (raw: RawCommand, rel: PathSegment[]) => this.command(raw, [...path, ...rel]), machine };
    return kindOf(c.kind).load(c as never, { id, at: this.at(path) }, ctx);
  }

  solution(s: RawStep['solution'], path: PathSegment[]): LabSolution | undefined {
    if (s === undefined) return undefined;
    if (typeof s === 'string') return { text: s, answers: {}, run: [] };
    const answers: Record<string, AnswerSource> = {};
    for (const [id, a] of Object.entries(s.answers ?? {})) {
      answers[id] =
        typeof a === 'string'
          ? { kind: 'value', text: a }
          : { kind: 'command', command: this.command(a.run, [...path, 'answers', id, 'run']), ...(a.match !== undefined ? { match: a.match } : {}) };
    }
    return { text: s.text, answers, run: (s.run ?? []).map((c, i) => this.command(c, [...path, 'run', i])) };
  }

  step(s: RawStep, path: PathSegment[], needs: StepNeed[]): LabStep {
    const solution = this.solution(s.solution, [...path, 'solution']);
    return {
      id: s.id,
      title: s.title,
      text: s.text,
      ...(s.providers ? { providers: [...s.providers] } : {}),
      reset: (s.reset ?? []).map((c, i) => this.command(c, [...path, 'reset', i])),
      run: (s.run ?? []).map((c, i) => this.command(c, [...path, 'run', i])),
      checks: (s.checks ?? []).map((c, i) => this.check(c, [...path, 'checks', i], i)),
      requires: (s.requires ?? []).map((r) => (r.on !== undefined ? { pod: r.pod, on: r.on } : { pod: r.pod, apartFrom: r.apartFrom! })),
      hints: s.hints ?? [],
      ...(solution ? { solution } : {}),
      ...(needs.length ? { needs } : {}),
      ...(s.cni ? { cni: [...s.cni] } : {}),
      ...(s.fault ? { fault: { ...s.fault } } : {}),
    };
  }

  lab(raw: RawLab): Lab {
    const { needs } = deriveNeeds(raw);
    raw.steps.forEach((s, i) => {
      s.reset?.forEach((c, j) => this.collect(c, ['steps', i, 'reset', j]));
      s.run?.forEach((c, j) => this.collect(c, ['steps', i, 'run', j]));
      if (s.solution && typeof s.solution === 'object') s.solution.run?.forEach((c, j) => this.collect(c, ['steps', i, 'solution', 'run', j]));
    });
    return {
      id: raw.id,
      title: raw.title,
      summary: raw.summary,
      cni: raw.cni === 'any' ? 'any' : [...raw.cni],
      minutes: raw.minutes,
      order: raw.order ?? 100,
      cluster: {
        ...(raw.cluster?.workers !== undefined ? { workers: raw.cluster.workers } : {}),
        ...(raw.cluster?.lan ? { lan: true } : {}),
      },
      steps: raw.steps.map((s, i) => this.step(s, ['steps', i], needs[i] ?? [])),
      file: this.file,
    };
  }
}

function machine(on: string): MachineTarget {
  return on.startsWith('host/') ? { kind: 'host', name: on.slice('host/'.length) } : { kind: 'node', name: on };
}

function toErrors(file: string, doc: YamlDoc, issues: PathIssue[]): LabError[] {
  const errors = issues.map((i): LabError => {
    const p = doc.positionOf(i.path, { key: i.atKey });
    return { file, line: p.line, column: p.column, path: formatPath(i.path), message: i.message };
  });
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The id a lab in this file must have: its name without .yaml/.yml. */
export function fileLabId(file: string): string {
  return basename(file, extname(file));
}

/**
 * Parses a lab from text. `file` names it in errors; with `checkFileName` the
 * lab's id must equal the file's base name (how `hoplab run ID` finds it);
 * with `checkNeeds` every pod or Service a step names must be created by a
 * step up to it (needs.ts), so catch-up can reach every step.
 */
export function parseLab(text: string, file: string, opts: { checkFileName?: boolean; checkNeeds?: boolean } = {}): LoadResult {
  let doc: YamlDoc;
  try {
    doc = parseYaml(text);
  } catch (err) {
    if (err instanceof YamlSyntaxError) {
      return { ok: false, errors: [{ file, line: err.position.line, column: err.position.column, path: '', message: `YAML syntax: ${err.reason}` }] };
    }
    throw err;
  }
  const parsed = labSchema.safeParse(doc.value);
  const fileId = opts.checkFileName ? fileLabId(file) : undefined;
  if (!parsed.success) {
    // Templates and the id are checked on what the file holds, so their errors come in the same round as the schema's.
    // A string the schema already refused is not also reported for its templates.
    const schema = translateIssues(parsed.error.issues, doc.value);
    const refused = new Set(schema.map((i) => formatPath(i.path)));
    const loose = looseProblems(doc.value, fileId).filter((l) => !refused.has(formatPath(l.path)));
    return { ok: false, errors: toErrors(file, doc, [...schema, ...loose]) };
  }
  const problems = validateLab(parsed.data, doc.value, fileId, { needs: opts.checkNeeds ?? false });
  if (problems.length) return { ok: false, errors: toErrors(file, doc, problems) };
  return { ok: true, lab: new Normaliser(file, doc).lab(parsed.data) };
}

export async function loadLabFile(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, errors: [{ file, line: 1, column: 1, path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${(err as Error).message}` }] };
  }
  // A lab file must be reachable step by step: every pod or Service a step names, an earlier step creates.
  return parseLab(text, file, { checkFileName: true, checkNeeds: true });
}
