// reach: an HTTP server at to:port answers from the machine.
import { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import { probesOf } from '../../providers/probes.js';
import { addressText, checkBase, expected, onMachine, strict } from '../schema-parts.js';
import { resolveTemplates } from '../templates.js';
import { base, noDetail } from './common.js';
import type { CheckKind, CheckOf } from './types.js';

const REACH_TIMEOUT_MS = 5000;

const schema = strict(
  {
    kind: z.literal('reach'),
    ...checkBase,
    on: onMachine,
    to: addressText('an IPv4 address or a template of one like {{ pods.httpd.ip }}'),
    port: z.number(expected('a TCP port')).int(expected('a whole port number')).min(1, expected('a port from 1 to 65535')).max(65535, expected('a port from 1 to 65535')).optional(),
  },
  'a reach check with on, to and optionally port',
);

export const reachKind: CheckKind<CheckOf<'reach'>, typeof schema> = {
  schema,
  load(c, b, l) {
    const port = c.port ?? 80;
    return { kind: 'reach', ...b, on: l.machine(c.on), to: c.to.trim(), port, title: c.title ?? `${c.on} reaches ${c.to}:${port} over HTTP` };
  },
  validate(c, path, v) {
    v.machine(c.on, [...path, 'on']);
  },
  commands: () => [],
  async evaluate(check, { ctx }) {
    let to: string;
    try {
      to = resolveTemplates(check.to, await ctx.facts());
    } catch (err) {
      return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}` };
    }
    const url = `http://${to}${check.port === 80 ? '' : `:${check.port}`}/`;
    const r = await probesOf(ctx.provider).http(check.on, url, REACH_TIMEOUT_MS);
    return { ...base(check), passed: r.ok, summary: `from ${check.on.name}: ${r.detail}` };
  },
  render: noDetail,
};
