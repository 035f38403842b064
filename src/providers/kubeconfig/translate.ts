// A lab's kubectl line speaks the lab's language: nodes by role
// (`"kubernetes.io/hostname": "node-1"`, `node/node-1`) and `default` for its
// namespace. Before it reaches a real cluster, roles become the real node
// names and `default` becomes the lab's own namespace, so a lab never touches
// the user's default namespace. Arguments after `--` (the container's
// command) pass unchanged. Pure.
import type { RoleMap } from './roles.js';

const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const NODE_RESOURCES = new Set(['node', 'nodes', 'no']);

export interface TranslateContext {
  roles: RoleMap;
  namespace: string;
}

const real = (ctx: TranslateContext, name: string) => ctx.roles[name] ?? name;

/** Node names inside a pod spec override: nodeName, nodeSelector, node affinity on the hostname label or metadata.name. */
function translateSpec(spec: any, ctx: TranslateContext): void {
  if (!spec || typeof spec !== 'object') return;
  if (typeof spec.nodeName === 'string') spec.nodeName = real(ctx, spec.nodeName);
  const sel = spec.nodeSelector;
  if (sel && typeof sel[HOSTNAME_LABEL] === 'string') sel[HOSTNAME_LABEL] = real(ctx, sel[HOSTNAME_LABEL]);
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const preferred = spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  const allTerms = [...(Array.isArray(terms) ? terms : []), ...(Array.isArray(preferred) ? preferred.map((p: any) => p?.preference) : [])];
  for (const term of allTerms) {
    for (const [list, key] of [
      [term?.matchExpressions, HOSTNAME_LABEL],
      [term?.matchFields, 'metadata.name'],
    ] as const) {
      for (const req of Array.isArray(list) ? list : []) {
        if (req?.key === key && Array.isArray(req.values)) req.values = req.values.map((v: unknown) => (typeof v === 'string' ? real(ctx, v) : v));
      }
    }
  }
}

/** An --overrides JSON with node names translated; unparsable text is left for kubectl to complain about. */
export function translateOverrides(json: string, ctx: TranslateContext): string {
  let obj: any;
  try {
    obj = JSON.parse(json);
  } catch {
    return json;
  }
  translateSpec(obj?.spec, ctx);
  translateSpec(obj?.spec?.template?.spec, ctx);
  return JSON.stringify(obj);
}

/** `spec.nodeName=node-1` in a field selector, `kubernetes.io/hostname=node-1` in a label selector. */
function translateSelector(text: string, key: string, ctx: TranslateContext): string {
  return text
    .split(',')
    .map((part) => {
      const m = /^(\s*)([^!=\s]+)(\s*(?:==|!=|=)\s*)(.*?)(\s*)$/.exec(part);
      return m && m[2] === key ? `${m[1]}${m[2]}${m[3]}${real(ctx, m[4]!)}${m[5]}` : part;
    })
    .join(',');
}

/** A flag's value, whichever way it was written: `--f=v`, `--f v`, `-n v`, `-nv`. */
type ValueFlag = { long: string; short?: string; map: (v: string) => string };

export function translateKubectlArgs(args: string[], ctx: TranslateContext): string[] {
  const ns = (v: string) => (v === 'default' ? ctx.namespace : v);
  const flags: ValueFlag[] = [
    { long: '--namespace', short: '-n', map: ns },
    { long: '--overrides', map: (v) => translateOverrides(v, ctx) },
    { long: '--field-selector', map: (v) => translateSelector(v, 'spec.nodeName', ctx) },
    { long: '--selector', short: '-l', map: (v) => translateSelector(v, HOSTNAME_LABEL, ctx) },
  ];
  const out: string[] = [];
  const positionals: number[] = []; // indexes in out
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    const flag = flags.find((f) => a === f.long || a === f.short || a.startsWith(`${f.long}=`) || (f.short && a.startsWith(f.short) && a.length > f.short.length && !a.startsWith('--')));
    if (flag) {
      if (a === flag.long || a === flag.short) {
        out.push(a);
        if (i + 1 < args.length) out.push(flag.map(args[++i]!));
      } else if (a.startsWith(`${flag.long}=`)) {
        out.push(`${flag.long}=${flag.map(a.slice(flag.long.length + 1))}`);
      } else {
        const v = a.slice(flag.short!.length);
        out.push(`${flag.short}${flag.map(v.startsWith('=') ? v.slice(1) : v)}`);
      }
      continue;
    }
    if (!a.startsWith('-')) positionals.push(out.length);
    out.push(a);
  }
  // node/NAME anywhere; `get node NAME...` (the names after a node resource word).
  let afterNodeWord = false;
  for (const idx of positionals) {
    const a = out[idx]!;
    const slash = /^(nodes?|no)\/(.+)$/.exec(a);
    if (slash) {
      out[idx] = `${slash[1]}/${real(ctx, slash[2]!)}`;
      afterNodeWord = false;
    } else if (NODE_RESOURCES.has(a)) {
      afterNodeWord = true;
    } else if (afterNodeWord) {
      out[idx] = real(ctx, a);
    }
  }
  return [...out, ...args.slice(i)];
}
