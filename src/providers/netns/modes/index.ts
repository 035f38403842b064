// CNI mode → how the netns provider wires it; every mode of core/cni-modes.ts
// has its wiring (a compile error otherwise).
import type { CniMode } from '../../../core/facts.js';
import { calicoBgp, calicoIpip, calicoVxlan } from './calico.js';
import { flannelHostGw } from './flannel-host-gw.js';
import { flannelVxlan } from './flannel-vxlan.js';
import type { ModeWiring } from './types.js';

const MODES: Record<CniMode, ModeWiring> = {
  'flannel-host-gw': flannelHostGw,
  'flannel-vxlan': flannelVxlan,
  'calico-ipip': calicoIpip,
  'calico-vxlan': calicoVxlan,
  'calico-bgp': calicoBgp,
};

export function builtModes(): CniMode[] {
  return Object.keys(MODES) as CniMode[];
}

export function modeWiring(cni: CniMode): ModeWiring {
  return MODES[cni];
}
