// Which earlier steps a step depends on, so a learner can be caught up to it:
// derived from what the steps' commands create (kubectl run NAME, create
// deployment NAME, expose ... [--name NAME]) and what a step names (templates
// like {{ pods.httpd.ip }}, `in: POD`, pod/NAME endpoints, kubectl logs/exec
// POD, waits), plus a step's explicit `needs: [STEP-ID]` for state no command
// names (a route an earlier step added on a gateway). Pure, over the raw lab,
// so `hoplab labs --check` can point at the file position of a reference that
// no step before it creates.
import type { ObjectKind, ObjectRef, StepNeed } from './model.js';
import type { PathIssue } from './issues.js';
export type { ObjectKind, ObjectRef, StepNeed } from './model.js';
import type { RawCheck, RawLab, RawStep } from './schema.js';
import type { RawCommand } from './schema-parts.js';
import { ShellWordsError, shellWords } from '../core/shell-words.js';
import { findTemplates } from './templates.js';
import type { PathSegment } from './yaml-positions.js';

/** What the cluster has before any step: never a dependency. */
const BUILT_IN: ReadonlySet<string> = new Set(['service/kubernetes', 'service/kube-dns']);

export const objectKey = (o: ObjectRef) => `${o.kind}/${o.name}`;
const key = objectKey;

function words(text: string): string[] {
  try {
    return shellWords(text.replace(/^kubectl\s+/, ''));
  } catch (err) {
    if (err instanceof ShellWordsError) return [];
    throw err;
  }
}

/** kubectl's words without flags (and the values of the flags that take one), up to `--`. */
function positionals(argv: string[]): { pos: string[]; flags: Map<string, string> } {
  const pos: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--') break;
    if (w.startsWith('-')) {
      const eq = w.indexOf('=');
      if (eq > 0) flags.set(w.slice(0, eq), w.slice(eq + 1));
      else if (/^(-n|--namespace|--name|--image|--port|--type|--replicas|--timeout|-o|--output|-l|--selector|-c|--container|--overrides|--restart|--field-selector|--target-port)$/.test(w)) flags.set(w, argv[++i] ?? '');
      else flags.set(w, '');
      continue;
    }
    pos.push(w);
  }
  return { pos, flags };
}

const SERVICE_TYPES = new Set(['clusterip', 'nodeport', 'loadbalancer', 'externalname']);
const KIND_WORDS: Record<string, ObjectKind> = { pod: 'pod', pods: 'pod', po: 'pod', deployment: 'deployment', deployments: 'deployment', deploy: 'deployment', service: 'service', services: 'service', svc: 'service' };

/** What a kubectl command line makes: `run NAME`, `create deployment NAME`, `create service TYPE NAME`, `expose KIND NAME [--name X]`. */
export function kubectlCreates(text: string): ObjectRef[] {
  const { pos, flags } = positionals(words(text));
  if (flags.has('-n') || flags.has('--namespace') || flags.has('--dry-run')) return [];
  const [verb, a, b, c] = pos;
  if (verb === 'run' && a) return [{ kind: 'pod', name: a }];
  if (verb === 'create' && (a === 'deployment' || a === 'deploy') && b) return [{ kind: 'deployment', name: b }];
  if (verb === 'create' && (a === 'service' || a === 'svc') && b && SERVICE_TYPES.has(b) && c) return [{ kind: 'service', name: c }];
  if (verb === 'expose' && a) {
    const slash = a.indexOf('/');
    const name = flags.get('--name') || (slash > 0 ? a.slice(slash + 1) : b);
    return name ? [{ kind: 'service', name }] : [];
  }
  return [];
}

