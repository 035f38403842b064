// Rules that need the whole lab, checked after the schema passed (the loose ones, on any YAML, also when it did not): unique ids,
// command refs that exist, node names the cluster has, well-formed templates
// and regular expressions, and an answer in the solution for every answer check.
import { CNI_MODES } from '../core/facts.js';
import { FAULTS, findFault } from '../faults/catalogue.js';
import { kindOf } from './checks/index.js';
import { endpointProblem, parseEndpoint } from './endpoints.js';
import { deriveNeeds } from './needs.js';
import type { PathIssue } from './issues.js';
import { suggest } from '../core/did-you-mean.js';
import type { RawLab } from './schema.js';
import type { RawCommand } from './schema-parts.js';
import { findTemplates, type TemplateRef } from './templates.js';
import type { PathSegment } from './yaml-positions.js';

/** Every string in the file, with its path: templates may appear anywhere. */
function* strings(v: unknown, path: PathSegment[]): Generator<[string, PathSegment[]]> {
  if (typeof v === 'string') yield [v, path];
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* strings(v[i], [...path, i]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* strings(x, [...path, k]);
}

/** Node names the lab may use: controlplane and node-1..node-W (any node-N when the lab sets no worker count). */
function nodeProblem(name: string, workers: number | undefined): string | undefined {
  if (name === 'controlplane') return undefined;
  const m = /^node-([1-9]\d*)$/.exec(name);
  const known = workers ? ['controlplane', ...Array.from({ length: workers }, (_, i) => `node-${i + 1}`)].join(', ') : 'controlplane, node-1, node-2, ...';
  if (!m) return `no node '${name}': the lab's nodes are ${known}`;
  if (workers !== undefined && Number(m[1]) > workers) return `no node '${name}': the lab asks for ${workers} worker${workers === 1 ? '' : 's'} (${known}); raise cluster.workers`;
  return undefined;
}

function compileProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern.replace(/\{\{.*?\}\}/g, 'x'), 'm');
    return undefined;
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

/** A step's fault: one of the catalogue, on every mode the lab claims, on nodes the lab has. */
function faultProblems(f: NonNullable<RawLab['steps'][number]['fault']>, cni: RawLab['cni'], workers: number | undefined, path: PathSegment[]): PathIssue[] {
  const out: PathIssue[] = [];
  const fault = findFault(f.name);
  if (!fault) {
    const near = suggest(f.name, FAULTS.map((x) => x.name));
    return [{ path: [...path, 'name'], message: `no fault '${f.name}'${near ? ` (did you mean ${near}?)` : ` (faults: ${FAULTS.map((x) => x.name).join(', ')})`}` }];
  }
  const modes: readonly string[] = cni === 'any' ? CNI_MODES : cni;
  const not = modes.filter((m) => !(fault.modes as readonly string[]).includes(m));
  if (not.length) out.push({ path: [...path, 'name'], message: `fault '${f.name}' applies to ${fault.modes.join(', ')}, not to ${not.join(', ')}, which the step runs on (give the step cni: [...] to narrow it)` });
  for (const key of ['node', 'peer'] as const) {
    const p = f[key] === undefined ? undefined : nodeProblem(f[key], workers);
    if (p) out.push({ path: [...path, key], message: p });
  }
  if (f.service !== undefined && !fault.needsService) out.push({ path: [...path, 'service'], message: `fault '${f.name}' breaks no Service; only ${FAULTS.filter((x) => x.needsService).map((x) => x.name).join(', ')} take one` });
  return out;
}

/**
 * What can be checked on any parsed YAML, whatever its shape: the id against
 * the file name and every template. It runs also when the schema fails, so
 * one round of errors holds them all, not the schema's first and these after.
 */
export function looseProblems(source: unknown, fileId: string | undefined): PathIssue[] {
  const out: PathIssue[] = [];
  const doc = source && typeof source === 'object' ? (source as { id?: unknown; cluster?: { workers?: unknown } }) : {};
  if (fileId !== undefined && typeof doc.id === 'string' && doc.id !== fileId) {
    out.push({ path: ['id'], message: `the id '${doc.id}' must match the file name '${fileId}.yaml'` });
  }
  const w = doc.cluster && typeof doc.cluster === 'object' ? doc.cluster.workers : undefined;
  const workers = typeof w === 'number' && Number.isInteger(w) && w >= 0 ? w : undefined;
  for (const [text, path] of strings(source, [])) {
    const { refs, errors } = findTemplates(text);
    for (const e of errors) out.push({ path, message: e });
    for (const r of refs as TemplateRef[]) {
      if (r.root === 'nodes') {
        const p = nodeProblem(r.name, workers);
        if (p) out.push({ path, message: `${r.raw}: ${p}` });
      }
    }
  }
  return out;
}

