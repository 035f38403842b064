// CNI mode → how the netns provider wires it. A mode missing here is refused
// by `up` with the list of modes that are built.
import { UsageError } from '../../../core/errors.js';
import type { CniMode } from '../../../core/facts.js';
import { calicoBgp, calicoIpip, calicoVxlan } from './calico.js';
import { flannelHostGw } from './flannel-host-gw.js';
import { flannelVxlan } from './flannel-vxlan.js';
import type { ModeWiring } from './types.js';

const MODES: Partial<Record<CniMode, ModeWiring>> = {
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
  const m = MODES[cni];
  if (!m) {
    throw new UsageError(
      `--cni ${cni}: the netns provider does not build this mode yet`,
      `modes it builds: ${builtModes().join(', ')}`,
    );
  }
  return m;
}
