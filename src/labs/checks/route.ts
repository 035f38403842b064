// route: how a machine routes an address (its own route lookup): passes when
// there is a route, via `via` when given, else via any node.
import { z } from 'zod';
import { errorMessage } from '../../core/errors.js';
import { probesOf } from '../../providers/probes.js';
import { addressText, checkBase, onMachine, strict } from '../schema-parts.js';
import { resolveTemplates } from '../templates.js';
import { base, noDetail } from './common.js';
import type { CheckKind, CheckOf } from './types.js';

const schema = strict(
  {
    kind: z.literal('route'),
    ...checkBase,
    on: onMachine,
    to: addressText('an IPv4 address or a template of one like {{ pods.httpd.ip }}'),
    via: addressText('the next hop: an IPv4 address or a template of one like {{ nodes.node-1.internalIP }}').optional(),
  },
  'a route check with on, to and optionally via',
);

export const routeKind: CheckKind<CheckOf<'route'>, typeof schema> = {
  schema,
  load(c, b, l) {
    return {
      kind: 'route', ...b, on: l.machine(c.on), to: c.to.trim(),
      title: c.title ?? `${c.on} routes ${c.to}${c.via ? ` via ${c.via}` : ' into the cluster'}`,
      ...(c.via !== undefined ? { via: c.via.trim() } : {}),
    };
  },
  validate(c, path, v) {
    v.machine(c.on, [...path, 'on']);
  },
  commands: () => [],
  async evaluate(check, { ctx }) {
    const facts = await ctx.facts();
    let to: string;
    let via: string | undefined;
    try {
      to = resolveTemplates(check.to, facts);
      via = check.via === undefined ? undefined : resolveTemplates(check.via, facts);
    } catch (err) {
      return { ...base(check), passed: false, summary: errorMessage(err), error: `${check.at}: ${errorMessage(err)}` };
    }
    const where = check.on.name;
    const route = await probesOf(ctx.provider).route(check.on, to);
    if (route.unreachable) return { ...base(check), passed: false, summary: `${where} has no route to ${to}: ${route.unreachable}`, route };
    const seen = `${where} routes ${to} ${route.via ? `via ${route.via}` : 'straight onto its link'}${route.dev ? ` dev ${route.dev}` : ''}`;
    const node = facts.nodes.find((n) => n.internalIP === route.via || n.interfaces.some((i) => i.address === route.via));
    const passed = via !== undefined ? route.via === via : node !== undefined;
    const want = via !== undefined ? `via ${via}` : "via one of the cluster's nodes";
    const hint = !passed && route.dest === 'default' ? ' (its default route: no route for that address yet)' : '';
    return { ...base(check), passed, summary: passed ? seen : `${seen}${hint}, expected ${want}`, route };
  },
  render: noDetail,
};
