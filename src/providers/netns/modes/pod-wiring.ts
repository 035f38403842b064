// The one way the runtime wires a pod: the mode's own wiring when it has one
// (calico), otherwise the CNI plugin binary its configuration names (bridge).
import { cniAdd, cniDel } from '../cni.js';
import type { ModeWiring, PodWiring } from './types.js';

export function podWiringOf(mode: ModeWiring): PodWiring {
  if (mode.pod) return mode.pod;
  const config = mode.cniConfig;
  if (!config) throw new Error('a CNI mode needs either pod wiring or a CNI plugin configuration');
  return {
    add: (ctx) => cniAdd(ctx.node.ns, ctx.podNs, ctx.containerId, config(ctx.plan, ctx.node, ctx.ipamDir)),
    del: (ctx) => cniDel(ctx.node.ns, ctx.podNs, ctx.containerId, config(ctx.plan, ctx.node, ctx.ipamDir)),
  };
}
