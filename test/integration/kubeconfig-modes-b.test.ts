// The kubeconfig provider on calico-vxlan, calico-ipip (test/helpers/kubeconfig-modes.ts).
import { modesSuite } from '../helpers/kubeconfig-modes.js';

modesSuite(['calico-vxlan', 'calico-ipip']);
