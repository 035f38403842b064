// The pieces of the lab file's zod schema that the lab, step and check kind
// schemas share: the wording of errors, names, endpoints, commands, waits.
import { z } from 'zod';
import { ENDPOINT_EXPECTED, endpointProblem } from './endpoints.js';

/** Marks unknown-key messages so issues.ts can split them per key and suggest the known ones. */
export const UNKNOWN_KEYS_TAG = 'unknown-keys:';

function show(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

/** Error wording: "expected WHAT, got VALUE", or "missing (expected WHAT)". */
export function expected(what: string) {
  return {
    error: (iss: { input?: unknown; code?: string }) =>
      iss.input === undefined ? `missing (expected ${what})` : `expected ${what}, got ${show(iss.input)}`,
  };
}

export function strict<T extends z.ZodRawShape>(shape: T, what: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss: { code?: string; input?: unknown }) =>
      iss.code === 'unrecognized_keys' ? `${UNKNOWN_KEYS_TAG}${known.join(',')}` : expected(what).error(iss),
  });
}

export const text = (what: string) => z.string(expected(what)).trim().min(1, expected(what));
export const idText = (what: string) =>
  z.string(expected(what)).regex(/^[a-z0-9][a-z0-9-]*$/, expected(`${what}: lower-case letters, digits and dashes`));
export const name = (what: string) => z.string(expected(what)).regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, expected(what));
export const seconds = z.number(expected('a number of seconds')).positive(expected('a positive number of seconds')).max(3600, expected('at most 3600 seconds'));
export const endpoint = z.string(expected(ENDPOINT_EXPECTED)).superRefine((v, ctx) => {
  const problem = endpointProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed'] as const;
const phase = z.enum(PHASES, expected(`a pod phase: ${PHASES.join(', ')}`));

export const waitSchema = strict(
  {
    pod: name('a pod name like httpd').optional(),
    logs: name('a pod name like traceroute').optional(),
    phase: z.union([phase, z.array(phase).min(1, expected('at least one phase'))], expected(`a pod phase or a list of them: ${PHASES.join(', ')}`)).optional(),
    gone: z.literal(true, expected('true')).optional(),
    contains: text('the text the logs must contain').optional(),
    namespace: name('a namespace like default').optional(),
    timeout: seconds.optional(),
  },
  'a wait condition like { pod: httpd, phase: Running } or { logs: traceroute, contains: "hops max" }',
).superRefine((w, ctx) => {
  if ((w.pod === undefined) === (w.logs === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'expected exactly one of pod (with phase or gone) or logs (with contains)' });
  } else if (w.pod !== undefined && (w.phase === undefined) === (w.gone === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['pod'], message: 'a pod wait needs exactly one of phase: PHASE or gone: true' });
  } else if (w.logs !== undefined && w.contains === undefined) {
    ctx.addIssue({ code: 'custom', path: ['logs'], message: 'a logs wait needs contains: TEXT' });
  } else if (w.logs !== undefined && (w.phase !== undefined || w.gone !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['logs'], message: 'a logs wait takes contains, not phase or gone' });
  } else if (w.pod !== undefined && w.contains !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['contains'], message: 'contains goes with logs: POD, not pod: POD' });
  }
});

const COMMAND_WHAT = 'a command like { kubectl: "get pods" }, { on: node-1, cmd: "ip route" } or { in: httpd, cmd: "ip addr" }';

export const commandSchema = strict(
  {
    id: idText('a command id').optional(),
    ref: idText('the id of a command of this lab').optional(),
    kubectl: text('kubectl arguments like "get pods -o wide"').optional(),
    on: z.string(expected('a node like node-1, or host/NAME')).regex(/^(host\/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, expected('a node like node-1, or host/NAME')).optional(),
    in: name('a pod name like httpd').optional(),
    namespace: name('a namespace like default').optional(),
    cmd: text('a shell command line').optional(),
    wait: z.union([waitSchema, z.array(waitSchema)], expected('a wait condition or a list of them')).optional(),
    timeout: seconds.optional(),
    mayFail: z.boolean(expected('true or false')).optional(),
  },
  COMMAND_WHAT,
).superRefine((c, ctx) => {
  if (c.ref !== undefined) {
    const extra = Object.keys(c).filter((k) => k !== 'ref');
    if (extra.length) ctx.addIssue({ code: 'custom', path: [extra[0]!], message: `a { ref: ID } command takes nothing else, got ${extra.join(', ')}` });
    return;
  }
  const where = (['kubectl', 'on', 'in'] as const).filter((k) => c[k] !== undefined);
  if (where.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `expected exactly one of kubectl, on, in${where.length ? `, got ${where.join(' and ')}` : ''}` });
    return;
  }
  if (where[0] === 'kubectl' && c.cmd !== undefined) ctx.addIssue({ code: 'custom', path: ['cmd'], message: 'a kubectl command takes its arguments in kubectl:, not cmd:' });
  if (where[0] !== 'kubectl' && c.cmd === undefined) ctx.addIssue({ code: 'custom', path: ['cmd'], message: `missing (expected the shell command to run ${where[0]} ${c[where[0]!]})` });
  if (c.namespace !== undefined && where[0] !== 'in') ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'namespace goes with in: POD' });
});

export const checkBase = {
  id: idText('a check id').optional(),
  title: text('a one-line title').optional(),
};

const ON_WHAT = 'a node like node-1, or host/NAME';
export const onMachine = z.string(expected(ON_WHAT)).regex(/^(host\/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, expected(ON_WHAT));
export const addressText = (what: string) =>
  z.string(expected(what)).superRefine((v, ctx) => {
    const problem = endpointProblem(v);
    if (problem || !/^\s*(\{\{.*\}\}|[0-9.]+)\s*$/.test(v)) ctx.addIssue({ code: 'custom', message: problem ?? `expected ${what}, got ${JSON.stringify(v)}` });
  });


export type RawCommand = z.infer<typeof commandSchema>;
export type RawWait = z.infer<typeof waitSchema>;
