// answer: a question the learner answers; the expected value is a template
// or a field of a hop on the predicted path.
import { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import type { ClusterFacts } from '../../core/facts.js';
import { answersMatch } from '../answers.js';
import { resolveEndpointText } from '../endpoints.js';
import { grading } from '../grading.js';
import type { AnswerRule } from '../model.js';
import { checkBase, endpoint, expected, idText, strict, text } from '../schema-parts.js';
import { resolveTemplates } from '../templates.js';
import { base, hopWord } from './common.js';
import type { CheckKind, CheckOf } from './types.js';

const hopRule = strict(
  {
    hop: z.number(expected('a hop number from 1')).int(expected('a whole hop number')).min(1, expected('a hop number from 1')),
    from: endpoint,
    to: endpoint,
    field: z.enum(['address', 'node', 'interface'], expected('address, node or interface')).optional(),
  },
  'a rule like { hop: 2, from: pod/traceroute, to: pod/httpd, field: node }',
);

const schema = strict(
  {
    kind: z.literal('answer'),
    id: idText('a check id (the solution answers it by id)'),
    title: checkBase.title,
    question: text('the question the learner answers'),
    expect: z.union([text('the expected answer or a template'), hopRule], expected('the expected answer (text or template) or a rule like { hop: 2, from: pod/a, to: pod/b, field: node }')),
  },
  'an answer check with id, question and expect',
);

/** The value an answer check expects in this cluster. Throws when it cannot be computed. */
export async function expectedAnswer(rule: AnswerRule, facts: ClusterFacts): Promise<string> {
  if (rule.kind === 'value') return resolveTemplates(rule.text, facts);
  const pred = await grading.predictPath(facts, resolveEndpointText(rule.from, facts), resolveEndpointText(rule.to, facts));
  if (!pred.ok) throw new Error(`no expected path from ${rule.from} to ${rule.to}: ${pred.reason}`);
  const hop = pred.hops[rule.hop - 1];
  if (!hop) throw new Error(`the path from ${rule.from} to ${rule.to} has ${hopWord(pred.hops.length)}, not ${rule.hop}`);
  const value = rule.field === 'address' ? hop.address : rule.field === 'node' ? hop.node : hop.interface;
  if (!value) throw new Error(`hop ${rule.hop} from ${rule.from} to ${rule.to} has no known ${rule.field}`);
  return value;
}

export const answerKind: CheckKind<CheckOf<'answer'>, typeof schema> = {
  schema,
  load(c, b) {
    const expect: AnswerRule =
      typeof c.expect === 'string'
        ? { kind: 'value', text: c.expect }
        : { kind: 'hop', from: c.expect.from, to: c.expect.to, hop: c.expect.hop, field: c.expect.field ?? 'address' };
    return { kind: 'answer', ...b, question: c.question, expect, title: c.title ?? c.question };
  },
  validate(c, path, v) {
    v.answer(c.id);
    if (typeof c.expect !== 'string') {
      v.endpoint(c.expect.from, [...path, 'expect', 'from']);
      v.endpoint(c.expect.to, [...path, 'expect', 'to']);
    }
  },
  commands: () => [],
  async evaluate(check, { ctx, opts, answers }) {
    const given = answers[check.id];
    let want: string;
    try {
      want = await expectedAnswer(check.expect, await ctx.facts());
    } catch (err) {
      return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}`, answer: { question: check.question, ...(given !== undefined ? { given } : {}) } };
    }
    if (given === undefined) {
      const why = opts.answerErrors?.[check.id] ?? 'not answered yet';
      return { ...base(check), passed: false, summary: why, answer: { question: check.question, expected: want } };
    }
    const passed = answersMatch(given, want);
    return {
      ...base(check),
      passed,
      summary: passed ? `${JSON.stringify(given)} is right` : `${JSON.stringify(given)} is not the answer`,
      answer: { question: check.question, given, expected: want },
    };
  },
  render(c) {
    return c.answer && !c.passed && c.answer.expected !== undefined && c.answer.given !== undefined
      ? [`answered ${JSON.stringify(c.answer.given)}, expected ${JSON.stringify(c.answer.expected)}`]
      : [];
  },
};