/** What a kubectl command line needs to exist: `logs POD`, `exec POD`, `get|describe pod(s)/NAME`, `scale|rollout ... deployment NAME`, `expose KIND NAME`. */
export function kubectlNeeds(text: string): ObjectRef[] {
  const { pos, flags } = positionals(words(text));
  if (flags.has('-n') || flags.has('--namespace') || flags.has('-l') || flags.has('--selector')) return [];
  const [verb, ...rest] = pos;
  const named = (kindWord: string | undefined, name: string | undefined): ObjectRef[] => {
    if (!kindWord) return [];
    const slash = kindWord.indexOf('/');
    if (slash > 0) {
      const kind = KIND_WORDS[kindWord.slice(0, slash)];
      return kind ? [{ kind, name: kindWord.slice(slash + 1) }] : [];
    }
    const kind = KIND_WORDS[kindWord];
    return kind && name && !kindWord.includes(',') ? [{ kind, name }] : [];
  };
  switch (verb) {
    case 'logs':
    case 'exec':
    case 'attach':
      return rest[0] ? [rest[0].startsWith('pod/') ? { kind: 'pod', name: rest[0].slice(4) } : { kind: 'pod', name: rest[0] }] : [];
    case 'get':
    case 'describe':
    case 'scale':
    case 'expose':
      return named(rest[0], rest[1]);
    case 'rollout':
      return named(rest[1], rest[2]);
    default:
      return [];
  }
}

interface Use {
  obj: ObjectRef;
  path: PathSegment[];
  what: string;
}