export function validateLab(raw: RawLab, source: unknown, fileId: string | undefined, opts: { needs?: boolean } = {}): PathIssue[] {
  const out: PathIssue[] = looseProblems(source, fileId);
  const workers = raw.cluster?.workers;

  const commandIds = new Map<string, PathSegment[]>();
  const refs: [string, PathSegment[]][] = [];
  const visitCommand = (c: RawCommand, path: PathSegment[]) => {
    if (c.ref !== undefined) {
      refs.push([c.ref, [...path, 'ref']]);
      return;
    }
    if (c.id !== undefined) {
      if (commandIds.has(c.id)) out.push({ path: [...path, 'id'], message: `duplicate command id '${c.id}'` });
      else commandIds.set(c.id, path);
    }
    if (c.on !== undefined && !c.on.startsWith('host/')) {
      const p = nodeProblem(c.on, workers);
      if (p) out.push({ path: [...path, 'on'], message: p });
    }
  };
  const visitEndpoint = (text: string, path: PathSegment[]) => {
    const ep = endpointProblem(text) ? undefined : parseEndpoint(text);
    if (ep?.kind === 'node') {
      const p = nodeProblem(ep.name, workers);
      if (p) out.push({ path, message: p });
    }
  };
  const regex = (pattern: string | undefined, path: PathSegment[]) => {
    const p = pattern === undefined ? undefined : compileProblem(pattern);
    if (p) out.push({ path, message: p });
  };

  const stepIds = new Set<string>();
  raw.steps.forEach((step, s) => {
    const sp: PathSegment[] = ['steps', s];
    if (stepIds.has(step.id)) out.push({ path: [...sp, 'id'], message: `duplicate step id '${step.id}'` });
    stepIds.add(step.id);
    step.reset?.forEach((c, i) => visitCommand(c, [...sp, 'reset', i]));
    step.run?.forEach((c, i) => visitCommand(c, [...sp, 'run', i]));
    step.requires?.forEach((r, i) => {
      const p = r.on === undefined ? undefined : nodeProblem(r.on, workers);
      if (p) out.push({ path: [...sp, 'requires', i, 'on'], message: p });
    });

    const checkIds = new Set<string>();
    const answerIds: string[] = [];
    step.checks?.forEach((c, i) => {
      const cp: PathSegment[] = [...sp, 'checks', i];
      if (c.id !== undefined) {
        if (checkIds.has(c.id)) out.push({ path: [...cp, 'id'], message: `duplicate check id '${c.id}' in this step` });
        checkIds.add(c.id);
      }
      kindOf(c.kind).validate(c as never, cp, {
        command: visitCommand,
        endpoint: visitEndpoint,
        regex,
        machine: (on, path) => {
          if (on.startsWith('host/')) return;
          const p = nodeProblem(on, workers);
          if (p) out.push({ path, message: p });
        },
        issue: (path, message) => out.push({ path, message }),
        answer: (id) => answerIds.push(id),
      });
    });

    const sol = step.solution;
    if (sol && typeof sol === 'object') sol.run?.forEach((c, i) => visitCommand(c, [...sp, 'solution', 'run', i]));
    const labModes: readonly string[] = raw.cni === 'any' ? CNI_MODES : raw.cni;
    step.cni?.forEach((m, i) => {
      if (!labModes.includes(m)) out.push({ path: [...sp, 'cni', i], message: `the lab's cni does not claim ${m} (it claims ${labModes.join(', ')})` });
    });
    if (step.fault) out.push(...faultProblems(step.fault, step.cni ?? raw.cni, workers, [...sp, 'fault']));
    const answers = sol && typeof sol === 'object' ? (sol.answers ?? {}) : {};
    for (const id of answerIds) {
      if (!(id in answers)) {
        out.push({ path: sol === undefined ? sp : [...sp, 'solution'], message: `missing solution.answers.${id}: the answer the headless runner gives to check '${id}'` });
      }
    }
    for (const [id, a] of Object.entries(answers)) {
      const ap: PathSegment[] = [...sp, 'solution', 'answers', id];
      if (!answerIds.includes(id)) {
        out.push({ path: ap, atKey: true, message: `no answer check '${id}' in this step${answerIds.length ? ` (answer checks: ${answerIds.join(', ')})` : ''}` });
      }
      if (typeof a !== 'string') {
        visitCommand(a.run, [...ap, 'run']);
        regex(a.match, [...ap, 'match']);
      }
    }
  });

  out.push(...deriveNeeds(raw, { unresolved: opts.needs ?? false }).problems);

  for (const [id, path] of refs) {
    if (!commandIds.has(id)) {
      out.push({ path, message: `no command with id '${id}' in this lab${commandIds.size ? ` (ids: ${[...commandIds.keys()].join(', ')})` : ''}` });
    }
  }
  return out;
}
