// The lab file format as a zod schema: what a YAML lab may contain, field by
// field, with the wording each error gets. Each check kind's schema lives
// with the kind (checks/<kind>.ts). Cross-field rules that need the whole lab
// (duplicate ids, command refs, node names) live in validate.ts.
import { z } from 'zod';
import { CNI_MODES } from '../core/facts.js';
import { PROVIDER_NAMES } from '../providers/provider.js';
import { CHECK_KINDS, CHECK_SCHEMAS } from './checks/index.js';
import { commandSchema, expected, idText, name, strict, text, UNKNOWN_KEYS_TAG } from './schema-parts.js';

export { UNKNOWN_KEYS_TAG, CHECK_KINDS };

export const checkSchema = z.discriminatedUnion('kind', CHECK_SCHEMAS, {
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
        run: z.array(commandSchema, expected('a list of commands: the repair the headless runner makes')).optional(),
      },
      'a solution with text, answers and run',
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
    requires: z
      .array(
        strict(
          { pod: name('a pod name like httpd'), on: name('a node like node-1').optional(), apartFrom: name('another pod name').optional() },
          'a precondition like { pod: httpd, on: node-1 } or { pod: traceroute, apartFrom: httpd }',
        ).refine((r) => (r.on === undefined) !== (r.apartFrom === undefined), 'expected exactly one of on: NODE or apartFrom: POD'),
        expected('a list of preconditions'),
      )
      .optional(),
    hints: z.array(text('a hint'), expected('a list of hints')).optional(),
    solution: solutionSchema.optional(),
    needs: z.array(idText('the id of an earlier step'), expected('a list of earlier step ids')).optional(),
    cni: z
      .array(z.enum(CNI_MODES, expected(`a CNI mode: one of ${CNI_MODES.join(', ')}`)), expected('a list of CNI modes'))
      .min(1, expected('at least one CNI mode'))
      .optional(),
    fault: strict(
      {
        name: name('a fault name from `hoplab fault list`, like route-missing'),
        node: name('a node like node-2').optional(),
        peer: name('a node like node-1').optional(),
        service: name('a Service name like web').optional(),
      },
      'a fault like { name: route-missing, node: node-2 }',
    ).optional(),
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
export type RawCheck = z.infer<typeof checkSchema>;