/** Every string under v with its path. */
function* strings(v: unknown, path: PathSegment[]): Generator<[string, PathSegment[]]> {
  if (typeof v === 'string') yield [v, path];
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* strings(v[i], [...path, i]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* strings(x, [...path, k]);
}

function endpointPod(text: string): string | undefined {
  return /^\s*pod\/([a-z0-9.-]+)\s*$/.exec(text)?.[1];
}

function commandUses(c: RawCommand, path: PathSegment[], out: Use[]): void {
  if (c.ref !== undefined) return; // the command it names is visited where it is written
  if (c.kubectl !== undefined) for (const obj of kubectlNeeds(c.kubectl)) out.push({ obj, path: [...path, 'kubectl'], what: `kubectl ${c.kubectl.replace(/^kubectl\s+/, '').split(/\s+/).slice(0, 2).join(' ')}` });
  if (c.in !== undefined && c.namespace === undefined) out.push({ obj: { kind: 'pod', name: c.in }, path: [...path, 'in'], what: `in: ${c.in}` });
  const waits = c.wait === undefined ? [] : Array.isArray(c.wait) ? c.wait : [c.wait];
  waits.forEach((w, i) => {
    const pod = w.pod ?? w.logs;
    if (pod && w.namespace === undefined) out.push({ obj: { kind: 'pod', name: pod }, path: [...path, 'wait', ...(Array.isArray(c.wait) ? [i] : [])], what: `wait for pod ${pod}` });
  });
}

function checkUses(c: RawCheck, path: PathSegment[], out: Use[]): void {
  const ep = (text: string, p: PathSegment[]) => {
    const pod = endpointPod(text);
    if (pod) out.push({ obj: { kind: 'pod', name: pod }, path: p, what: text.trim() });
  };
  switch (c.kind) {
    case 'hops':
      ep(c.from, [...path, 'from']);
      ep(c.to, [...path, 'to']);
      commandUses(c.observe, [...path, 'observe'], out);
      break;
    case 'succeeds':
    case 'fails':
    case 'output':
      commandUses(c.run, [...path, 'run'], out);
      break;
    case 'answer':
      if (typeof c.expect !== 'string') {
        ep(c.expect.from, [...path, 'expect', 'from']);
        ep(c.expect.to, [...path, 'expect', 'to']);
      }
      break;
    default:
      break;
  }
}

/** What a step names that must exist when it runs (its own creations included; the caller filters them). */
export function stepUses(step: RawStep, path: PathSegment[]): Use[] {
  const out: Use[] = [];
  for (const [text, p] of strings(step, path)) {
    for (const r of findTemplates(text).refs) {
      if (r.root === 'pods') out.push({ obj: { kind: 'pod', name: r.name }, path: p, what: r.raw });
      else if (r.root === 'services') out.push({ obj: { kind: 'service', name: r.name }, path: p, what: r.raw });
    }
  }
  step.run?.forEach((c, i) => commandUses(c, [...path, 'run', i], out));
  step.checks?.forEach((c, i) => checkUses(c, [...path, 'checks', i], out));
  const sol = step.solution;
  if (sol && typeof sol === 'object') {
    for (const [id, a] of Object.entries(sol.answers ?? {})) if (typeof a !== 'string') commandUses(a.run, [...path, 'solution', 'answers', id, 'run'], out);
  }
  return out;
}

/** What a step's run commands make (a deployment's pods are anonymous: only the deployment counts). */
export function stepCreates(step: RawStep): ObjectRef[] {
  return (step.run ?? []).flatMap((c) => (c.kubectl !== undefined ? kubectlCreates(c.kubectl) : []));
}

/**
 * Each step's direct needs (indexes of earlier steps, with why), and the
 * problems: an explicit `needs` that is not an earlier step, and with
 * `unresolved`, a step naming a pod or Service no earlier step creates (lab
 * files are held to that; a test's lab on a cluster that has the pod already
 * is not).
 */
export function deriveNeeds(raw: RawLab, opts: { unresolved?: boolean } = {}): { needs: StepNeed[][]; problems: PathIssue[] } {
  const problems: PathIssue[] = [];
  const creators = raw.steps.map((s) => new Set(stepCreates(s).map(key)));
  const ids = raw.steps.map((s) => s.id);
  const needs = raw.steps.map((step, s): StepNeed[] => {
    const sp: PathSegment[] = ['steps', s];
    const found = new Map<number, { objects: string[]; explicit: boolean }>();
    const add = (i: number, object: string | undefined) => {
      const n = found.get(i) ?? { objects: [], explicit: false };
      if (object === undefined) n.explicit = true;
      else if (!n.objects.includes(object)) n.objects.push(object);
      found.set(i, n);
    };
    const reported = new Set<string>();
    for (const use of stepUses(step, sp)) {
      const k = key(use.obj);
      if (creators[s]!.has(k) || BUILT_IN.has(k)) continue;
      let from = -1;
      for (let i = s - 1; i >= 0; i--) {
        if (creators[i]!.has(k)) {
          from = i;
          break;
        }
      }
      if (from >= 0) add(from, k);
      else if (opts.unresolved && !reported.has(k)) {
        reported.add(k);
        const how = use.obj.kind === 'pod' ? `kubectl run ${use.obj.name}` : use.obj.kind === 'service' ? `kubectl expose ... --name ${use.obj.name}` : `kubectl create deployment ${use.obj.name}`;
        problems.push({ path: use.path, message: `${use.what}: no step up to here creates ${use.obj.kind} '${use.obj.name}' (${how}), so nothing can catch a learner up to this step` });
      }
    }
    (step.needs ?? []).forEach((id, j) => {
      const i = ids.indexOf(id);
      if (i < 0) problems.push({ path: [...sp, 'needs', j], message: `no step '${id}' in this lab (steps: ${ids.join(', ')})` });
      else if (i >= s) problems.push({ path: [...sp, 'needs', j], message: `step '${id}' ${i === s ? 'is this step' : 'comes after this one'}: needs names earlier steps (${ids.slice(0, s).join(', ') || 'there are none'})` });
      else add(i, undefined);
    });
    return [...found.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([step, n]) => ({
        step,
        objects: n.objects,
        ...(n.explicit ? { explicit: true } : {}),
        why: [...n.objects.map((o) => o.replace('/', ' ')), ...(n.explicit ? [`needs: ${ids[step]}`] : [])].join(', '),
      }));
  });
  return { needs, problems };
}

/**
 * The earlier steps whose solutions bring the cluster to where `targets` can
 * run: the closure of their needs, without the targets themselves, in lab order.
 */
export function catchUpPlan(steps: readonly { needs?: StepNeed[] }[], targets: readonly number[]): number[] {
  return [...wantedFrom(steps, targets).keys()].sort((a, b) => a - b);
}

/**
 * Per step of the plan, what is wanted of it: `all` (an explicit need: every
 * change it makes), or the objects later steps name. Catch-up leaves out a
 * step's creations nobody wants (the traceroute pod of an earlier trace).
 */
export function wantedFrom(steps: readonly { needs?: StepNeed[] }[], targets: readonly number[]): Map<number, 'all' | Set<string>> {
  const want = new Map<number, 'all' | Set<string>>();
  const todo = [...targets];
  const seen = new Set<number>(targets);
  while (todo.length) {
    const i = todo.pop()!;
    for (const n of steps[i]?.needs ?? []) {
      const cur = want.get(n.step) ?? new Set<string>();
      if (cur !== 'all') {
        if (n.explicit) want.set(n.step, 'all');
        else want.set(n.step, new Set([...cur, ...n.objects]));
      }
      if (!seen.has(n.step)) {
        seen.add(n.step);
        todo.push(n.step);
      }
    }
  }
  for (const t of targets) want.delete(t);
  return want;
}
