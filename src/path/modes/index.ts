// CNI mode → its forwarding rules. Every mode has its rules (a compile error
// otherwise); a CNI hoplab does not model gets "no prediction", not a guess.
import type { CniMode } from '../../core/facts.js';
import type { ModeRules } from '../walk.js';
import { calicoBgp, calicoIpip, calicoVxlan } from './calico.js';
import { flannelHostGw } from './flannel-host-gw.js';
import { flannelVxlan } from './flannel-vxlan.js';

export const MODE_RULES: Record<CniMode, ModeRules> = {
  'flannel-host-gw': flannelHostGw,
  'flannel-vxlan': flannelVxlan,
  'calico-ipip': calicoIpip,
  'calico-vxlan': calicoVxlan,
  'calico-bgp': calicoBgp,
};

export function rulesFor(cni: string): ModeRules | undefined {
  return Object.hasOwn(MODE_RULES, cni) ? MODE_RULES[cni as CniMode] : undefined;
}

export function predictedModes(): string[] {
  return Object.keys(MODE_RULES);
}
