// The kubeconfig provider on flannel-vxlan, calico-bgp (test/helpers/kubeconfig-modes.ts).
import { modesSuite } from '../helpers/kubeconfig-modes.js';

modesSuite(['flannel-vxlan', 'calico-bgp']);
