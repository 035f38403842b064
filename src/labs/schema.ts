// The lab file format as a zod schema: what a YAML lab may contain, field by
// field, with the wording each error gets. Cross-field rules that need the
// whole lab (duplicate ids, command refs, node names) live in validate.ts.
import { z } from 'zod';
import { CNI_MODES } from '../core/facts.js';
import { PROVIDER_NAMES } from '../providers/provider.js';
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

function strict<T extends z.ZodRawShape>(shape: T, what: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss: { code?: string; input?: unknown }) =>
      iss.code === 'unrecognized_keys' ? `${UNKNOWN_KEYS_TAG}${known.join(',')}` : expected(what).error(iss),
  });
}

const text = (what: string) => z.string(expected(what)).trim().min(1, expected(what));
const idText = (what: string) =>
  z.string(expected(what)).regex(/^[a-z0-9][a-z0-9-]*$/, expected(`${what}: lower-case letters, digits and dashes`));
const name = (what: string) => z.string(expected(what)).regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, expected(what));
const seconds = z.number(expected('a number of seconds')).positive(expected('a positive number of seconds')).max(3600, expected('at most 3600 seconds'));
const endpoint = z.string(expected(ENDPOINT_EXPECTED)).superRefine((v, ctx) => {
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

const checkBase = {
  id: idText('a check id').optional(),
  title: text('a one-line title').optional(),
};

const hopsCheck = strict(
  {
    kind: z.literal('hops'),
    ...checkBase,
    from: endpoint,
    to: endpoint,
    observe: commandSchema,
    expect: z.array(text('a hop address, a template of one, or *'), expected('a list of hop addresses')).min(1, expected('at least one hop')).optional(),
  },
  'a hops check with from, to and observe',
);

const ON_WHAT = 'a node like node-1, or host/NAME';
const onMachine = z.string(expected(ON_WHAT)).regex(/^(host\/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, expected(ON_WHAT));
const addressText = (what: string) =>
  z.string(expected(what)).superRefine((v, ctx) => {
    const problem = endpointProblem(v);
    if (problem || !/^\s*(\{\{.*\}\}|[0-9.]+)\s*$/.test(v)) ctx.addIssue({ code: 'custom', message: problem ?? `expected ${what}, got ${JSON.stringify(v)}` });
  });

const routeCheck = strict(
  {
    kind: z.literal('route'),
    ...checkBase,
    on: onMachine,
    to: addressText('an IPv4 address or a template of one like {{ pods.httpd.ip }}'),
    via: addressText('the next hop: an IPv4 address or a template of one like {{ nodes.node-1.internalIP }}').optional(),
  },
  'a route check with on, to and optionally via',
);

const reachCheck = strict(
  {
    kind: z.literal('reach'),
    ...checkBase,
    on: onMachine,
    to: addressText('an IPv4 address or a template of one like {{ pods.httpd.ip }}'),
    port: z.number(expected('a TCP port')).int(expected('a whole port number')).min(1, expected('a port from 1 to 65535')).max(65535, expected('a port from 1 to 65535')).optional(),
  },
  'a reach check with on, to and optionally port',
);

const commandCheck = (kind: 'succeeds' | 'fails') =>
  strict({ kind: z.literal(kind), ...checkBase, run: commandSchema }, `a ${kind} check with run: COMMAND`);

const outputCheck = strict(
  {
    kind: z.literal('output'),
    ...checkBase,
    run: commandSchema,
    matches: text('a regular expression').optional(),
    contains: text('the text the output must contain').optional(),
  },
  'an output check with run and matches or contains',
).superRefine((c, ctx) => {
  if (c.matches === undefined && c.contains === undefined) ctx.addIssue({ code: 'custom', message: 'an output check needs matches: REGEX or contains: TEXT' });
});

const hopRule = strict(
  {
    hop: z.number(expected('a hop number from 1')).int(expected('a whole hop number')).min(1, expected('a hop number from 1')),
    from: endpoint,
    to: endpoint,
    field: z.enum(['address', 'node', 'interface'], expected('address, node or interface')).optional(),
  },
  'a rule like { hop: 2, from: pod/traceroute, to: pod/httpd, field: node }',
);

const answerCheck = strict(
  {
    kind: z.literal('answer'),
    id: idText('a check id (the solution answers it by id)'),
    title: checkBase.title,
    question: text('the question the learner answers'),
    expect: z.union([text('the expected answer or a template'), hopRule], expected('the expected answer (text or template) or a rule like { hop: 2, from: pod/a, to: pod/b, field: node }')),
  },
  'an answer check with id, question and expect',
);

export const CHECK_KINDS = ['hops', 'succeeds', 'fails', 'output', 'answer', 'route', 'reach'] as const;

export const checkSchema = z.discriminatedUnion('kind', [hopsCheck, commandCheck('succeeds'), commandCheck('fails'), outputCheck, answerCheck, routeCheck, reachCheck], {
  error: (iss: { input?: unknown; code?: string }) =>
    iss.code === 'invalid_union' ? `expected kind: one of ${CHECK_KINDS.join(', ')}` : expected('a check with a kind').error(iss),
});

const answerSource = z.union(
  [text('the answer, or a template of it'), strict({ run: commandSchema, match: text('a regular expression with one group').optional() }, 'an answer like { run: COMMAND, match: REGEX }')],
  expected('the answer as text, or { run: COMMAND, match: REGEX }'),
);

const solutionSchema = z.union(
  [
    text('the solution as Markdown'),
    strict(
      {
        text: text('the solution as Markdown'),
        answers: z.record(z.string(), answerSource, expected('answers by check id')).optional(),
      },
      'a solution with text and answers',
    ),
  ],
  expected('the solution: Markdown text, or { text, answers }'),
);

export const stepSchema = strict(
  {
    id: idText('a step id'),
    title: text('a one-line title'),
    text: text('the step text as Markdown'),
    providers: z
      .array(z.enum(PROVIDER_NAMES, expected(`a provider: one of ${PROVIDER_NAMES.join(', ')}`)), expected(`a list of providers from ${PROVIDER_NAMES.join(', ')}`))
      .min(1, expected('at least one provider'))
      .optional(),
    reset: z.array(commandSchema, expected('a list of commands')).optional(),
    run: z.array(commandSchema, expected('a list of commands')).optional(),
    checks: z.array(checkSchema, expected('a list of checks')).optional(),
    hints: z.array(text('a hint'), expected('a list of hints')).optional(),
    solution: solutionSchema.optional(),
    needs: z.array(idText('the id of an earlier step'), expected('a list of earlier step ids')).optional(),
  },
  'a step with id, title, text, run, checks, hints and solution',
);

export const labSchema = strict(
  {
    id: idText('a lab id'),
    title: text('a one-line title'),
    summary: text('a one-paragraph summary'),
    cni: z.union(
      [z.literal('any'), z.array(z.enum(CNI_MODES, expected(`a CNI mode: one of ${CNI_MODES.join(', ')}`)), expected('a list of CNI modes')).min(1, expected('at least one CNI mode'))],
      expected(`any, or a list of CNI modes from ${CNI_MODES.join(', ')}`),
    ),
    order: z.number(expected('a number: where the lab stands in the list, lower first')).int(expected('a whole number')).min(0, expected('0 or more')).optional(),
    minutes: z.number(expected('the estimated minutes')).int(expected('a whole number of minutes')).min(1, expected('at least 1 minute')).max(600, expected('at most 600 minutes')),
    cluster: strict(
      {
        workers: z.number(expected('a number of worker nodes')).int(expected('a whole number of workers')).min(1, expected('1 to 50 workers')).max(50, expected('1 to 50 workers')).optional(),
        lan: z.boolean(expected('true or false')).optional(),
      },
      'cluster requirements like { workers: 2, lan: true }',
    ).optional(),
    steps: z.array(stepSchema, expected('a list of steps')).min(1, expected('at least one step')),
  },
  'a lab: a mapping with id, title, summary, cni, minutes and steps',
);

export type RawLab = z.infer<typeof labSchema>;
export type RawStep = z.infer<typeof stepSchema>;
export type RawCommand = z.infer<typeof commandSchema>;
export type RawCheck = z.infer<typeof checkSchema>;
export type RawWait = z.infer<typeof waitSchema>;
